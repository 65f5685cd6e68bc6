/**
 * The browser the tests use on a machine without Debian's Chromium: the one packaged in @sparticuz/chromium, with its
 * own libraries and fonts, draws canvas pixels and text. (`.ci/run` also runs every browser test with it.)
 */
import type { Browser } from 'playwright-core';
import { findChromium, launchChromium, SYSTEM_CHROMIUM } from './chromium';

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

test('CHROMIUM_PATH wins over the system browser, and a missing one is named', async () => {
  await expect(findChromium({ env: { CHROMIUM_PATH: '/nonexistent/chromium' } })).rejects.toThrow('CHROMIUM_PATH=/nonexistent/chromium does not exist');
  const choice = await findChromium({ env: { CHROMIUM_PATH: process.execPath }, systemPath: SYSTEM_CHROMIUM });
  expect(choice).toEqual({ executablePath: process.execPath, source: 'CHROMIUM_PATH', env: {} });
});

test('without a system browser the packaged one is unpacked, launched, and draws pixels and text', async () => {
  const choice = await findChromium({ env: {}, systemPath: '/nonexistent/chromium' });
  expect(choice.source).toBe('packaged');
  expect(choice.executablePath).toMatch(/node_modules\/\.cache\/rlfs-chromium-[\d.]+\/chromium$/);
  expect(choice.env.FONTCONFIG_FILE).toMatch(/rlfs-chromium-[\d.]+\/fonts\.conf$/);
  // Asked again, it finds the unpacked copy.
  expect((await findChromium({ env: {}, systemPath: '/nonexistent/chromium' })).executablePath).toBe(choice.executablePath);

  browser = await launchChromium(choice);
  const page = await browser.newPage();
  const drawn = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 200;
    canvas.height = 60;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = 'rgb(255, 255, 255)';
    ctx.fillRect(0, 0, 200, 60);
    ctx.fillStyle = 'rgb(34, 139, 34)';
    ctx.fillRect(10, 10, 20, 20);
    const square = Array.from(ctx.getImageData(20, 20, 1, 1).data);
    ctx.fillStyle = 'rgb(0, 0, 0)';
    ctx.font = '24px sans-serif';
    const width = ctx.measureText('GridWorld').width;
    ctx.fillText('GridWorld', 40, 40);
    const text = ctx.getImageData(40, 10, 150, 40).data;
    let dark = 0;
    for (let i = 0; i < text.length; i += 4) if (text[i]! < 128) dark++;
    return { square, width, dark };
  });
  expect(drawn.square).toEqual([34, 139, 34, 255]);
  // "GridWorld" at 24px is about 110 px wide in Open Sans; a browser without fonts measures and draws nothing.
  expect(drawn.width).toBeGreaterThan(80);
  expect(drawn.width).toBeLessThan(150);
  expect(drawn.dark).toBeGreaterThan(200);
}, 120_000);
