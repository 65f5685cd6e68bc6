/**
 * Issue 13's views end to end in headless Chromium (./chromium.ts picks it): a viewer opened after 500 episodes
 * shows all of them; two agents raced on three seeds show as two curves with bands (live, `/?race=`, and from run
 * folders, `npm run view`); an agent's value map is drawn on the board and toggled with V.
 * Screenshots go to test-results/screenshots/ (docs/img/ with UPDATE_DOCS_IMAGES=1).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@rlfs/env-server';
import type { Client, StepInfo } from '@rlfs/protocol';
import { connect } from '@rlfs/protocol/node';
import type { CompareProbe } from '../src/compare/compare-app';
import { launchChromium, screenshotPath, startViewerServer } from './support';

const ROOT = resolve(__dirname, '../../..');
let server: RunningServer;
let browser: Browser;
const clients: Client[] = [];
let child: ChildProcess | undefined;

beforeAll(async () => {
  server = await startViewerServer();
  browser = await launchChromium();
}, 120_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  return page;
}

async function agent(name: string): Promise<Client> {
  const c = await connect(server.url, { role: 'agent', name });
  clients.push(c);
  return c;
}

test('a viewer opened after 500 episodes shows all 500: chart, badge, session list and board agree', async () => {
  const a = await agent('five-hundred');
  await a.make({ env: 'GridWorld-v0', options: { layout: ['A...', '....', '....', '...G'], maxEpisodeSteps: 20 } });
  for (let i = 0; i < 500; i++) {
    // 6 moves to the goal, with a detour every 3rd episode, so that lengths and returns vary; pipelined (replies
    // come in request order), so 500 episodes take 500 round trips
    const moves = i % 3 === 0 ? [0, 3, 3, 3, 1, 1, 1] : [3, 3, 3, 1, 1, 1];
    await Promise.all([a.reset(), ...moves.map((m) => a.step(m))]);
    if (i % 50 === 49) a.telemetry({ 'train/epsilon': 1 - i / 500, 'train/loss': 10 / (i + 1) });
  }
  const page = await newPage();
  await page.goto(server.httpUrl);
  await page.waitForFunction(() => Number(document.getElementById('return-chart')?.dataset.points ?? 0) === 500, undefined, { timeout: 30_000 });
  // 500 episodes of 6 or 7 steps: 167 with the detour (i % 3 === 0 for i = 0..499)
  const steps = 167 * 7 + 333 * 6;
  await page.locator('#episodes-badge', { hasText: `500 episodes · ${steps.toLocaleString('en-US')} env steps` }).waitFor();
  await page.locator('#session-list li.active', { hasText: '500 episodes' }).waitFor();
  const info = await page.evaluate(() => (window as unknown as { __rlfsViewer: { chartInfo: Record<string, { xLabel: string }> } }).__rlfsViewer.chartInfo);
  expect(info.return!.xLabel).toBe('env steps');
  expect(info['metric:train/epsilon']).toMatchObject({ xLabel: 'env steps' });
  expect(await page.locator('[data-metric="train/loss"]').getAttribute('title')).toMatch(/^loss: /);
  // the board's HUD says the same count
  await a.reset();
  await page.waitForFunction(() => (window as unknown as { __rlfsViewer: { board?: unknown } }).__rlfsViewer.board !== undefined);
  await page.screenshot({ path: screenshotPath('viewer-history.png') });
  updateDocsImage('viewer-history.png');
  await page.close();
}, 90_000);

test('the value overlay draws an agent value map sent by telemetry, and V toggles it (remembered)', async () => {
  const a = await agent('values');
  await a.make({ env: 'GridWorld-v0', options: { layout: ['A...', '.#..', '....', '...G'] } });
  await a.reset();
  const page = await newPage();
  await page.goto(server.httpUrl);
  await page.locator('#session-list li.active', { hasText: 'values' }).waitFor();
  // greedy values of a perfect agent: 100 at the goal's neighbours falling by 1 per move; arrows toward the goal
  const values: (number | null)[] = [];
  const actions: number[] = [];
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      const wall = r === 1 && c === 1;
      const goal = r === 3 && c === 3;
      values.push(wall || goal ? null : 100 - (6 - r - c));
      actions.push(wall || goal ? -1 : r < 3 ? 1 : 3);
    }
  }
  a.telemetry({ 'train/epsilon': 0.1 }, { valueMap: { size: 4, goal: [3, 3], values, actions } });
  await a.step(2); // a frame to draw the board from (left at the edge: a bump, the agent stays)
  const probe = (): Promise<{ size: number; cells: number; arrows: number } | undefined> =>
    page.evaluate(() => (window as unknown as { __rlfsViewer: { board?: { valueMap?: { size: number; cells: number; arrows: number } } } }).__rlfsViewer.board?.valueMap);
  await page.waitForFunction(() => (window as unknown as { __rlfsViewer: { board?: { valueMap?: unknown } } }).__rlfsViewer.board?.valueMap !== undefined, undefined, { timeout: 30_000 });
  expect(await probe()).toEqual({ size: 4, cells: 14, arrows: 14 });
  // the top-left cell is coloured: not the plain cell colour any more
  const pixel = await page.evaluate(() => {
    const b = (window as unknown as { __rlfsViewer: { board: { geometry: { x0: number; y0: number; cell: number }; density: number } } }).__rlfsViewer.board;
    const ctx = (document.querySelector('#board canvas') as HTMLCanvasElement).getContext('2d')!;
    const g = b.geometry;
    return Array.from(ctx.getImageData(Math.round((g.x0 + 0.15 * g.cell) * b.density), Math.round((g.y0 + 0.85 * g.cell) * b.density), 1, 1).data).slice(0, 3);
  });
  expect(pixel).not.toEqual([0x1c, 0x25, 0x39]);
  await page.screenshot({ path: screenshotPath('viewer-value-map.png') });
  updateDocsImage('viewer-value-map.png');
  await page.keyboard.press('v');
  await page.waitForFunction(() => (window as unknown as { __rlfsViewer: { board?: { valueMap?: unknown } } }).__rlfsViewer.board?.valueMap === undefined);
  expect(await page.evaluate(() => localStorage.getItem('rlfs-show-values'))).toBe('0');
  await page.reload();
  await page.locator('#session-list li.active', { hasText: 'values' }).waitFor();
  expect(await page.locator('#show-values').isChecked()).toBe(false);
  await page.close();
}, 60_000);

test('two agents raced on three seeds show as two curves with bands, with their eval/success', async () => {
  // "greedy" walks to the goal, "random" moves at random: six sessions named race/r1/<agent>/seed<k>
  const runs = await Promise.all(['greedy', 'random'].flatMap((name) => [0, 1, 2].map(async (seed) => {
    const c = await agent(`race/r1/${name}/seed${seed}`);
    await c.make({ env: 'GridWorld-v0', options: { size: 5, maxEpisodeSteps: 30, observation: 'coords' } });
    return { c, name, seed };
  })));
  await Promise.all(runs.map(async ({ c, name, seed }) => {
    let rng = seed + 1;
    let info = (await c.reset({ seed })).info as StepInfo;
    for (let episode = 0; episode < 40; episode++) {
      for (;;) {
        const [r, col] = info.agent!;
        const [gr, gc] = info.goal!;
        rng = (rng * 1103515245 + 12345) % 2 ** 31;
        const action = name === 'random' ? Math.floor(rng / 65536) % 4 : gr < r ? 0 : gr > r ? 1 : gc < col ? 2 : 3;
        const result = await c.step(action);
        info = result.info as StepInfo;
        if (result.terminated || result.truncated) break;
      }
      if (episode % 10 === 9) c.telemetry({ 'eval/success': name === 'greedy' ? 1 : 0.1 * (seed + 1) });
      info = (await c.reset()).info as StepInfo;
    }
  }));
  const page = await newPage();
  await page.goto(`${server.httpUrl}?race=r1`);
  const charts = async (): Promise<CompareProbe['charts']> => page.evaluate(() => (window as unknown as { __rlfsCompare: CompareProbe }).__rlfsCompare.charts);
  await page.waitForFunction(() => {
    const p = (window as unknown as { __rlfsCompare?: CompareProbe }).__rlfsCompare;
    return p?.runs === 6 && (p.charts['compare-success']?.length ?? 0) === 4 && (p.charts['compare-return']?.[0]?.points ?? 0) > 0;
  }, undefined, { timeout: 30_000 });
  const c = await charts();
  expect(c['compare-return']!.map((s) => [s.name, s.style])).toEqual([['greedy range', 'band'], ['greedy (3 seeds)', 'line'], ['random range', 'band'], ['random (3 seeds)', 'line']]);
  expect(c['compare-success']!.map((s) => s.style)).toEqual(['band', 'line', 'band', 'line']);
  await page.screenshot({ path: screenshotPath('viewer-race.png') });
  updateDocsImage('viewer-race.png');
  await page.close();
}, 90_000);

test('npm run view opens finished run folders in the same comparison', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlfs-view-'));
  const folders: string[] = [];
  for (const name of ['tabular-q', 'random']) {
    for (const seed of [0, 1, 2]) {
      const f = join(dir, `${name}-seed${seed}`);
      mkdirSync(f);
      const rows = ['episode,return,length,shortest_path,success,steps'];
      const metrics = ['step,metric,value'];
      for (let e = 1; e <= 200; e++) {
        const ret = name === 'random' ? -50 + seed * 5 : Math.min(95, -100 + e * 2 + seed * 3);
        rows.push(`${e},${ret},10,4,${ret > 0 ? 1 : 0},${e * 10}`);
        if (e % 20 === 0) metrics.push(`${e * 10},eval/success,${name === 'random' ? 0 : Math.min(1, e / 150)}`);
      }
      writeFileSync(join(f, 'episodes.csv'), rows.join('\n') + '\n');
      writeFileSync(join(f, 'metrics.csv'), metrics.join('\n') + '\n');
      writeFileSync(join(f, 'run.json'), JSON.stringify({ env: 'GridWorld-v0', options: { size: 5 }, agent: name, seed }));
      folders.push(f);
    }
  }
  child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../bin/view.ts'), ...folders, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /open (http:\/\/\S+)/.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    child!.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child!.once('exit', (code) => reject(new Error(`npm run view exited ${code}: ${out}`)));
  });
  expect(url).toMatch(/\/\?runs$/);
  const page = await newPage();
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __rlfsCompare?: CompareProbe }).__rlfsCompare?.runs === 6, undefined, { timeout: 30_000 });
  await page.waitForFunction(() => ((window as unknown as { __rlfsCompare: CompareProbe }).__rlfsCompare.charts['compare-success']?.length ?? 0) === 4);
  const c = await page.evaluate(() => (window as unknown as { __rlfsCompare: CompareProbe }).__rlfsCompare.charts);
  expect(c['compare-return']!.map((s) => s.name)).toEqual(['random range', 'random (3 seeds)', 'tabular-q range', 'tabular-q (3 seeds)']);
  await page.locator('#compare-runs li', { hasText: 'tabular-q: seeds 0, 1, 2 · 600 episodes' }).waitFor();
  await page.screenshot({ path: screenshotPath('view-runs.png') });
  updateDocsImage('view-runs.png');
  await page.close();
}, 60_000);

/** Tests never write into docs/ unless asked: `UPDATE_DOCS_IMAGES=1 npx jest test/history-compare.browser.test.ts`. */
function updateDocsImage(name: string): void {
  if (!process.env.UPDATE_DOCS_IMAGES) return;
  const docsImg = resolve(ROOT, 'docs/img');
  mkdirSync(docsImg, { recursive: true });
  copyFileSync(screenshotPath(name), resolve(docsImg, name));
}
