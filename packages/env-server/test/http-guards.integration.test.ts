/**
 * No request on the HTTP port can take the server down: odd request targets (`http://[`), files that cannot be
 * read, traversal attempts, and hundreds of malformed request lines, headers and methods, with and without the
 * viewer built, with and without a token. The viewer's pages are looked for on every request.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@rlfs/protocol/node';
import { Rng } from '@rlfs/envs';
import { startServer } from '../src';
import type { RunningServer, ServerOptions } from '../src';
import { getRequest, rawHttp, upgradeRequest } from './raw-http';

const quiet = { warn: (): void => undefined };
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rlfs-http-'));
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'index.html'), '<p>viewer index</p>');
  writeFileSync(join(root, 'dist', 'play.html'), '<p>play page</p>');
  writeFileSync(join(root, 'dist', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'outside the viewer folder');
  symlinkSync(join(root, 'secret.txt'), join(root, 'dist', 'link.txt'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function withServer(options: Partial<ServerOptions>, fn: (server: RunningServer) => Promise<void>): Promise<void> {
  const server = await startServer({ port: 0, host: '127.0.0.1', ...quiet, ...options });
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

/** The server answers /healthz and an agent can make, reset and step. */
async function expectServing(server: RunningServer, token?: string): Promise<void> {
  expect((await rawHttp(server.port, getRequest('/healthz', `127.0.0.1:${server.port}`))).status).toBe(200);
  const agent = await connect(server.url, { role: 'agent', ...(token ? { token } : {}) });
  await agent.make({ env: 'GridWorld-v0' });
  await agent.reset({ seed: 1 });
  expect((await agent.step(0)).type).toBe('step_result');
  await agent.close();
}

it('survives the request target http://[ with the viewer built (it used to end the process)', async () => {
  await withServer({ staticDir: join(root, 'dist') }, async (server) => {
    const reply = await rawHttp(server.port, getRequest('http://[', `127.0.0.1:${server.port}`));
    expect(reply.status).toBe(404);
    await expectServing(server);
  });
});

(process.platform === 'linux' ? it : it.skip)('survives a file that stat calls a file but that cannot be read (/proc/self/mem)', async () => {
  await withServer({ staticDir: '/proc/self' }, async (server) => {
    await rawHttp(server.port, getRequest('/mem', `127.0.0.1:${server.port}`));
    await expectServing(server);
  });
});

it('serves files of the viewer folder only: traversal, encoded or not, and links out of it get 404', async () => {
  await withServer({ staticDir: join(root, 'dist') }, async (server) => {
    const host = `127.0.0.1:${server.port}`;
    const ok = await rawHttp(server.port, getRequest('/app.js', host));
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/console\.log\(1\)/);
    for (const target of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2E%2E%2Fsecret.txt', '/a/../../secret.txt', '//../secret.txt',
      '/link.txt', '/..%5csecret.txt', '/%00index.html', '/%', '/%zz', `/${'x'.repeat(5000)}`]) {
      const reply = await rawHttp(server.port, getRequest(target, host));
      expect({ target, status: reply.status, leaked: reply.text.includes('outside the viewer folder') }).toEqual({ target, status: 404, leaked: false });
    }
    await expectServing(server);
  });
});

it('/ and /play say how to build the viewer until it is built, then serve it without a restart', async () => {
  const later = join(root, 'later');
  await withServer({ staticDir: later }, async (server) => {
    const host = `127.0.0.1:${server.port}`;
    for (const target of ['/', '/play']) {
      const reply = await rawHttp(server.port, getRequest(target, host));
      expect(reply.status).toBe(200);
      expect(reply.text).toMatch(/not built/);
      expect(reply.text).toMatch(/npm run build/);
    }
    mkdirSync(later);
    writeFileSync(join(later, 'index.html'), '<p>built later</p>');
    writeFileSync(join(later, 'play.html'), '<p>play built later</p>');
    expect((await rawHttp(server.port, getRequest('/', host))).text).toMatch(/built later/);
    expect((await rawHttp(server.port, getRequest('/play', host))).text).toMatch(/play built later/);
  });
});

