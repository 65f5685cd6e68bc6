/**
 * A long training run finishes, saves and evaluates: 1,000,000 tabular-q steps on a 7x7 wrap world (about 230,000
 * episodes). Before the curve was bounded, this run died at step 542,400 with "Maximum call stack size exceeded"
 * in curveSvg while saving. No speed is asserted; the timeout only stops a hung run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadAgent } from '../src/checkpoint';
import { scanEpisodes } from '../src/run-folder';
import { CURVE_BUCKETS } from '../src/curve-summary';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(ROOT, 'packages/agents/src/cli', script), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rlfs-long-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a 1,000,000-step tabular run on a 7x7 wrap world finishes, saves and evaluates', async () => {
  const out = path.join(dir, 'long');
  // A checkpoint every 10,000 episodes: some 23 durable saves during the run, and the final one.
  const train = await run('train.ts', ['--agent', 'tabular-q', '--in-process', '--options', '{"size":7,"boundary":"wrap"}', '--steps', '1000000', '--checkpoint-every', '10000', '--out', out, '--quiet']);
  expect(train.stderr).toBe('');
  expect(train.code).toBe(0);
  const done = train.stdout.match(/done: 1000000 steps, (\d+) episodes in/);
  expect(done).not.toBeNull();
  const episodes = Number(done![1]);
  expect(episodes).toBeGreaterThan(100_000);

  // Every episode is in episodes.csv, in order; the curve spans them all in at most CURVE_BUCKETS points.
  let rows = 0;
  scanEpisodes(path.join(out, 'episodes.csv'), Infinity, () => rows++);
  expect(rows).toBe(episodes);
  const svg = readFileSync(path.join(out, 'curve.svg'), 'utf8');
  expect(svg.match(/<path class="returns" d="M([^"]+)"/)![1]!.split('L').length).toBeLessThanOrEqual(CURVE_BUCKETS);
  // The curve spans the run on env steps: its last tick is the millionth step.
  expect(svg).toContain('>env steps</text>');
  expect(svg).toContain('>1M</text>');
  const loaded = await loadAgent(out);
  expect(loaded.manifest.progress).toEqual({ steps: 1_000_000, episodes });
  expect(readdirSync(path.join(out, 'checkpoint')).sort()).toEqual(['checkpoint.json', loaded.manifest.tensorFile]);

  const evaluated = await run('eval.ts', ['--load', out, '--episodes', '50']);
  expect(evaluated.code).toBe(0);
  const figures = JSON.parse(readFileSync(path.join(out, 'eval.json'), 'utf8'));
  expect(figures).toMatchObject({ episodes: 50, agent: 'tabular-q', trainedSteps: 1_000_000 });
  // A million steps on 49 cells: greedy play reaches the goal every time.
  expect(figures.successRate).toBe(1);
}, 600_000);
