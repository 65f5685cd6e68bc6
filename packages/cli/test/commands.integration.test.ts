/**
 * Every command line of the project, run as `npx tsx BIN ...` runs it (as `node --import tsx BIN`: the same loader
 * without tsx's wrapper process): --help exits 0 and lists its flags with defaults; a typo'd flag and a bad value are
 * usage errors (exit 2) of one line naming the flag, with a "did you mean" and a pointer to --help; runtime failures
 * are one line without a stack (exit 1). 26 processes of about a second of CPU each, three at a time: about 20 s on
 * two idle cores (the long timeout is for a machine loaded by other suites).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

interface Case {
  /** As typed, e.g. "npm run server". */
  name: string;
  bin: string;
  /** Flags (with placeholders and defaults) that --help must show, as regular expressions over one line. */
  help: RegExp[];
  typo: string[];
  typoMessage: string;
  bad: string[];
  /** The first line of stderr. */
  badMessage: RegExp;
}

const CASES: Case[] = [
  {
    name: 'npm run server',
    bin: 'packages/env-server/bin/server.ts',
    help: [/^ {2}--port P .*\(integer from 0 to 65535\) \[default: 8080\]$/, /^ {2}--token T .*\[default: \$RLFS_TOKEN if set, else none\]$/, /^ {2}--max-payload BYTES .*\[default: 1048576\]$/],
    typo: ['--prot', '8080'],
    typoMessage: 'unknown flag --prot (did you mean --port?)',
    bad: ['--port', '99999'],
    badMessage: /^error: --port: expected an integer from 0 to 65535, got "99999"$/,
  },
  {
    name: 'npm start',
    bin: 'tools/scripts/start.ts',
    help: [/^ {2}--port P .*\[default: 8080\]$/, /^ {2}--demo-agent NAME .*\[default: dqn\]$/, /^ {2}--no-demo .*\[default: false\]$/],
    typo: ['--demo-agnt', 'random'],
    typoMessage: 'unknown flag --demo-agnt (did you mean --demo-agent?)',
    bad: ['--port', 'abc'],
    badMessage: /^error: --port: expected an integer from 0 to 65535, got "abc"$/,
  },
  {
    name: 'npm run check',
    bin: 'packages/env-server/bin/check.ts',
    help: [/^ {2}--url URL .*\[default: none, required\]$/, /^ {2}--steps N .*\[default: 200\]$/, /^ {2}--only a,b .*handshake.*\[default: none\]$/],
    typo: ['--ur', 'ws://127.0.0.1:1/ws'],
    typoMessage: 'unknown flag --ur (did you mean --url?)',
    bad: ['--url', 'ws://127.0.0.1:1/ws', '--only', 'handshak'],
    badMessage: /^error: --only: expected items from handshake, .*, got "handshak" \(did you mean handshake\?\)$/,
  },
  {
    name: 'npm run play',
    bin: 'packages/viewer/bin/play.ts',
    help: [/^ {2}--url URL .*\[default: \$RLFS_URL if set, else ws:\/\/127\.0\.0\.1:8080\/ws\]$/, /^ {2}--size N .*\(integer from 2 to 64\) \[default: 5\]$/],
    typo: ['--sise', '6'],
    typoMessage: 'unknown flag --sise (did you mean --size?)',
    bad: ['--boundary', 'wrapp'],
    badMessage: /^error: --boundary: expected one of walls, wrap, got "wrapp" \(did you mean wrap\?\)$/,
  },
  {
    name: 'npm run train',
    bin: 'packages/agents/src/cli/train.ts',
    help: [/^ {2}--steps S .*\[default: per agent: dqn 10000/, /^ {2}--backend auto\|node\|wasm\|cpu .*\[default: auto\]$/, /^Agent options \(--agent-options JSON\):$/],
    typo: ['--stepz', '10'],
    typoMessage: 'unknown flag --stepz (did you mean --steps?)',
    bad: ['--agent', 'dqnn', '--steps', '10'],
    badMessage: /^error: --agent dqnn: .*\(did you mean dqn\?\)$/,
  },
  {
    name: 'npm run eval',
    bin: 'packages/agents/src/cli/eval.ts',
    help: [/^ {2}--load DIR .*\[default: none, required\]$/, /^ {2}--episodes N .*\(integer >= 1\) \[default: 100\]$/],
    typo: ['--episode', '5'],
    typoMessage: 'unknown flag --episode (did you mean --episodes?)',
    bad: ['--load', 'runs/x', '--episodes', '0'],
    badMessage: /^error: --episodes: expected an integer >= 1, got "0"$/,
  },
  {
    name: 'npm run bench',
    bin: 'tools/bench/src/bench.ts',
    help: [/^ {2}--quick .*\[default: false\]$/, /^ {2}--only GROUPS .*\(inproc, scalar, .*\) \[default: all\]$/],
    typo: ['--quik'],
    typoMessage: 'unknown flag --quik (did you mean --quick?)',
    bad: ['--only', 'inproc,vectr'],
    badMessage: /^error: --only: expected items from inproc, scalar, .*, got "vectr" \(did you mean vector\?\)$/,
  },
  {
    name: 'npm run bench:learn',
    bin: 'tools/bench/src/learn.ts',
    help: [/^ {2}--seeds N .*\[default: 5 /, /^ {2}--only AGENT\[:LABEL\] /],
    typo: ['--seed', '3'],
    typoMessage: 'unknown flag --seed (did you mean --seeds?)',
    bad: ['--seeds', '0'],
    badMessage: /^error: --seeds: expected an integer >= 1, got "0"$/,
  },
  {
    name: 'npm run view',
    bin: 'packages/viewer/bin/view.ts',
    help: [/^ {2}--port N .*\(integer from 0 to 65535\) \[default: 8090\]$/, /^ {2}--host H .*\[default: 127\.0\.0\.1\]$/],
    typo: ['--prot', '8090'],
    typoMessage: 'unknown flag --prot (did you mean --port?)',
    bad: ['runs/x', '--port', '99999'],
    badMessage: /^error: --port: expected an integer from 0 to 65535, got "99999"$/,
  },
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(bin: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    // stdin is /dev/null: play must answer --help and flag mistakes before it asks for a terminal.
    const child = spawn(process.execPath, ['--import', 'tsx', bin, ...args], { cwd: ROOT, env: { ...process.env, RLFS_TOKEN: '', RLFS_URL: '', RLFS_DEBUG: '', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the jobs at most `width` at a time, results in the jobs' order. */
async function pool<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

const results = new Map<string, Run>();
let deadPort: number;
let busy: ReturnType<typeof createServer>;
let busyPort: number;

beforeAll(async () => {
  deadPort = await closedPort();
  busy = createServer();
  await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  busyPort = (busy.address() as AddressInfo).port;
  const jobs: Array<[string, string, string[]]> = [
    ...CASES.flatMap((c): Array<[string, string, string[]]> => [
      [`${c.name} help`, c.bin, ['--help']],
      [`${c.name} typo`, c.bin, c.typo],
      [`${c.name} bad`, c.bin, c.bad],
    ]),
    ['check down', 'packages/env-server/bin/check.ts', ['--url', `ws://127.0.0.1:${deadPort}/ws`]],
    ['server busy', 'packages/env-server/bin/server.ts', ['--port', String(busyPort)]],
  ];
  const runs = await pool(jobs.map(([, bin, args]) => () => run(bin, args)), 3);
  jobs.forEach(([key], i) => results.set(key, runs[i]!));
}, 600_000);

afterAll(() => new Promise<void>((done) => busy.close(() => done())));

describe.each(CASES)('$name', (c) => {
  it('--help prints the usage and every flag with its default, exit 0', () => {
    const r = results.get(`${c.name} help`)!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`usage: ${c.name} -- `)).toBe(true);
    const lines = r.stdout.split('\n');
    for (const pattern of c.help) expect(lines.some((line) => pattern.test(line))).toBe(true);
    expect(lines.some((line) => /^ {2}-h, --help {2,}print this help and exit$/.test(line))).toBe(true);
    // Every flag line carries its default.
    const flagLines = lines.filter((line) => /^ {2}--[a-z]/.test(line));
    expect(flagLines.length).toBeGreaterThan(1);
    for (const line of flagLines) expect(line).toMatch(/\[default: [^\]]+\]$/);
  });

  it('a typo\'d flag: one line with "did you mean", a hint to --help, exit 2', () => {
    const r = results.get(`${c.name} typo`)!;
    expect(r.stderr).toBe(`error: ${c.typoMessage}\nsee: ${c.name} -- --help\n`);
    expect(r.code).toBe(2);
  });

  it('a bad value: one line naming the flag and what it expects, exit 2', () => {
    const r = results.get(`${c.name} bad`)!;
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(c.badMessage);
    expect(lines.slice(1)).toEqual([`see: ${c.name} -- --help`, '']);
    expect(r.code).toBe(2);
  });
});

describe('runtime failures', () => {
  it('npm run check against a server that is down: one line, exit 1', () => {
    const r = results.get('check down')!;
    expect(r.stderr).toBe(`error: cannot connect to ws://127.0.0.1:${deadPort}/ws: connection refused (is the server running?)\n`);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
  });

  it('npm run server on a port in use: one line without a stack, exit 1', () => {
    const r = results.get('server busy')!;
    expect(r.stderr).toMatch(new RegExp(`^error: .*(EADDRINUSE|in use).*${busyPort}.*\\n$`));
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(1);
  });
});
