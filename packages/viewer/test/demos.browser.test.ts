/**
 * Human demonstrations end to end: on /play a person switches recording on, plays two episodes of a fixed 3x3 layout
 * with the arrow keys, and downloads the file (the browser's download event); each line is one transition with the
 * observation before and after, worked out by hand below; `npm run train -- --agent dqn --demos FILE` on the same
 * world accepts it, and refuses it for another world (naming the line and field) and for an agent that cannot use it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '@rlfs/env-server';
import { launchChromium, screenshotPath, startViewerServer } from './support';

const REPO = resolve(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'rlfs-demos-'));
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startViewerServer();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function train(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', 'packages/agents/src/cli/train.ts', '--backend', 'cpu', '--quiet', '--out', join(dir, 'run'), ...args], { cwd: REPO, encoding: 'utf8' });
}

test('/play records two episodes, downloads them as JSON lines, and train --demos takes them', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  await page.goto(`${server.httpUrl}play?layout=A..,...,..G&name=e2e-demos`);
  await page.click('#start');
  await page.waitForFunction(() => (window as unknown as { __rlfsPlay: () => unknown }).__rlfsPlay() !== undefined);
  expect(await page.isDisabled('#demo-download')).toBe(true);
  await page.click('#demo-record');
  expect(await page.getAttribute('#demo-record', 'aria-pressed')).toBe('true');

  const play = async (keys: string[], episode: number): Promise<void> => {
    await page.waitForFunction(() => (window as unknown as { __rlfsPlay: () => { step: number; over: boolean } }).__rlfsPlay().over === false, undefined, { timeout: 5000 });
    for (const key of keys) await page.keyboard.press(key);
    await page.locator('#demo-count[data-transitions]').and(page.locator(`[data-transitions="${episode * keys.length}"]`)).waitFor();
  };
  await play(['ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowDown'], 1);
  await play(['ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowRight'], 2);
  expect(await page.textContent('#demo-count')).toBe('Recording: 8 transitions in 2 episodes');
  await page.screenshot({ path: screenshotPath('play-demos.png') });

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#demo-download')]);
  expect(download.suggestedFilename()).toMatch(/^demos-GridWorld-v0-\d{8}-\d{6}\.jsonl$/);
  const file = join(dir, 'demos.jsonl');
  await download.saveAs(file);
  await page.close();

  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toHaveLength(8);
  // /play asks for the coords observation [agentRow, agentCol, goalRow, goalCol]; the first move is right (3).
  expect(lines[0]).toEqual(expect.objectContaining({
    env: 'GridWorld-v0', episode: 1, step: 1, action: 3, observation: [0, 0, 2, 2], nextObservation: [0, 1, 2, 2], terminated: false, truncated: false,
  }));
  expect(lines[0]!.options).toEqual(expect.objectContaining({ layout: ['A..', '...', '..G'], observation: 'coords', size: 3 }));
  expect(lines.map((l) => l.action)).toEqual([3, 3, 1, 1, 1, 1, 3, 3]);
  expect(lines.map((l) => l.terminated)).toEqual([false, false, false, true, false, false, false, true]);
  expect(lines[4]).toEqual(expect.objectContaining({ episode: 2, step: 1, observation: [0, 0, 2, 2], nextObservation: [1, 0, 2, 2] }));
  // The goal step pays 100 on top of the step's -1 and the shaping (sqrt(1) - 0) / 3.
  expect(lines[3]!.reward).toBeCloseTo(-1 + 1 / 3 + 100, 9);

  const layout = JSON.stringify({ layout: ['A..', '...', '..G'], observation: 'coords' });
  const ok = train(['--agent', 'dqn', '--options', layout, '--demos', file, '--steps', '50']);
  expect({ status: ok.status, stderr: ok.status === 0 ? '' : ok.stderr }).toEqual({ status: 0, stderr: '' });
  expect(ok.stdout).toContain(`demonstrations: 8 transitions in 2 episodes from ${file}`);

  const otherWorld = train(['--agent', 'dqn', '--options', '{"size":3,"observation":"coords"}', '--demos', file, '--steps', '50']);
  expect(otherWorld.status).toBe(1);
  expect(otherWorld.stderr).toMatch(/line 1: field "options" differs from the run's \(layout is \["A\.\.","\.\.\.","\.\.G"\] here, undefined in the run\)/);

  const tabular = train(['--agent', 'tabular-q', '--options', layout, '--demos', file, '--steps', '50']);
  expect(tabular.status).toBe(2);
  expect(tabular.stderr).toContain('--demos: the tabular-q agent cannot learn from demonstrations (dqn can: it puts them in its replay buffer)');
});
