/** The wire checker against our own server, in-process and through `npm run check`. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startServer } from '../src';
import type { RunningServer } from '../src';
import { runWireChecks, WIRE_CHECKS } from '../src/checker';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', token: 'check-token' });
});
afterAll(() => server.close());

it('passes every wire check against our server', async () => {
  const report = await runWireChecks({ url: server.url, token: 'check-token', steps: 120 });
  expect(report.filter((r) => !r.ok)).toEqual([]);
  expect(report.map((r) => r.name)).toEqual(WIRE_CHECKS.map(([name]) => name));
});

it('passes every environment check on CartPole-v1 (float32 per-element Box, draw list), with and without options', async () => {
  const envChecks = ['spec', 'resetNeeded', 'observationsInSpace', 'seedDeterminism', 'stepDeterminism', 'invalidActions', 'makeSeed', 'vectorEqualsScalar', 'packedEqualsPlain', 'render', 'draw'];
  const report = await runWireChecks({ url: server.url, token: 'check-token', steps: 150, env: 'CartPole-v1' }, undefined, ['handshake', ...envChecks]);
  expect(report.filter((r) => !r.ok)).toEqual([]);
  expect(report).toHaveLength(envChecks.length + 1);
  const short = await runWireChecks({ url: server.url, token: 'check-token', steps: 60, env: 'CartPole-v1', options: { maxEpisodeSteps: 7, suttonBartoReward: true } }, undefined, envChecks);
  expect(short.filter((r) => !r.ok)).toEqual([]);
});

it('fails the handshake check, with a reason, when given the wrong token', async () => {
  const [result] = await runWireChecks({ url: server.url, token: 'wrong' }, undefined, ['handshake']);
  expect(result).toMatchObject({ name: 'handshake', ok: false, message: expect.stringMatching(/UNAUTHORIZED/) });
});

it('npm run check prints a pass line per check and exits 0; a failing run exits 1', async () => {
  const root = resolve(__dirname, '../../..');
  const runCheck = (args: string[]): Promise<{ code: number | null; out: string }> =>
    new Promise((done) => {
      const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['packages/env-server/bin/check.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => done({ code, out }));
    });
  const ok = await runCheck(['--url', server.url, '--token', 'check-token', '--only', 'handshake,errorCodes,healthz']);
  expect(ok.out).toMatch(/^pass {2}handshake$/m);
  expect(ok.out).toMatch(/^pass {2}errorCodes$/m);
  expect(ok.out).toMatch(/^3 passed, 0 failed$/m);
  expect(ok.code).toBe(0);
  const bad = await runCheck(['--url', server.url, '--only', 'errorCodes']);
  expect(bad.out).toMatch(/^FAIL {2}errorCodes: .*UNAUTHORIZED/m);
  expect(bad.code).toBe(1);
});
