/**
 * Any environment in the browser (issue 11): a real server with examples/envs/mountain-walk.ts loaded as
 * `--env-module` does, real agents stepping CartPole-v1 and MountainWalk-v0, the viewer drawing their draw lists
 * (pixels of the shapes' colours where the lists put them) and /play playing both with their own keys.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadEnvModules } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import type { DrawList, DrawRect, DrawCircle } from '@rlfs/protocol';
import { connect } from '@rlfs/protocol/node';
import type { Client } from '@rlfs/protocol';
import { hexToRgb } from '../src/draw/commands';
import { fitViewport, toCanvas } from '../src/draw/draw-list';
import type { Box } from '../src/draw/commands';
import { launchChromium, screenshotPath, SCREENSHOTS, startViewerServer } from './support';

const ROOT = resolve(__dirname, '../../..');
let server: RunningServer;
let browser: Browser;
const clients: Client[] = [];

beforeAll(async () => {
  // What `npm run server -- --env-module examples/envs/mountain-walk.ts` does before it starts the server.
  expect(await loadEnvModules(['examples/envs/mountain-walk.ts'], ROOT)).toEqual(['MountainWalk-v0']);
  server = await startViewerServer();
  browser = await launchChromium();
  console.log(`screenshots: ${SCREENSHOTS}`);
}, 120_000);

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  return page;
}

/**
 * An agent that makes `env` and steps it with `policy` every 30 ms (resetting when an episode ends) until the
 * returned `stop()`, after which it stays connected without stepping: the viewer keeps its last frame.
 */
async function steppingAgent(env: string, name: string, policy: (t: number) => number): Promise<{ stop(): Promise<void> }> {
  const client = await connect(server.url, { role: 'agent', name });
  clients.push(client);
  await client.make({ env, seed: 3 });
  await client.reset({ seed: 3 });
  let running = true;
  const loop = (async () => {
    for (let t = 0; running; t++) {
      const r = await client.step(policy(t));
      if (r.terminated || r.truncated) await client.reset();
      await new Promise((done) => setTimeout(done, 30));
    }
  })();
  return { stop: async () => ((running = false), await loop) };
}

interface Probe {
  session?: string;
  board?: { kind: string; draw?: DrawList; box: Box; density: number };
}

/** Watches `name` on the viewer page until it draws the session's draw list, stops the agent, and returns the last picture. */
async function watchDrawn(page: Page, name: string, agent: { stop(): Promise<void> }, beforeStop?: () => Promise<void>): Promise<{ draw: DrawList; box: Box; density: number }> {
  await page.locator('#session-list li', { hasText: name }).click();
  await page.waitForFunction(() => (window as unknown as { __rlfsViewer: Probe }).__rlfsViewer.board?.kind === 'draw', undefined, { timeout: 10_000 });
  await beforeStop?.();
  await agent.stop();
  const last = (): Promise<string> => page.evaluate(() => JSON.stringify((window as unknown as { __rlfsViewer: Probe }).__rlfsViewer.board));
  // The last frame may still be on its way: wait until two reads 200 ms apart agree.
  let seen = await last();
  for (;;) {
    await page.waitForTimeout(200);
    const now = await last();
    if (now === seen) break;
    seen = now;
  }
  const board = JSON.parse(seen) as NonNullable<Probe['board']>;
  expect(board.kind).toBe('draw');
  return { draw: board.draw!, box: board.box, density: board.density };
}

/** The colours of the board canvas at world points of a draw list. */
async function colours(page: Page, shown: { draw: DrawList; box: Box; density: number }, points: [number, number][]): Promise<number[][]> {
  const fit = fitViewport(shown.draw.viewport, shown.box);
  const pixels = points.map(([x, y]) => toCanvas(fit, x, y).map((v) => Math.round(v * shown.density)));
  return page.evaluate((at) => {
    const ctx = (document.querySelector('#board canvas') as HTMLCanvasElement).getContext('2d')!;
    return at.map(([x, y]) => Array.from(ctx.getImageData(x!, y!, 1, 1).data).slice(0, 3));
  }, pixels);
}

