/**
 * DNS rebinding: a page on the web that points its own name at this machine reaches the port with its own name in
 * Host and Origin. Only names of this server pass: the bound address (and, on loopback, localhost, 127.0.0.1,
 * [::1]) with the port, or a name given with --allow-host; everything else is 403 on every path.
 */
import { startServer } from '../src';
import type { RunningServer } from '../src';
import { getRequest, rawHttp, upgradeRequest } from './raw-http';

let server: RunningServer;
let port: number;
beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', allowHosts: ['lab.example.org'], allowOrigins: ['http://localhost:5173'] });
  port = server.port;
});
afterAll(() => server.close());

describe('upgrade', () => {
  it('refuses a rebinding page (Host and Origin both its own name) with 403', async () => {
    const reply = await rawHttp(port, upgradeRequest(`evil.example:${port}`, `http://evil.example:${port}`));
    expect(reply.status).toBe(403);
    expect(reply.text).toMatch(/--allow-host/);
  });

  it('refuses any Host that does not name this server, with or without Origin', async () => {
    for (const host of [`evil.example:${port}`, `127.0.0.2:${port}`, `localhost:${port + 1}`, 'localhost', `127.0.0.1:${port}.evil.example`, '', undefined]) {
      expect({ host, status: (await rawHttp(port, upgradeRequest(host))).status }).toEqual({ host, status: 403 });
    }
  });

  it('accepts the loopback names with the port, and names given with --allow-host', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, 'lab.example.org', `lab.example.org:${port}`, 'lab.example.org:443']) {
      expect({ host, status: (await rawHttp(port, upgradeRequest(host))).status }).toEqual({ host, status: 101 });
    }
  });

  it('allows an Origin only when its host is an allowed host or it is listed with --allow-origin', async () => {
    const host = `127.0.0.1:${port}`;
    const cases: Array<[string, number]> = [
      [`http://127.0.0.1:${port}`, 101],
      [`http://localhost:${port}`, 101],
      ['https://lab.example.org', 101],
      ['http://localhost:5173', 101],
      [`http://evil.example:${port}`, 403],
      ['http://localhost:5174', 403],
      ['null', 403],
      [`file://127.0.0.1:${port}`, 403],
    ];
    for (const [origin, status] of cases) {
      expect({ origin, status: (await rawHttp(port, upgradeRequest(host, origin))).status }).toEqual({ origin, status });
    }
  });
});

describe('HTTP', () => {
  it('answers 403 to /healthz, / and any path when Host names another server', async () => {
    for (const target of ['/healthz', '/', '/play', '/nothing']) {
      const reply = await rawHttp(port, getRequest(target, `evil.example:${port}`));
      expect({ target, status: reply.status }).toEqual({ target, status: 403 });
    }
    expect((await rawHttp(port, getRequest('/healthz', `localhost:${port}`))).status).toBe(200);
    expect((await rawHttp(port, getRequest('/healthz', 'lab.example.org'))).status).toBe(200);
  });
});

describe('a wildcard bind', () => {
  it('accepts any address literal of the machine but no other name', async () => {
    const wild = await startServer({ port: 0, host: '0.0.0.0', warn: () => undefined });
    try {
      expect((await rawHttp(wild.port, getRequest('/healthz', `127.0.0.1:${wild.port}`))).status).toBe(200);
      expect((await rawHttp(wild.port, getRequest('/healthz', `10.1.2.3:${wild.port}`))).status).toBe(200);
      expect((await rawHttp(wild.port, getRequest('/healthz', `evil.example:${wild.port}`))).status).toBe(403);
    } finally {
      await wild.close();
    }
  });
});
