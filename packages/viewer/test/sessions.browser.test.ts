/**
 * End to end in headless Chromium (./chromium.ts picks it), past the first session: following the newest as agents come and go, the
 * sub-env picker of vector sessions (plain and packed) checked against the frames of a spectator of our own,
 * and the page staying responsive while a vector agent steps as fast as it can.
 */
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '@rlfs/env-server';
import type { Client, FrameEvent, GridState } from '@rlfs/protocol';
import { connect } from '@rlfs/protocol/node';
import { hexToRgb, PALETTE } from '../src/draw/commands';
import type { ScriptedAgent, VectorAgent } from './support';
import { launchChromium, screenshotPath, startScriptedAgent, startVectorAgent, startViewerServer } from './support';

interface Probe {
  session?: string;
  board?: { state: GridState; geometry: { x0: number; y0: number; cell: number }; density: number };
}
type ProbeWindow = Window & { __rlfsViewer: Probe };

let server: RunningServer;
let browser: Browser;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  server = await startViewerServer();
  browser = await launchChromium();
}, 120_000); // the first launch of the packaged browser unpacks it

afterEach(async () => {
  for (const stop of cleanup.splice(0).reverse()) await stop().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  cleanup.push(() => page.close());
  return page;
}

async function scripted(name: string): Promise<ScriptedAgent> {
  const agent = await startScriptedAgent(server.url, { name, delayMs: 8 });
  cleanup.push(() => agent.stop());
  return agent;
}

async function vector(options: Parameters<typeof startVectorAgent>[1]): Promise<VectorAgent> {
  const agent = await startVectorAgent(server.url, options);
  cleanup.push(() => agent.stop());
  return agent;
}

const metaOf = (page: Page, name: string): Promise<string> => page.locator('#session-list li', { hasText: name }).locator('.meta').innerText();

test('follow newest: a later session becomes the watched one, the list keeps both up to date, ended ones leave it', async () => {
  const first = await scripted('first-agent');
  const page = await newPage();
  await page.goto(server.httpUrl);
  await page.locator('#session-title', { hasText: 'first-agent' }).waitFor({ timeout: 10_000 });
  expect(await page.isChecked('#follow')).toBe(true);

  const second = await scripted('second-agent');
  await page.locator('#session-title', { hasText: 'second-agent' }).waitFor({ timeout: 10_000 });
  await page.locator('#session-list li.active', { hasText: 'second-agent' }).waitFor();
  expect(await page.locator('#session-list li').count()).toBe(2);
  const secondId = await page.locator('#session-list li', { hasText: 'second-agent' }).getAttribute('data-session');
  expect(await page.evaluate(() => (window as unknown as ProbeWindow).__rlfsViewer.session)).toBe(secondId);

  // Each entry shows env, name, episodes and steps, and they move as the agents step.
  const before = await metaOf(page, 'first-agent');
  expect(before).toMatch(/^GridWorld-v0 · \d+ episodes? · [\d.]+k? steps$/);
  expect(await metaOf(page, 'second-agent')).toMatch(/^GridWorld-v0 · \d+ episodes? · [\d.]+k? steps$/);
  await page.waitForFunction((text) => document.querySelector('#session-list li .meta')?.textContent !== text, before, { timeout: 10_000 });

  // The watched session ends: the page says so, the entry leaves the list, and (following the newest) the page
  // moves on to the newest live session while still saying which one ended.
  await second.stop();
  await page.locator('#ended-banner:not([hidden])', { hasText: 'second-agent' }).waitFor({ timeout: 5000 });
  await page.locator('#session-list li', { hasText: 'second-agent' }).waitFor({ state: 'detached', timeout: 5000 });
  await page.locator('#session-title', { hasText: 'first-agent' }).waitFor({ timeout: 5000 });
  await page.waitForTimeout(1500); // a few more polls: the note stays
  expect(await page.isVisible('#ended-banner')).toBe(true);
  expect(await page.textContent('#ended-text')).toContain('second-agent');
  await page.screenshot({ path: screenshotPath('viewer-followed.png'), fullPage: true });

  // Without following, the last session's end leaves the page on it, with the (empty) list offered.
  await page.uncheck('#follow');
  await first.stop();
  await page.locator('#ended-text', { hasText: 'first-agent' }).waitFor({ timeout: 5000 });
  await page.locator('#sessions-empty:not([hidden])').waitFor({ timeout: 5000 });
  await page.click('#back-to-list');
  expect(await page.isVisible('#ended-banner')).toBe(false);
});

test.each(['plain', 'packed'] as const)('a %s vector session: the sub-env picker shows the chosen sub-env on the board', async (encoding) => {
  const agent = await vector({ name: `vec-${encoding}`, numEnvs: 4, encoding, delayMs: 15, seed: 11 });
  const watcher = await spectate(agent.session);
  cleanup.push(async () => void (await watcher.client.close()));
  const page = await newPage();
  await page.goto(server.httpUrl);
  await page.locator('#session-title', { hasText: `vec-${encoding}` }).waitFor({ timeout: 10_000 });
  await page.locator('#subenv-wrap:not([hidden])').waitFor();
  expect(await page.locator('#subenv option').allTextContents()).toEqual(['env 0', 'env 1', 'env 2', 'env 3']);

  await page.selectOption('#subenv', '2');
  await agent.pause();
  // The last frames reach both spectators; then the board must show what our spectator saw of sub-env 2.
  await new Promise((r) => setTimeout(r, 400));
  const state = watcher.latest.get(2)!.state as GridState;
  const other = watcher.latest.get(0)!.state as GridState;
  await page.waitForFunction(
    (want) => {
      const s = (window as unknown as ProbeWindow).__rlfsViewer.board?.state;
      return !!s && String(s.agent) === String(want.agent) && String(s.goal) === String(want.goal);
    },
    state,
    { timeout: 10_000 },
  );
  const pixels = await page.evaluate(
    ({ cells }) => {
      const { geometry: g, density } = (window as unknown as ProbeWindow).__rlfsViewer.board!;
      const ctx = (document.querySelector('#board canvas') as HTMLCanvasElement).getContext('2d')!;
      return cells.map(([r, c]) => Array.from(ctx.getImageData(Math.round((g.x0 + (c! + 0.5) * g.cell) * density), Math.round((g.y0 + (r! + 0.5) * g.cell) * density), 1, 1).data).slice(0, 3));
    },
    { cells: [state.agent, state.goal, other.goal] },
  );
  expect(pixels[0]).toEqual(hexToRgb(PALETTE.agent));
  const same = (a: number[], b: number[]): boolean => a[0] === b[0] && a[1] === b[1];
  if (!same(state.agent, state.goal)) expect(pixels[1]).toEqual(hexToRgb(PALETTE.goal));
  // Sub-env 0's goal is elsewhere (random goals, seed 11): no goal drawn there.
  expect(same(other.goal, state.goal)).toBe(false);
  if (!same(other.goal, state.agent)) expect(pixels[2]).not.toEqual(hexToRgb(PALETTE.goal));
  await page.screenshot({ path: screenshotPath(`viewer-vector-${encoding}.png`) });
});

test('the page stays responsive while a packed vector agent steps as fast as it can', async () => {
  const agent = await vector({ name: 'flat-out', numEnvs: 8, encoding: 'packed', seed: 5 });
  const page = await newPage();
  await page.goto(server.httpUrl);
  await page.locator('#session-title', { hasText: 'flat-out' }).waitFor({ timeout: 10_000 });
  await page.waitForFunction(() => (window as unknown as ProbeWindow).__rlfsViewer.board !== undefined, undefined, { timeout: 10_000 });

  // Behaviour, not speed (speed is npm run bench's): under the flood the board keeps being redrawn with new
  // pictures (the probe is replaced on every one), the agent keeps stepping, and a click is answered.
  const stepsBefore = agent.envSteps;
  const redrawn = page.evaluate(
    (pictures) =>
      new Promise<number>((resolve) => {
        const probe = (window as unknown as ProbeWindow).__rlfsViewer;
        let lastBoard = probe.board;
        let boards = 0;
        const frame = (): void => {
          if (probe.board !== lastBoard) {
            boards++;
            lastBoard = probe.board;
          }
          if (boards < pictures) requestAnimationFrame(frame);
          else resolve(boards);
        };
        requestAnimationFrame(frame);
      }),
    5,
  );
  await page.click('#follow');
  expect(await page.isChecked('#follow')).toBe(false);
  expect(await redrawn).toBe(5);
  // The agent stepped all along: a new picture needs a new vector step of 8 sub-envs (the first may predate us).
  expect(agent.envSteps - stepsBefore).toBeGreaterThanOrEqual(4 * 8);
});

/** A spectator of our own: the latest frame per sub-env of one session. */
async function spectate(session: string): Promise<{ client: Client; latest: Map<number, FrameEvent> }> {
  const client = await connect(server.url, { role: 'spectator', name: 'test-watcher' });
  const latest = new Map<number, FrameEvent>();
  client.onEvent((event) => {
    if (event.type === 'frame' && event.session === session) latest.set(event.index, event);
  });
  await client.subscribe(session);
  return { client, latest };
}
