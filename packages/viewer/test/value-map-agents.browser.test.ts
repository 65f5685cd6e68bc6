/**
 * The value overlay with real agents, in headless Chromium: `npm run train` with tabular Q and with DQN sends its
 * value map over the server (--value-map-every), and the viewer draws it on the board: one coloured cell and one
 * arrow for every free cell of the 5x5 world (the goal has neither).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '@rlfs/env-server';
import { launchChromium, startViewerServer } from './support';

const ROOT = resolve(__dirname, '../../..');
let server: RunningServer;
let browser: Browser;
let child: ChildProcess | undefined;
let dir: string;

beforeAll(async () => {
  server = await startViewerServer();
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'rlfs-values-'));
}, 120_000);

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  child = undefined;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Probe = { size: number; cells: number; arrows: number } | undefined;

test.each(['tabular-q', 'dqn'])('the board draws the value map that %s sends while it trains', async (agent) => {
  const name = `values-${agent}`;
  // a long budget: the trainer is stopped by the test once the overlay is drawn
  child = spawn(process.execPath, ['--import', 'tsx', 'packages/agents/src/cli/train.ts', '--agent', agent, '--url', server.url, '--name', name,
    '--options', '{"size":5}', '--steps', '200000', '--value-map-every', '100', '--out', join(dir, agent), '--quiet'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(server.httpUrl);
    await page.locator('#session-list li.active', { hasText: name }).waitFor({ timeout: 90_000 });
    await page.waitForFunction(() => (window as unknown as { __rlfsViewer: { board?: { valueMap?: unknown } } }).__rlfsViewer.board?.valueMap !== undefined, undefined, { timeout: 90_000 });
    const probe = await page.evaluate(() => (window as unknown as { __rlfsViewer: { board?: { valueMap?: Probe } } }).__rlfsViewer.board?.valueMap);
    // 25 cells, the goal's without a value: 24 coloured cells with a greedy arrow each
    expect(probe).toEqual({ size: 5, cells: 24, arrows: 24 });
  } catch (err) {
    throw new Error(`${(err as Error).message}\ntrainer stderr:\n${stderr}`);
  } finally {
    await page.close();
  }
}, 150_000);
