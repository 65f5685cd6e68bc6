/** Limits and who may connect: the payload limit, the session memory bound, Origin checks, /healthz. */
import { request } from 'node:http';
import { connect } from '@rlfs/protocol/node';
import { startServer } from '../src';
import type { RunningServer } from '../src';
import { encodeRaw, RawSocket } from '../src/checker';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', allowOrigins: ['http://localhost:5173'] });
});
afterAll(() => server.close());

function getJson(url: string): Promise<{ status: number; type: string | undefined; body: unknown }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: JSON.parse(text) }));
    }).on('error', reject).end();
  });
}

describe('payload limit (1 MiB)', () => {
  it('sends error TOO_LARGE without id, then closes with 1009 past it; the server stays up for others', async () => {
    const other = await connect(server.url, { role: 'agent' });
    await other.make({ env: 'GridWorld-v0' });
    const raw = await RawSocket.hello(server.url, 'agent');
    raw.send(encodeRaw({ type: 'step', id: 1, action: new Uint8Array(1024 * 1024 + 16) }));
    const error = await raw.next();
    expect(error).toEqual({ type: 'error', code: 'TOO_LARGE', message: expect.stringMatching(/1048576 bytes/) });
    const closed = await raw.closed;
    expect(closed.code).toBe(1009);
    expect((await other.reset()).type).toBe('reset_result');
    const again = await RawSocket.hello(server.url, 'agent');
    expect((await again.request({ type: 'make', id: 1, env: 'GridWorld-v0' })).type).toBe('made');
    await Promise.all([again.close(), other.close()]);
  });

  it('a message just under the limit is read and answered', async () => {
    const raw = await RawSocket.hello(server.url, 'agent');
    const frame = encodeRaw({ type: 'step', id: 2, action: new Uint8Array(1024 * 1024 - 64) });
    expect(frame.byteLength).toBeLessThanOrEqual(1024 * 1024);
    expect(await raw.request(frame)).toMatchObject({ type: 'error', id: 2, code: 'NOT_MADE' });
    await raw.close();
  });
});

describe('session memory bound', () => {
  it('refuses a make of 100000 envs of size 64 with INVALID_OPTIONS naming numEnvs, allocating nothing', async () => {
    const raw = await RawSocket.hello(server.url, 'agent');
    global.gc?.();
    const before = process.memoryUsage().rss;
    const reply = await raw.request({ type: 'make', id: 1, env: 'GridWorld-v0', numEnvs: 100_000, options: { size: 64, observation: 'onehot' } });
    expect(reply).toMatchObject({ type: 'error', id: 1, code: 'INVALID_OPTIONS' });
    expect(reply.message).toMatch(/numEnvs/);
    // 100000 onehot 64x64 observations would be 1.2 GB; allow 50 MB of noise
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
    expect((await raw.request({ type: 'make', id: 2, env: 'GridWorld-v0' })).type).toBe('made');
    await raw.close();
  });

  it('refuses a make under maxNumEnvs whose memory exceeds maxSessionBytes, naming the option', async () => {
    const small = await startServer({ port: 0, host: '127.0.0.1', maxNumEnvs: 100_000, maxSessionBytes: 16 * 1024 * 1024 });
    const raw = await RawSocket.hello(small.url, 'agent');
    const reply = await raw.request({ type: 'make', id: 1, env: 'GridWorld-v0', numEnvs: 100_000, options: { size: 64 } });
    expect(reply).toMatchObject({ type: 'error', id: 1, code: 'INVALID_OPTIONS' });
    expect(reply.message).toMatch(/numEnvs/);
    expect(reply.message).toMatch(/maxSessionBytes|max-session-bytes/);
    expect((await raw.request({ type: 'make', id: 2, env: 'GridWorld-v0', numEnvs: 1000, options: { size: 8 } })).type).toBe('made');
    await raw.close();
    await small.close();
  });
});

describe('origin', () => {
  it('refuses a browser page from another origin with 403 at the upgrade', async () => {
    await expect(RawSocket.open(server.url, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(RawSocket.open(server.url, { origin: 'http://localhost:5174' })).rejects.toThrow(/403/);
    await expect(RawSocket.open(server.url, { origin: 'null' })).rejects.toThrow(/403/);
  });

  it('accepts the server own origin, --allow-origin ones, and clients without Origin', async () => {
    const own = `http://127.0.0.1:${server.port}`;
    for (const origin of [own, 'http://localhost:5173', undefined]) {
      const raw = await RawSocket.open(server.url, origin ? { origin } : {});
      expect((await raw.request({ type: 'hello', id: 1, protocol: 1, role: 'spectator' })).type).toBe('welcome');
      await raw.close();
    }
  });

  it('serves the socket at /ws only', async () => {
    await expect(RawSocket.open(server.url.replace('/ws', '/socket'))).rejects.toThrow(/404/);
  });
});

describe('/healthz', () => {
  it('answers 200 JSON {status: ok, sessions, connections, uptime}', async () => {
    const a = await connect(server.url, { role: 'agent' });
    const b = await connect(server.url, { role: 'agent' });
    await a.make({ env: 'GridWorld-v0' });
    const res = await getJson(`${server.httpUrl}healthz`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ status: 'ok', sessions: 1, connections: 2, uptime: expect.any(Number) });
    await a.close();
    await b.close();
    await new Promise((r) => setTimeout(r, 50));
    expect((await getJson(`${server.httpUrl}healthz`)).body).toMatchObject({ sessions: 0, connections: 0 });
  });
});

describe('maxConnections', () => {
  it('refuses connections past the limit with 503 at the upgrade', async () => {
    const tiny = await startServer({ port: 0, host: '127.0.0.1', maxConnections: 2 });
    const a = await RawSocket.open(tiny.url);
    const b = await RawSocket.open(tiny.url);
    await expect(RawSocket.open(tiny.url)).rejects.toThrow(/503/);
    await a.close();
    await new Promise((r) => setTimeout(r, 50));
    const c = await RawSocket.open(tiny.url);
    await Promise.all([b.close(), c.close()]);
    await tiny.close();
  });
});
