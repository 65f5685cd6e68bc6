/**
 * `npm start` end to end: the script builds the viewer if needed, starts the server and a demo agent learning on it,
 * prints the viewer's URL and names the agent; the page is served there, the demo's session streams frames to a
 * spectator, and Ctrl-C (SIGINT) stops everything with exit code 0, the demo's checkpoint saved in its run folder.
 * The next start resumes it; --fresh starts over. (The run folder is a temporary --demo-dir, not runs/demo.)
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from '@rlfs/protocol/node';
import type { FrameEvent } from '@rlfs/protocol';

const REPO = resolve(__dirname, '../../..');
const TSX = resolve(REPO, 'node_modules/.bin/tsx');
jest.setTimeout(120_000);

const runDir = join(mkdtempSync(join(tmpdir(), 'rlfs-npm-start-')), 'demo');
let child: ChildProcessWithoutNullStreams | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(resolve(runDir, '..'), { recursive: true, force: true });
});

function waitForOutput(proc: ChildProcessWithoutNullStreams, pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  let seen = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no ${pattern} within ${ms} ms; output:\n${seen.slice(-3000)}`)), ms);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        proc.stdout.off('data', onData);
        res(match);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (chunk: Buffer) => (seen += chunk.toString('utf8')));
  });
}

function start(args: string[]): ChildProcessWithoutNullStreams {
  child = spawn(TSX, ['tools/scripts/start.ts', '--port', '0', '--demo-dir', runDir, ...args], { cwd: REPO, env: { ...process.env, FORCE_COLOR: '0' } });
  return child;
}

/** Waits for the demo's session and for `count` frames of it (the agent is stepping), through a spectator. */
async function demoSteps(wsUrl: string, name: string, count: number): Promise<void> {
  const spectator = await connect(wsUrl, { role: 'spectator', name: 'npm-start-test' });
  try {
    let demo: { session: string } | undefined;
    for (let i = 0; i < 120 && !demo; i++) {
      demo = (await spectator.sessions()).find((s) => s.name === name);
      if (!demo) await new Promise((r) => setTimeout(r, 500));
    }
    expect(demo).toBeDefined();
    const frames: FrameEvent[] = [];
    spectator.onEvent((event) => {
      if (event.type === 'frame') frames.push(event);
    });
    await spectator.subscribe(demo!.session);
    for (let i = 0; i < 120 && frames.length < count; i++) await new Promise((r) => setTimeout(r, 250));
    expect(frames.length).toBeGreaterThanOrEqual(count);
    expect(frames[0]!.state).toEqual(expect.objectContaining({ size: expect.any(Number) }));
  } finally {
    await spectator.close();
  }
}

async function ctrlC(proc: ChildProcessWithoutNullStreams): Promise<number | null> {
  const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  proc.kill('SIGINT');
  return exited;
}

function checkpoint(): { agent: string; progress: { steps: number; episodes: number } } {
  return JSON.parse(readFileSync(join(runDir, 'checkpoint', 'checkpoint.json'), 'utf8')) as { agent: string; progress: { steps: number; episodes: number } };
}

it('starts the server, the viewer and a learning demo agent it names, and keeps its checkpoint on Ctrl-C', async () => {
  const proc = start(['--demo-agent', 'tabular-q']);
  const [banner, viewerUrl] = (await waitForOutput(proc, /viewer:\s+(http:\/\/127\.0\.0\.1:\d+\/)[\s\S]*run folder:.*\n/, 60_000)) as unknown as [string, string];
  expect(banner).toContain('demo agent:  tabular-q learning on GridWorld-v0, from scratch');

  const page = await fetch(viewerUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<canvas|<script/);
  const play = await fetch(`${viewerUrl}play`);
  expect(play.status).toBe(200);

  await demoSteps(viewerUrl.replace(/^http/, 'ws') + 'ws', 'demo-tabular-q', 20);
  expect(await ctrlC(proc)).toBe(0);
  const saved = checkpoint();
  expect(saved.agent).toBe('tabular-q');
  expect(saved.progress.steps).toBeGreaterThanOrEqual(20);
});

it('resumes the demo on the next start, and refuses another agent without --fresh', async () => {
  const before = checkpoint().progress;
  const other = start(['--demo-agent', 'random']);
  const exited = new Promise<number | null>((res) => other.on('exit', (code) => res(code)));
  let stderr = '';
  other.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  expect(await exited).toBe(2);
  expect(stderr).toContain(`${runDir} holds a tabular-q demo (step ${before.steps}); --demo-agent random needs --fresh`);

  const proc = start([]);
  const [banner, viewerUrl] = (await waitForOutput(proc, /viewer:\s+(http:\/\/127\.0\.0\.1:\d+\/)[\s\S]*run folder:.*\n/, 60_000)) as unknown as [string, string];
  expect(banner).toContain(`demo agent:  tabular-q learning on GridWorld-v0, resuming at step ${before.steps} (episode ${before.episodes})`);
  await demoSteps(viewerUrl.replace(/^http/, 'ws') + 'ws', 'demo-tabular-q', 20);
  expect(await ctrlC(proc)).toBe(0);
  const after = checkpoint().progress;
  expect(after.steps).toBeGreaterThanOrEqual(before.steps + 20);
  expect(after.episodes).toBeGreaterThanOrEqual(before.episodes);
});

it('--fresh deletes the demo and starts over, here with another agent', async () => {
  const proc = start(['--fresh', '--demo-agent', 'random']);
  const [banner, viewerUrl] = (await waitForOutput(proc, /viewer:\s+(http:\/\/127\.0\.0\.1:\d+\/)[\s\S]*run folder:.*\n/, 60_000)) as unknown as [string, string];
  expect(banner).toContain('demo agent:  random learning on GridWorld-v0, from scratch');
  expect(existsSync(join(runDir, 'checkpoint', 'checkpoint.json')) && checkpoint().agent === 'tabular-q').toBe(false);
  await demoSteps(viewerUrl.replace(/^http/, 'ws') + 'ws', 'demo-random', 20);
  expect(await ctrlC(proc)).toBe(0);
  expect(checkpoint().agent).toBe('random');
});
