/**
 * The viewer page given `?servers=` in headless Chromium: one list of the sessions of two real servers, and a session
 * of the second server watched from a page the first one served.
 */
import type { Browser } from 'playwright-core';
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import type { ScriptedAgent } from './support';
import { launchChromium, startScriptedAgent, startViewerServer } from './support';

let a: RunningServer;
let b: RunningServer;
let browser: Browser;
const agents: ScriptedAgent[] = [];

beforeAll(async () => {
  a = await startViewerServer();
  // the page comes from a's address: b accepts it as a fleet's servers do (npm run fleet starts them so)
  b = await startServer({ port: 0, warn: () => undefined, allowHosts: ['127.0.0.1'] });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const agent of agents) await agent.stop();
  await browser?.close();
  await Promise.all([a?.close(), b?.close()]);
});

test('lists the sessions of every server of ?servers= and watches one of the second server', async () => {
  agents.push(await startScriptedAgent(a.url, { name: 'agent-on-a', delayMs: 8 }));
  agents.push(await startScriptedAgent(b.url, { name: 'agent-on-b', delayMs: 8 }));
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  await page.goto(`${a.httpUrl}?servers=${a.url},${b.url}`);
  await page.locator('#session-list li', { hasText: 'agent-on-a' }).waitFor({ timeout: 15_000 });
  await page.locator('#session-list li', { hasText: 'agent-on-b' }).waitFor({ timeout: 15_000 });
  expect(await page.locator('#session-list li').count()).toBe(2);
  expect(await page.locator('#session-list li', { hasText: 'agent-on-b' }).getAttribute('data-session')).toMatch(new RegExp(`^127\\.0\\.0\\.1:${b.port}/s\\d+$`));
  await page.locator('#session-list li', { hasText: 'agent-on-b' }).click();
  await page.locator('#session-title', { hasText: 'agent-on-b' }).waitFor({ timeout: 10_000 });
  // frames of b's session reach the board: the probe has a drawn grid state
  await page.waitForFunction(() => (window as unknown as { __rlfsViewer: { board?: { state?: unknown } } }).__rlfsViewer.board?.state !== undefined, undefined, { timeout: 10_000 });
  await page.close();
}, 60_000);