test('the viewer draws a CartPole-v1 session from its draw list: white sky, black cart, brown pole, blue axle', async () => {
  const agent = await steppingAgent('CartPole-v1', 'cartpole-agent', (t) => (t % 3 === 0 ? 0 : 1));
  const page = await newPage();
  await page.goto(server.httpUrl);
  await page.locator('#status[data-tone="ok"]').waitFor();
  // Returns and lengths chart for any environment: CartPole's episodes end while we watch.
  const shown = await watchDrawn(page, 'cartpole-agent', agent, () =>
    page.waitForFunction(() => Number(document.getElementById('return-chart')!.dataset.points ?? 0) >= 1, undefined, { timeout: 15_000 }).then(() => undefined),
  );
  const cart = shown.draw.items.find((i) => i.type === 'rect') as DrawRect;
  const axle = shown.draw.items.find((i) => i.type === 'circle') as DrawCircle;
  const pole = shown.draw.items.find((i) => i.type === 'line' && i.stroke === '#ca9865') as { points: number[] };
  const [px0, py0, px1, py1] = pole.points as [number, number, number, number];
  const got = await colours(page, shown, [
    [cart.x + cart.width / 2, cart.y + cart.height / 4], // the cart's lower half, under the axle and the pole
    [px0 + 0.6 * (px1 - px0), py0 + 0.6 * (py1 - py0)], // the pole, 60% of the way to its tip
    [axle.x, axle.y],
    [shown.draw.viewport.x + 0.1, shown.draw.viewport.y + shown.draw.viewport.height - 0.1], // top-left sky
  ]);
  expect(got).toEqual([hexToRgb('#000000'), hexToRgb('#ca9865'), hexToRgb('#8184cb'), hexToRgb('#ffffff')]);
  expect(await page.locator('#grid-legend').isVisible()).toBe(false); // GridWorld's legend is not CartPole's
  await page.screenshot({ path: screenshotPath('viewer-cartpole.png') });
  updateDocsImage('viewer-cartpole.png');
  await page.close();
});

test("the viewer draws the example environment's session from its draw list: hiker, flag, sky", async () => {
  const agent = await steppingAgent('MountainWalk-v0', 'mountain-agent', (t) => (t % 4 === 3 ? 0 : 2));
  const page = await newPage();
  await page.goto(server.httpUrl);
  await page.locator('#status[data-tone="ok"]').waitFor();
  const shown = await watchDrawn(page, 'mountain-agent', agent);
  expect(shown.draw.background).toBe('#dff1ff');
  const flag = shown.draw.items.find((i) => i.type === 'rect') as DrawRect;
  const hiker = shown.draw.items.find((i) => i.type === 'circle') as DrawCircle;
  const vp = shown.draw.viewport;
  const got = await colours(page, shown, [
    [hiker.x, hiker.y],
    [flag.x + flag.width / 2, flag.y + flag.height / 2],
    [vp.x + 0.02, vp.y + vp.height - 0.02],
  ]);
  expect(got).toEqual([hexToRgb('#1d3557'), hexToRgb('#d62828'), hexToRgb('#dff1ff')]);
  await page.screenshot({ path: screenshotPath('viewer-mountain-walk.png') });
  await page.close();
});

interface PlayProbe {
  env: string;
  step: number;
  return: number;
  lastReward: number | null;
  over: boolean;
  draw?: DrawList;
}
const playProbe = (page: Page): Promise<PlayProbe | undefined> => page.evaluate(() => (window as unknown as { __rlfsPlay: () => PlayProbe | undefined }).__rlfsPlay());

/** Opens /play, picks `env` in the select (listed from the server's welcome) and starts. */
async function startPlaying(page: Page, env: string, json?: string): Promise<void> {
  await page.goto(`${server.httpUrl}play?name=e2e-${env}`);
  await page.locator('#status[data-tone="ok"]').waitFor();
  await page.locator(`#opt-env option[value="${env}"]`).waitFor({ state: 'attached' });
  expect(await page.locator('#opt-env option').allTextContents()).toEqual(expect.arrayContaining(['GridWorld-v0', 'CartPole-v1', 'MountainWalk-v0']));
  await page.selectOption('#opt-env', env);
  expect(await page.locator('#opt-size').isVisible()).toBe(false); // GridWorld's own fields are hidden
  if (json) await page.fill('#opt-json', json);
  await page.click('#start');
  await page.waitForFunction((id) => (window as unknown as { __rlfsPlay: () => PlayProbe | undefined }).__rlfsPlay()?.env === id, env);
  await page.locator('#env-title', { hasText: env }).waitFor();
}

