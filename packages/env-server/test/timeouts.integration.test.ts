/**
 * Connections that hold a place without using it: sockets that never say hello, peers that stop answering pings,
 * and one address opening many connections.
 */
import WebSocket from 'ws';
import { connect } from '@rlfs/protocol/node';
import { startServer } from '../src';
import { RawSocket } from '../src/checker';

const quiet = { warn: (): void => undefined };

it('closes a socket that sends no hello within --hello-timeout (1008, saying why); one that said hello stays', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1', helloTimeout: 300, ...quiet });
  try {
    const silent = await RawSocket.open(server.url);
    const agent = await connect(server.url, { role: 'agent' });
    const closed = await silent.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/no hello within 300 ms/);
    expect(agent.closed).toBe(false);
    await agent.make({ env: 'GridWorld-v0' });
    await agent.close();
  } finally {
    await server.close();
  }
});

it('silent sockets filling --max-connections make room again after the hello timeout', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1', maxConnections: 4, helloTimeout: 300, ...quiet });
  try {
    const silent = await Promise.all(Array.from({ length: 4 }, () => RawSocket.open(server.url)));
    await expect(RawSocket.open(server.url)).rejects.toThrow(/503/);
    await Promise.all(silent.map((s) => s.closed));
    const agent = await connect(server.url, { role: 'agent' });
    expect(agent.welcome?.type).toBe('welcome');
    await agent.close();
  } finally {
    await server.close();
  }
});

it('drops a peer that does not answer pings (--heartbeat); one that answers stays', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1', heartbeat: 100, ...quiet });
  try {
    const live = await connect(server.url, { role: 'agent' });
    const dead = new WebSocket(server.url, { autoPong: false });
    const deadClosed = new Promise<number>((resolve) => dead.on('close', (code) => resolve(code)));
    await new Promise((resolve) => dead.once('open', resolve));
    expect(await deadClosed).toBe(1006); // terminated: no closing handshake with a dead peer
    expect(live.closed).toBe(false);
    await live.make({ env: 'GridWorld-v0' });
    await live.close();
  } finally {
    await server.close();
  }
});

it('refuses connections from one address past --max-connections-per-address with 429', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1', maxConnectionsPerAddress: 3, ...quiet });
  try {
    const held = await Promise.all(Array.from({ length: 3 }, () => RawSocket.open(server.url)));
    await expect(RawSocket.open(server.url)).rejects.toThrow(/429/);
    await held[0]!.close();
    await new Promise((r) => setTimeout(r, 50));
    const again = await RawSocket.open(server.url);
    await Promise.all([again.close(), held[1]!.close(), held[2]!.close()]);
  } finally {
    await server.close();
  }
});
