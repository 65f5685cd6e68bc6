/**
 * `npm run record` end to end: a tabular Q agent trained for a few seconds on the 5x5 GridWorld, then recorded; the
 * GIF is decoded and holds one frame per step plus the reset frame of each episode plus the held frames, at the size
 * asked, with frames that differ where the agent moved. The frame count is worked out from `npm run eval` on the
 * same seed (its mean length times the episodes), not from the recorder's own output. CartPole, drawn from its
 * draw list, records too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GifReader } from 'omggif';

const REPO = resolve(__dirname, '../../..');
jest.setTimeout(180_000);

const dir = mkdtempSync(join(tmpdir(), 'rlfs-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(script: string, args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function frames(gif: GifReader): Buffer[] {
  const out: Buffer[] = [];
  for (let k = 0; k < gif.numFrames(); k++) {
    const rgba = Buffer.alloc(gif.width * gif.height * 4);
    gif.decodeAndBlitFrameRGBA(k, rgba);
    out.push(rgba);
  }
  return out;
}

test('a trained GridWorld agent: one frame per step and reset, the held ending, the size asked', () => {
  const runDir = join(dir, 'tq');
  run('packages/agents/src/cli/train.ts', ['--agent', 'tabular-q', '--steps', '30000', '--seed', '3', '--out', runDir, '--quiet']);
  run('packages/agents/src/cli/eval.ts', ['--load', runDir, '--episodes', '2', '--seed', '7', '--out', join(dir, 'eval.json')]);
  const evaluated = JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8')) as { meanLength: number; successRate: number };
  expect(evaluated.successRate).toBe(1);
  const steps = Math.round(evaluated.meanLength * 2);

  const out = join(dir, 'tq.gif');
  const printed = run('tools/scripts/record.ts', ['--load', runDir, '--episodes', '2', '--seed', '7', '--fps', '10', '--hold', '0.5', '--width', '200', '--out', out]);
  expect(printed).toContain(`written: ${out}`);
  const gif = new GifReader(readFileSync(out));
  // Per episode: the reset frame, one per step, and 0.5 s x 10 fps = 5 held copies of the last one.
  expect(gif.numFrames()).toBe(steps + 2 * (1 + 5));
  expect([gif.width, gif.height]).toEqual([200, 46 + 200]); // the HUD over a square board
  expect(gif.frameInfo(0).delay).toBe(10); // 100 ms in hundredths
  const pictures = frames(gif);
  expect(pictures[1]!.equals(pictures[0]!)).toBe(false); // the first greedy move changes the board
  const last = pictures.length - 1;
  for (let h = 1; h <= 5; h++) expect(pictures[last - h]!.equals(pictures[last]!)).toBe(true);
  expect(pictures[last - 6]!.equals(pictures[last]!)).toBe(false);
});

test('CartPole records from its draw list; a bad --out is refused with the flag named', () => {
  const runDir = join(dir, 'cp');
  run('packages/agents/src/cli/train.ts', ['--agent', 'random', '--env', 'CartPole-v1', '--steps', '50', '--out', runDir, '--quiet']);
  const out = join(dir, 'cp.gif');
  run('tools/scripts/record.ts', ['--load', runDir, '--episodes', '1', '--hold', '0', '--width', '240', '--out', out]);
  const gif = new GifReader(readFileSync(out));
  expect(gif.width).toBe(240);
  expect(gif.numFrames()).toBeGreaterThan(5); // a random CartPole episode lasts 8 steps or more
  const pictures = frames(gif);
  expect(pictures[pictures.length - 1]!.equals(pictures[0]!)).toBe(false); // the pole fell, the cart moved
  const bad = spawnSync(process.execPath, ['--import', 'tsx', 'tools/scripts/record.ts', '--load', runDir, '--out', join(dir, 'x.png')], { cwd: REPO, encoding: 'utf8' });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/--out: expected a file name ending in \.gif/);
});
