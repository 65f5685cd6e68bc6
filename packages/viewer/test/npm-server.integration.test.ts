/**
 * `npm run server` as a newcomer runs it: a viewer build older than its sources (or none) is rebuilt before the
 * server starts, the start line is followed by the viewer's and the play page's URLs, and both pages are served.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DIST, VIEWER_ROOT } from '../build';

const REPO = resolve(__dirname, '../../..');
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

it('rebuilds a stale viewer, prints the viewer and play URLs after the listening line, and serves / and /play', async () => {
  // A source newer than the build: the server's start must rebuild it.
  const source = join(VIEWER_ROOT, 'public/index.html');
  const now = new Date();
  utimesSync(source, now, now);
  const before = Date.now();

  child = spawn('npm', ['run', 'server', '--', '--port', '0'], { cwd: REPO, env: { ...process.env, FORCE_COLOR: '0' } });
  const [lines, ws, viewer, play] = (await waitForOutput(child, /listening on (ws:\/\/\S+)\nviewer: (http:\/\/\S+)\nplay: (http:\/\/\S+)\n/, 90_000)) as unknown as string[];
  const port = new URL(ws!).port;
  expect(lines).toContain(`listening on ws://127.0.0.1:${port}/ws\n`);
  expect(viewer).toBe(`http://127.0.0.1:${port}/`);
  expect(play).toBe(`http://127.0.0.1:${port}/play`);
  expect(statSync(join(DIST, 'viewer.js')).mtimeMs).toBeGreaterThanOrEqual(before - 1000);

  const page = await fetch(viewer!);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('viewer.js');
  const playPage = await fetch(play!);
  expect(playPage.status).toBe(200);
  expect(await playPage.text()).toContain('play.js');

  // Signals reach the server itself (npm's shell execs it): SIGTERM closes it with exit code 0.
  const exited = new Promise<number | null>((res) => child!.on('exit', (code) => res(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
