/**
 * The read window over a real socket: bytes sent and not yet read, as the peer's answers to pings say. A peer that
 * stops reading fills it within the window's bytes, long before the kernel's buffers are full; one that reads again
 * opens it; a peer's pong that is not an answer to the window's ping, or claims more than was sent, moves nothing.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { ReadWindow } from '../src/server/read-window';
import { startServer } from '../src';
import { RawSocket } from '../src/checker';

/** A server-side socket and the client connected to it, over loopback. */
async function pair(): Promise<{ server: WebSocket; client: WebSocket; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await once(wss, 'listening');
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: false });
  await once(client, 'open');
  const [server] = await accepted;
  return {
    server,
    client,
    close: async () => {
      client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

it('a peer that stops reading fills the window after its bytes; reading again opens it', async () => {
  const { server, client, close } = await pair();
  try {
    const window = new ReadWindow(server, 64 * 1024);
    let received = 0;
    client.on('message', (data: Buffer) => (received += data.length));
    client.pause();
    const chunk = Buffer.alloc(4096, 7);
    let sent = 0;
    // 64 KiB go out; the kernel would take megabytes more, but the window is full
    while (window.open) {
      server.send(chunk);
      window.wrote(chunk.length + 4); // the frame's header as well
      sent += chunk.length;
    }
    expect(sent).toBe(16 * 4096);
    expect(server.bufferedAmount).toBe(0); // all of it handed to the kernel: the socket alone would not tell
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(window.open).toBe(false); // no pong from a peer that does not read
    client.resume();
    await until(() => window.open);
    expect(received).toBe(sent); // open once the peer has read what was sent
  } finally {
    await close();
  }
});

it('a peer that reads keeps the window open', async () => {
  const { server, client, close } = await pair();
  try {
    const window = new ReadWindow(server, 16 * 1024);
    let received = 0;
    client.on('message', (data: Buffer) => (received += data.length));
    const chunk = Buffer.alloc(1000, 1);
    for (let i = 0; i < 200; i++) {
      await until(() => window.open);
      server.send(chunk);
      window.wrote(chunk.length + 2);
    }
    await until(() => received === 200 * 1000);
  } finally {
    await close();
  }
});

it('pongs that answer no ping of the window, or claim more than was sent, move nothing', async () => {
  const { server, client, close } = await pair();
  try {
    const window = new ReadWindow(server, 8192);
    client.pause(); // reads nothing, so it answers none of the window's pings
    server.send(Buffer.alloc(9000));
    window.wrote(9004);
    expect(window.open).toBe(false);
    client.pong(); // empty, like an answer to the heartbeat
    client.pong('not a number');
    client.pong('99999999999'); // more than was sent: held to what was sent, so the window opens...
    await until(() => window.open);
    window.wrote(8192); // ... and is full again as soon as more goes out that the peer has not read
    expect(window.open).toBe(false);
  } finally {
    await close();
  }
});

it('a spectator that reads nothing is closed --spectator-stall after its read window is full', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1', spectatorStall: 200, spectatorReadWindow: 16 * 1024, warn: () => undefined });
  try {
    const agent = await RawSocket.hello(server.url, 'agent');
    const made = await agent.request({ type: 'make', id: 1, env: 'GridWorld-v0', numEnvs: 8 });
    const session = made.session as string;
    await agent.request({ type: 'reset', id: 2, seed: 1 });
    const silent = await RawSocket.hello(server.url, 'spectator');
    await silent.request({ type: 'subscribe', id: 1, session });
    silent.socket.pause();
    // 16 KiB of frames (about 20 steps of 8 envs) fill the window: far fewer than the kernel's buffers would take
    let steps = 0;
    for (; steps < 2000 && server.health().spectators === 1; steps++) {
      await agent.request({ type: 'step', id: 3, action: new Array(8).fill(steps % 4) });
      if (steps % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(server.health().spectators).toBe(0);
    expect(steps).toBeLessThan(2000);
    silent.socket.terminate();
    await agent.close();
  } finally {
    await server.close();
  }
});
