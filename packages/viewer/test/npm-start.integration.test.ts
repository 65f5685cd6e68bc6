/**
 * `npm start` end to end: the script builds the viewer if needed, starts the server and a demo DQN learning on it,
 * prints the viewer's URL; the page is served there, the demo's session streams frames to a spectator, and
 * Ctrl-C (SIGINT) stops everything with exit code 0.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { connect } from '@rlfs/protocol/node';
import type { FrameEvent } from '@rlfs/protocol';

const REPO = resolve(__dirname, '../../..');
const TSX = resolve(REPO, 'node_modules/.bin/tsx');
jest.setTimeout(120_000);

let child: ChildProcessWithoutNullStreams | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
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

it('starts the server, the viewer and a learning demo agent, and stops on Ctrl-C', async () => {
  child = spawn(TSX, ['tools/scripts/start.ts', '--port', '0'], { cwd: REPO, env: { ...process.env, FORCE_COLOR: '0' } });
  const [, viewerUrl] = (await waitForOutput(child, /viewer:\s+(http:\/\/127\.0\.0\.1:\d+\/)/, 60_000)) as unknown as [string, string];

  const page = await fetch(viewerUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<canvas|<script/);

  const wsUrl = viewerUrl.replace(/^http/, 'ws') + 'ws';
  const spectator = await connect(wsUrl, { role: 'spectator', name: 'npm-start-test' });
  try {
    let demo: { session: string } | undefined;
    for (let i = 0; i < 120 && !demo; i++) {
      demo = (await spectator.sessions()).find((s) => s.name.startsWith('demo-'));
      if (!demo) await new Promise((r) => setTimeout(r, 500));
    }
    expect(demo).toBeDefined();
    const frames: FrameEvent[] = [];
    spectator.onEvent((event) => {
      if (event.type === 'frame') frames.push(event);
    });
    await spectator.subscribe(demo!.session);
    for (let i = 0; i < 60 && frames.length < 20; i++) await new Promise((r) => setTimeout(r, 250));
    expect(frames.length).toBeGreaterThanOrEqual(20); // the demo agent is stepping
    expect(frames[0]!.state).toEqual(expect.objectContaining({ size: expect.any(Number) }));
  } finally {
    await spectator.close();
  }

  const exited = new Promise<number | null>((res) => child!.on('exit', (code) => res(code)));
  child.kill('SIGINT');
  expect(await exited).toBe(0);
});