/** Malformed request lines, targets, headers and methods, from a seeded generator. */
function malformedRequests(seed: number, port: number, count: number): Array<string | Buffer> {
  const rng = new Rng(seed);
  const int = (n: number): number => Math.floor(rng.float() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const host = `127.0.0.1:${port}`;
  const targets = ['http://[', 'http://[::1', 'http://x:99999/', '//', '/%', '/%zz/..', '/..%2f..%2fetc/passwd', '/\u0000', '*', 'http:', 'https://evil.example/healthz',
    '/healthz?%', '/play/../../x', `/${'%2e%2e/'.repeat(50)}etc/passwd`, '/ws', '/ws?x=1#y', `/${'a'.repeat(20_000)}`, '', ' ', '/\\..\\..\\x', 'http://127.0.0.1/..'];
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE', 'PATCH', 'PRI', 'G ET', 'get', 'X'.repeat(300), ''];
  const headers = [`Host: ${host}`, 'Host: evil.example', 'Host:', `Host: ${host}\r\nHost: other`, 'Upgrade: websocket\r\nConnection: Upgrade', 'Sec-WebSocket-Version: 99',
    'Sec-WebSocket-Key: ', 'Content-Length: -1', 'Content-Length: 99999999', 'Transfer-Encoding: chunked', 'Transfer-Encoding: chunked\r\nContent-Length: 3', 'Origin: null',
    'Origin: http://[', `X-Long: ${'y'.repeat(20_000)}`, 'Bad Header', ':', '\u0000: x', 'Expect: 100-continue', 'Connection: keep-alive, Upgrade'];
  const out: Array<string | Buffer> = [];
  for (let i = 0; i < count; i++) {
    const kind = int(10);
    if (kind === 0) {
      out.push(Buffer.from(Array.from({ length: 1 + int(300) }, () => int(256))));
      continue;
    }
    if (kind === 1) {
      out.push(upgradeRequest(pick([host, `localhost:${port}`, 'evil.example', undefined]), pick([undefined, 'http://[', `http://${host}`, 'null']), pick(['/ws', 'http://[', '/ws/../ws', '/x'])));
      continue;
    }
    const lines = [`${pick(methods)} ${pick(targets)} ${pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/9.9', 'HTTP/1.1 extra', ''])}`];
    for (let h = int(4); h > 0; h--) lines.push(pick(headers));
    if (int(3) > 0) lines.push(`Host: ${host}`);
    out.push(`${lines.join('\r\n')}\r\n\r\n${int(4) === 0 ? 'body-bytes' : ''}`);
  }
  return out;
}

describe('fuzz: 4 x 120 malformed HTTP requests over raw TCP', () => {
  const cases: Array<[string, Partial<ServerOptions>, string | undefined]> = [
    ['viewer built, no token', { staticDir: '' }, undefined],
    ['viewer built, token', { staticDir: '', token: 't0ken' }, 't0ken'],
    ['viewer not built, no token', { staticDir: '/nonexistent/rlfs-viewer' }, undefined],
    ['viewer not built, token', {}, 't0ken'],
  ];
  it.each(cases)('%s: the server still answers /healthz and serves agents', async (_name, options, token) => {
    const staticDir = options.staticDir === '' ? join(root, 'dist') : options.staticDir;
    await withServer({ ...options, staticDir, ...(token ? { token } : {}) }, async (server) => {
      const requests = malformedRequests(20261203 + server.port, server.port, 120);
      // ten at a time, each bounded by rawHttp's timeout
      for (let i = 0; i < requests.length; i += 10) {
        await Promise.all(requests.slice(i, i + 10).map((r) => rawHttp(server.port, r, 500)));
      }
      await expectServing(server, token);
    });
  });
});
