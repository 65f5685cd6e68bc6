/**
 * Inbound flow control: requests are run one at a time, a connection whose replies are not read stops being read,
 * one that queues past --max-queued-requests is closed, and no single reply can be built larger than
 * --max-reply-bytes. An agent hammering a huge session does not stall /healthz or another agent.
 */
import { request } from 'node:http';
import { connect } from '@rlfs/protocol/node';
import { startServer } from '../src';
import type { RunningServer } from '../src';
import { RawSocket } from '../src/checker';

const quiet = { warn: (): void => undefined };

function healthzMs(server: RunningServer): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    request(`${server.httpUrl}healthz`, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - start));
    }).on('error', reject).end();
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('reply budget (--max-reply-bytes, 4 MiB by default)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', ...quiet });
  });
  afterAll(() => server.close());

  it('refuses a plain make whose replies would exceed it, naming numEnvs and the limit', async () => {
    const raw = await RawSocket.hello(server.url, 'agent');
    // 4096 envs of 64x64 grids: a plain reset or step would be 16-32 MB
    const reply = await raw.request({ type: 'make', id: 1, env: 'GridWorld-v0', numEnvs: 4096, options: { size: 64 } });
    expect(reply).toMatchObject({ type: 'error', id: 1, code: 'INVALID_OPTIONS' });
    expect(reply.message).toMatch(/numEnvs/);
    expect(reply.message).toMatch(/--max-reply-bytes/);
    expect(reply.message).toMatch(/packed/);
    expect((await raw.request({ type: 'make', id: 2, env: 'GridWorld-v0', numEnvs: 64, options: { size: 64 } })).type).toBe('made');
    await raw.close();
  });

  it('refuses a render that would exceed it before building it, and answers one that fits', async () => {
    const raw = await RawSocket.hello(server.url, 'agent');
    expect((await raw.request({ type: 'make', id: 1, env: 'GridWorld-v0', numEnvs: 4096, options: { size: 64 }, encoding: 'packed' })).type).toBe('made');
    expect((await raw.request({ type: 'reset', id: 2, seed: 1 })).type).toBe('reset_result');
    // 4096 ansi frames of 64 lines of 64 characters: 17 MB
    const refused = await raw.request({ type: 'render', id: 3, mode: 'ansi' });
    expect(refused).toMatchObject({ type: 'error', id: 3, code: 'BAD_REQUEST' });
    expect(refused.message).toMatch(/render/);
    expect(refused.message).toMatch(/--max-reply-bytes/);
    await raw.close();
    const small = await RawSocket.hello(server.url, 'agent');
    await small.request({ type: 'make', id: 1, env: 'GridWorld-v0', numEnvs: 8, options: { size: 4 } });
    await small.request({ type: 'reset', id: 2, seed: 1 });
    const frame = (await small.request({ type: 'render', id: 3, mode: 'ansi' })).frame as string[];
    expect(frame).toHaveLength(8);
    expect(frame[0]).toMatch(/^([.AG#]{4}\n){3}[.AG#]{4}$/);
    await small.close();
  });
});

describe('requests waiting on a connection that does not read its replies', () => {
  it('are held while the outgoing buffer is full; past --max-queued-requests the connection is closed saying why', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', agentHighWater: 64 * 1024, maxQueuedRequests: 16, ...quiet });
    try {
      const raw = await RawSocket.hello(server.url, 'agent');
      await raw.request({ type: 'make', id: 1, env: 'GridWorld-v0', numEnvs: 1000, options: { size: 20 } });
      await raw.request({ type: 'reset', id: 2, seed: 1 });
      raw.socket.pause(); // the client stops reading: its replies (about 420 KB each) pile up
      for (let i = 0; i < 400; i++) raw.send({ type: 'render', id: 10 + i, mode: 'ansi' });
      // the 400 requests (12 KB) arrive together: all but the first few wait, and the limit is passed at once
      await new Promise((r) => setTimeout(r, 500));
      raw.socket.removeAllListeners('message'); // the replies sent before the hold need not be decoded, only read
      raw.socket.resume(); // read what was sent, then the close frame
      const closed = await raw.closed;
      expect(closed.code).toBe(1008);
      expect(closed.reason).toMatch(/more than 16 requests waiting/);
      expect(closed.reason).toMatch(/--max-queued-requests/);
      const other = await connect(server.url, { role: 'agent' });
      await other.make({ env: 'GridWorld-v0' });
      await other.close();
    } finally {
      await server.close();
    }
  });

  it('are all answered, in order, once the client reads again', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', agentHighWater: 64 * 1024, ...quiet });
    try {
      const raw = await RawSocket.hello(server.url, 'agent');
      await raw.request({ type: 'make', id: 1, env: 'GridWorld-v0', numEnvs: 1000, options: { size: 20 } });
      await raw.request({ type: 'reset', id: 2, seed: 1 });
      raw.socket.pause();
      for (let i = 0; i < 60; i++) raw.send({ type: 'render', id: 10 + i, mode: 'ansi' });
      await new Promise((r) => setTimeout(r, 300));
      raw.socket.resume();
      const ids: unknown[] = [];
      for (let i = 0; i < 60; i++) ids.push((await raw.next(20_000)).id);
      expect(ids).toEqual(Array.from({ length: 60 }, (_, i) => 10 + i));
      await raw.close();
    } finally {
      await server.close();
    }
  });
});

it('an agent hammering a huge session does not stall /healthz or another agent (bound relative to an unloaded baseline)', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1', ...quiet });
  try {
    const other = await connect(server.url, { role: 'agent' });
    await other.make({ env: 'GridWorld-v0' });
    await other.reset({ seed: 1 });
    const sample = async (): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < 12; i++) {
        out.push(await healthzMs(server));
        const start = performance.now();
        await other.step(i % 4);
        out.push(performance.now() - start);
      }
      return out;
    };
    await sample(); // warm up
    const baseline = median(await sample());

    // the attack: a session of 4096 64x64 worlds, then requests pipelined and never read
    const hammer = await RawSocket.hello(server.url, 'agent');
    await hammer.request({ type: 'make', id: 1, env: 'GridWorld-v0', numEnvs: 4096, options: { size: 64 }, encoding: 'packed' }, 30_000);
    await hammer.request({ type: 'reset', id: 2, seed: 1 }, 30_000);
    hammer.socket.pause();
    for (let i = 0; i < 40; i++) {
      hammer.send({ type: 'render', id: 100 + i, mode: 'ansi' });
      hammer.send({ type: 'reset', id: 200 + i });
      hammer.send({ type: 'step', id: 300 + i, action: new Array(4096).fill(i % 4) });
    }
    const loaded = await sample();
    // Generous: one request of the hammering agent (a step of 4096 64x64 worlds) may delay another request by its own
    // work, on a shared CI machine several times over; never seconds behind, as it was (13 s for /healthz).
    expect(median(loaded)).toBeLessThan(20 * baseline + 250);
    expect(Math.max(...loaded)).toBeLessThan(50 * baseline + 2000);
    hammer.socket.terminate();
    await other.close();
  } finally {
    await server.close();
  }
});