/** Presses `key` and waits for the step count to reach `step`. */
async function press(page: Page, key: string, step: number): Promise<void> {
  await page.keyboard.press(key);
  await page.waitForFunction((n) => ((window as unknown as { __rlfsPlay: () => PlayProbe | undefined }).__rlfsPlay()?.step ?? 0) >= n, step);
}

test('/play plays CartPole-v1 with the arrow keys: +1 a step, the step count and return on the page, the cart drawn', async () => {
  const page = await newPage();
  await startPlaying(page, 'CartPole-v1');
  expect(await page.locator('#key-legend li').allTextContents()).toEqual(['←A push left', '→D push right']);
  await press(page, 'ArrowRight', 1);
  expect(await page.textContent('#why-total')).toBe('push right: reward +1');
  expect(await page.textContent('#stat-step')).toBe('1 / 500');
  expect(await page.textContent('#stat-return')).toBe('1.00');
  // A key the environment does not name does nothing: the next left is step 2, not 3.
  await page.keyboard.press('ArrowUp');
  await press(page, 'ArrowLeft', 2);
  expect(await page.getAttribute('#why-total', 'data-action')).toBe('0');
  expect(await page.textContent('#stat-step')).toBe('2 / 500');
  expect(await page.textContent('#stat-return')).toBe('2.00');
  expect((await playProbe(page))?.draw?.items.some((i) => i.type === 'rect' && i.fill === '#000000')).toBe(true);
  // Pushing right over and over lets the pole fall: the episode ends, terminated, its return its length.
  for (let step = 3; !(await playProbe(page))!.over; step++) {
    if (step > 100) throw new Error('the pole never fell');
    await press(page, 'ArrowRight', step);
  }
  await page.locator('#result[data-outcome="terminated"]').waitFor();
  const probe = (await playProbe(page))!;
  expect(Number(await page.getAttribute('#result', 'data-return'))).toBe(probe.step);
  expect(await page.textContent('#result')).toBe(`Ended after ${probe.step} steps · return ${probe.step.toFixed(2)}`);
  await page.screenshot({ path: screenshotPath('play-cartpole.png') });
  await page.close();
});

test('/play plays the example environment with its own keys: forward, rest, back at -0.1 a step', async () => {
  const page = await newPage();
  await startPlaying(page, 'MountainWalk-v0', '{"slip": 0}');
  expect(await page.locator('#key-legend li').allTextContents()).toEqual(['←A step back', 'Space↓S rest', '→D step forward']);
  const hikerX = async (): Promise<number> => ((await playProbe(page))!.draw!.items.find((i) => i.type === 'circle') as DrawCircle).x;
  const x0 = await hikerX();
  await press(page, 'ArrowRight', 1);
  const x1 = await hikerX();
  expect(x1).toBeGreaterThan(x0); // the hiker walked forward (uphill, so less than a stride)
  expect(x1 - x0).toBeLessThanOrEqual(0.05 + 1e-12);
  expect(await page.textContent('#why-total')).toBe('step forward: reward −0.1');
  await press(page, ' ', 2);
  expect(await hikerX()).toBe(x1); // resting without slip stays put
  expect(await page.textContent('#why-total')).toBe('rest: reward −0.1');
  await press(page, 'ArrowLeft', 3);
  expect(await hikerX()).toBeCloseTo(Math.max(0, x1 - 0.05), 12);
  expect(await page.textContent('#stat-step')).toBe('3 / 200');
  expect(await page.textContent('#stat-return')).toBe('-0.30');
  await page.screenshot({ path: screenshotPath('play-mountain-walk.png') });
  updateDocsImage('play-mountain-walk.png');
  await page.close();
});

/** Tests never write into docs/ unless asked: `UPDATE_DOCS_IMAGES=1 npx jest test/any-env.browser.test.ts`. */
function updateDocsImage(name: string): void {
  if (!process.env.UPDATE_DOCS_IMAGES) return;
  const docsImg = resolve(ROOT, 'docs/img');
  mkdirSync(docsImg, { recursive: true });
  copyFileSync(screenshotPath(name), resolve(docsImg, name));
}
