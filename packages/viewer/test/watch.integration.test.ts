/**
 * `npm run watch` end to end: a tabular Q agent trained for a few seconds on the 5x5 GridWorld, then watched. With
 * `--episodes K` on a server the test runs (`--url`), a spectator sees the session's frames and K episodes, each
 * reaching the goal, and the command exits 0 by itself. Without `--url` it starts its own server, prints the
 * viewer's URL (whose page is served), and Ctrl-C stops it and the server cleanly (exit 0).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from '@rlfs/protocol/node';
import type { EpisodeEvent, FrameEvent } from '@rlfs/protocol';
import { startViewerServer } from './support';

const REPO = resolve(__dirname, '../../..');
jest.setTimeout(180_000);

const dir = mkdtempSync(join(tmpdir(), 'rlfs-watch-'));
const runDir = join(dir, 'tq');
let child: ChildProcessWithoutNullStreams | undefined;
beforeAll(() => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'packages/agents/src/cli/train.ts', '--agent', 'tabular-q', '--steps', '30000', '--seed', '3', '--out', runDir, '--quiet'], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`train failed: ${r.stderr}`);
});
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function watch(args: string[]): { proc: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'tools/scripts/watch.ts', '--load', runDir, ...args], { cwd: REPO, env: { ...process.env, FORCE_COLOR: '0' } });
  child = proc;
  let seen = '';
  proc.stdout.on('data', (c: Buffer) => (seen += c.toString('utf8')));
  proc.stderr.on('data', (c: Buffer) => (seen += c.toString('utf8')));
  const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  return { proc, output: () => seen, exited };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, output: () => string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('--url --episodes K: a spectator sees the saved agent play K greedy episodes, then the command exits 0', async () => {
  const server = await startViewerServer();
  try {
    const spectator = await connect(server.url, { role: 'spectator', name: 'watch-test' });
    // Slow enough that the spectator subscribes during the first episode: 5 steps a second, 1 s between episodes.
    const run = watch(['--url', server.url, '--episodes', '2', '--speed', '5', '--pause', '1', '--name', 'watched']);
    const session = await until('watched session', async () => (await spectator.sessions()).find((s) => s.name === 'watched')?.session, run.output);
    const frames: FrameEvent[] = [];
    const episodes: EpisodeEvent[] = [];
    spectator.onEvent((e) => {
      if (e.type === 'frame') frames.push(e);
      if (e.type === 'episode') episodes.push(e);
    });
    await spectator.subscribe(session);
    expect(await run.exited).toBe(0);
    await until('second episode event', () => (episodes.length >= 2 ? true : undefined), run.output, 5_000);
    expect(run.output()).toContain('done: 2 episode(s).');
    const printed = [...run.output().matchAll(/episode (\d): return (-?[\d.]+), (\d+) steps/g)].map((m) => Number(m[3]));
    expect(printed).toHaveLength(2);
    // The spectator saw the second episode whole: its reset frame and one frame per step, ending on the goal.
    expect(episodes.map((e) => e.length)).toEqual(printed.slice(-episodes.length));
    expect(episodes.every((e) => e.terminated)).toBe(true);
    const second = frames.filter((f) => f.step > 0).slice(-printed[1]!);
    expect(second.map((f) => f.step)).toEqual(Array.from({ length: printed[1]! }, (_, i) => i + 1));
    const last = second[second.length - 1]!.state as { agent: number[]; goal: number[] };
    expect(last.agent).toEqual(last.goal);
    await spectator.close();
  } finally {
    await server.close();
  }
});

test('without --url it starts a server with the viewer, prints its URL, and Ctrl-C stops cleanly', async () => {
  const run = watch(['--port', '0', '--speed', '20']);
  const viewer = await until('viewer URL', () => /viewer:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.output())?.[1], run.output);
  const page = await fetch(viewer);
  expect(page.status).toBe(200);
  await until('a played episode', () => (/episode 1: return/.test(run.output()) ? true : undefined), run.output);
  run.proc.kill('SIGINT');
  expect(await run.exited).toBe(0);
  expect(run.output()).toMatch(/stopped after \d+ episode\(s\)\./);
  await expect(fetch(viewer)).rejects.toThrow(); // the server it started is gone
});
