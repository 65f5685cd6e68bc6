/** The server's command line, run as a user runs it: `npx tsx packages/env-server/bin/server.ts ...`. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { connect } from '@rlfs/protocol/node';
import { SERVER_FLAGS } from '../src';

const ROOT = resolve(__dirname, '../../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx'); // what `npx tsx` runs, without npx's own start-up
const BIN = 'packages/env-server/bin/server.ts';

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(TSX, [BIN, ...args], { cwd: ROOT, env: { ...process.env, RLFS_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor(read: () => string, pattern: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = read().match(pattern);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms in:\n${read()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it('prints the listening line with the real port, takes RLFS_TOKEN, and on SIGINT closes clients with 1001 and exits 0', async () => {
  const server = run(['--port', '0'], { RLFS_TOKEN: 'from-env' });
  try {
    const [, url, port] = await waitFor(server.stdout, /listening on (ws:\/\/127\.0\.0\.1:(\d+)\/ws)/);
    expect(Number(port)).toBeGreaterThan(0);
    await expect(connect(url!, { role: 'agent' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const client = await connect(url!, { role: 'agent', token: 'from-env' });
    await client.make({ env: 'GridWorld-v0' });
    const closed = new Promise<number>((done) => client.onClose((info) => done(info.code)));
    server.child.kill('SIGINT');
    expect(await closed).toBe(1001);
    expect(await server.exited).toEqual({ code: 0, signal: null });
  } finally {
    server.child.kill('SIGKILL');
  }
});

it('--help lists every flag and exits 0', async () => {
  const help = run(['--help']);
  expect((await help.exited).code).toBe(0);
  for (const flag of Object.keys(SERVER_FLAGS)) expect(help.stdout()).toContain(`--${flag}`);
});

it('warns when bound to a non-loopback address without a token', async () => {
  const server = run(['--port', '0', '--host', '0.0.0.0']);
  try {
    await waitFor(server.stdout, /listening on/);
    expect(server.stderr() + server.stdout()).toMatch(/warning.*token/i);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  } finally {
    server.child.kill('SIGKILL');
  }
});

it('refuses a bad flag with a message naming it and exit code 2', async () => {
  const bad = run(['--port', 'eighty']);
  expect((await bad.exited).code).toBe(2);
  expect(bad.stderr()).toMatch(/--port/);
});
