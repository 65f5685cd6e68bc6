/**
 * The server process of the loopback workloads: the environment server on 127.0.0.1 (port 0) and, in the same
 * process, the raw TCP echo that measures the floor (a 200-byte reply to each request, Nagle off).
 * Started with --expose-gc so that memory figures are taken after a full collection.
 */
import type { AddressInfo } from 'node:net';
import { startServer } from '@rlfs/env-server';
import { serveCommands } from './children';
import { startEcho } from './echo';
import { startPackedEchoFloor } from './floors/packed-echo';

async function main(): Promise<void> {
  const server = await startServer({ host: '127.0.0.1', port: 0, maxConnections: 4096, maxConnectionsPerAddress: 4096, warn: () => undefined });
  const echo = await startEcho();
  const echoPort = (echo.address() as AddressInfo).port;
  let floor: { url: string; close: () => Promise<void> } | undefined;
  serveCommands(
    {
      info: () => ({ url: server.url, httpUrl: server.httpUrl, echoPort, pid: process.pid }),
      memory: () => settledMemory(),
      health: () => server.health(),
      'packed-floor': async () => (floor ??= await startPackedEchoFloor()).url,
    },
    async () => {
      echo.close();
      await floor?.close();
      await server.close();
    },
  );
}

/** RSS and heap after two full collections with a pause between (finalizers release native buffers). */
async function settledMemory(): Promise<{ rss: number; heapUsed: number; external: number; arrayBuffers: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
