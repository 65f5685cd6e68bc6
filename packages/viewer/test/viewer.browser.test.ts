/**
 * End to end in headless Chromium (./chromium.ts picks it): a real server serving dist/, a real agent stepping and sending telemetry,
 * the viewer page and the /play page. Screenshots go to test-results/screenshots/ (path printed).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@rlfs/env-server';
import { hexToRgb, PALETTE } from '../src/draw/commands';
import type { ScriptedAgent } from './support';
import { launchChromium, screenshotPath, SCREENSHOTS, startScriptedAgent, startViewerServer } from './support';

const DOCS_IMG = resolve(__dirname, '../../../docs/img');
let server: RunningServer;
let browser: Browser;
let agent: ScriptedAgent | undefined;

beforeAll(async () => {
  server = await startViewerServer();
  browser = await launchChromium();
  console.log(`screenshots: ${SCREENSHOTS}`);
}, 120_000); // the first launch of the packaged browser unpacks it

afterAll(async () => {
  await agent?.stop();
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  return page;
}

test('the viewer lists the session, draws the board, plots returns as episodes end, and charts telemetry', async () => {
  agent = await startScriptedAgent(server.url, { name: 'e2e-agent', delayMs: 3 });
  const page = await newPage();
  await page.goto(server.httpUrl);

  await page.locator('#session-list li', { hasText: 'e2e-agent' }).waitFor({ timeout: 10_000 });
  await page.locator('#status[data-tone="ok"]').waitFor();

  // The canvas shows the agent and the goal at the cells of the frame it drew last.
  await page.waitForFunction(() => (window as unknown as { __rlfsViewer: { board?: unknown } }).__rlfsViewer.board !== undefined);
  const pixels = await page.evaluate(() => {
    const probe = (window as unknown as { __rlfsViewer: { board: { state: { agent: number[]; goal: number[] }; geometry: { x0: number; y0: number; cell: number }; density: number } } }).__rlfsViewer;
    const { state, geometry: g, density } = probe.board;
    const canvas = document.querySelector('#board canvas') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d')!;
    const at = ([r, c]: number[]): number[] => Array.from(ctx.getImageData(Math.round((g.x0 + (c! + 0.5) * g.cell) * density), Math.round((g.y0 + (r! + 0.5) * g.cell) * density), 1, 1).data).slice(0, 3);
    const onGoal = state.agent[0] === state.goal[0] && state.agent[1] === state.goal[1];
    return { agent: at(state.agent), goal: onGoal ? null : at(state.goal), corner: at([0, 0]) };
  });
  expect(pixels.agent).toEqual(hexToRgb(PALETTE.agent));
  if (pixels.goal) expect(pixels.goal).toEqual(hexToRgb(PALETTE.goal));

  // The return curve gains points as episodes end.
  const points = (): Promise<number> => page.evaluate(() => Number(document.getElementById('return-chart')!.dataset.points ?? 0));
  await page.waitForFunction(() => Number(document.getElementById('return-chart')!.dataset.points ?? 0) >= 3, undefined, { timeout: 15_000 });
  const before = await points();
  await page.waitForFunction((n) => Number(document.getElementById('return-chart')!.dataset.points ?? 0) > n, before, { timeout: 15_000 });

  // One chart per telemetry metric.
  await page.locator('#metric-charts [data-metric="train/epsilon"]').waitFor();
  await page.locator('#metric-charts [data-metric="train/loss"]').waitFor();
  await page.waitForFunction(() => Number(document.getElementById('return-chart')!.dataset.points ?? 0) >= 40, undefined, { timeout: 15_000 });

  // Hover over the return chart shows a read-out without errors.
  const box = (await page.locator('#return-chart canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5);
  await page.waitForTimeout(150);
  await page.screenshot({ path: screenshotPath('viewer.png'), fullPage: true });
  updateDocsImage('viewer.png');

  // The session ends: the page says so.
  await agent.stop();
  agent = undefined;
  await page.locator('#ended-banner:not([hidden])').waitFor({ timeout: 5000 });
  expect(await page.textContent('#ended-text')).toContain('e2e-agent');
  await page.close();
});

test('/play: the arrow keys walk a fixed layout to the goal, and the page shows the end and the return', async () => {
  const page = await newPage();
  await page.goto(`${server.httpUrl}play?layout=A..,...,..G&name=e2e-human`);
  await page.click('#start');
  await page.waitForFunction(() => (window as unknown as { __rlfsPlay: () => unknown }).__rlfsPlay() !== undefined);
  const stepTo = async (key: string, step: number): Promise<void> => {
    await page.keyboard.press(key);
    await page.waitForFunction((n) => ((window as unknown as { __rlfsPlay: () => { step: number } | undefined }).__rlfsPlay()?.step ?? 0) >= n, step);
  };
  await stepTo('ArrowRight', 1);
  // Reward of (0,0) -> (0,1), goal (2,2), size 3: -1 + (sqrt(8) - sqrt(5)) / 3 = -0.80268...
  expect(Number(await page.getAttribute('#why-total', 'data-reward'))).toBeCloseTo(-1 + (Math.sqrt(8) - Math.sqrt(5)) / 3, 9);
  expect(await page.textContent('#why [data-part="shaping"] .value')).toBe('+0.197');
  await stepTo('ArrowRight', 2);
  await stepTo('ArrowDown', 3);
  await page.keyboard.press('ArrowDown');
  await page.locator('#result[data-outcome="goal"]').waitFor();
  // Return: 4 steps of -1, shaping telescopes to sqrt(8)/3, plus the goal's 100 = 96.9428...
  const expected = -4 + Math.sqrt(8) / 3 + 100;
  expect(Number(await page.getAttribute('#result', 'data-return'))).toBeCloseTo(expected, 9);
  expect(await page.textContent('#result')).toContain('Goal reached in 4 steps (shortest 4) · return 96.94');
  expect(await page.textContent('#why [data-part="goal"] .value')).toBe('+100');
  await page.screenshot({ path: screenshotPath('play.png') });
  updateDocsImage('play.png');
  // A new episode starts by itself.
  await page.waitForFunction(() => (window as unknown as { __rlfsPlay: () => { step: number; over: boolean } }).__rlfsPlay().over === false, undefined, { timeout: 5000 });
  await page.close();
});

test('a token is asked for when the server wants one; a lost server is reported and rejoined with backoff', async () => {
  const guarded = await startViewerServer({ token: 'sesame' });
  const port = guarded.port;
  const page = await newPage();
  await page.goto(guarded.httpUrl);
  const dialog = page.locator('#token-dialog[open]');
  await dialog.waitFor();
  await page.locator('#status', { hasText: 'Token required' }).waitFor();
  await dialog.locator('input').fill('wrong');
  await dialog.locator('button[type="submit"]').click();
  await page.locator('#token-dialog[open] .hint', { hasText: 'refused' }).waitFor();
  await dialog.locator('input').fill('sesame');
  await dialog.locator('button[type="submit"]').click();
  await page.locator('#status[data-tone="ok"]').waitFor();

  await guarded.close(1001);
  await page.locator('#status[data-tone="bad"]', { hasText: 'retrying in' }).waitFor();
  await page.screenshot({ path: screenshotPath('viewer-reconnecting.png') });
  const again = await startViewerServer({ token: 'sesame', port });
  try {
    await page.locator('#status[data-tone="ok"]').waitFor({ timeout: 10_000 });
  } finally {
    await page.close();
    await again.close();
  }
});

/** Tests never write into docs/ unless asked: `UPDATE_DOCS_IMAGES=1 npx jest test/viewer.browser.test.ts`. */
function updateDocsImage(name: string): void {
  if (!process.env.UPDATE_DOCS_IMAGES) return;
  mkdirSync(DOCS_IMG, { recursive: true });
  copyFileSync(screenshotPath(name), resolve(DOCS_IMG, name));
}
