/** Agents compared side by side: grouping, the env-step grid, mean and band across seeds, run folders read. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompareRun } from '../src/compare/compare';
import { agentCurves, comparisonChart, parseRaceName, returnCurves, valueAt } from '../src/compare/compare';
import { readRunFolder } from '../src/compare/read-run-folder';

const run = (agent: string, seed: string, steps: number[], returns: number[], metrics: Record<string, { xs: number[]; ys: number[] }> = {}): CompareRun =>
  ({ agent, seed, steps, returns, metrics: new Map(Object.entries(metrics)) });

it('reads race session names apart', () => {
  expect(parseRaceName('race/r1/dqn/seed2')).toEqual({ raceId: 'r1', agent: 'dqn', seed: '2' });
  expect(parseRaceName('race/r1/dqn')).toBeUndefined();
  expect(parseRaceName('human')).toBeUndefined();
});

it('valueAt is the last value at or before x', () => {
  expect(valueAt([10, 20], [1, 2], 5)).toBeNaN();
  expect(valueAt([10, 20], [1, 2], 10)).toBe(1);
  expect(valueAt([10, 20], [1, 2], 19)).toBe(1);
  expect(valueAt([10, 20], [1, 2], 99)).toBe(2);
});

it('one curve per agent: mean and min-max across seeds on a grid up to the step every seed reached', () => {
  const runs = [
    run('q', '0', [50, 100], [0, 10]),
    run('q', '1', [50, 100, 150], [20, 30, 40]),
    run('random', '0', [100], [-5]),
  ];
  const curves = agentCurves(runs, (r) => ({ xs: r.steps, ys: r.returns }), 2);
  // q: the grid ends at 100 (seed 0's last step): points at 50 and 100
  expect(curves).toEqual([
    { agent: 'q', seeds: 2, xs: [50, 100], mean: [10, 20], min: [0, 10], max: [20, 30] },
    { agent: 'random', seeds: 1, xs: [100], mean: [-5], min: [-5], max: [-5] }, // nothing known at step 50
  ]);
  const spec = comparisonChart('Return', 'return', curves);
  // a band only where there are several seeds; distinct colours per agent
  expect(spec.series.map((s) => [s.name, s.style])).toEqual([['q range', 'band'], ['q (2 seeds)', 'line'], ['random (1 seed)', 'line']]);
  expect(spec.series[1]!.color).not.toBe(spec.series[2]!.color);
});

it('return curves average each seed over the window first', () => {
  const curves = returnCurves([run('a', '0', [1, 2, 3, 4], [0, 10, 0, 10])], 2, 4);
  expect(curves[0]!.mean).toEqual([0, 5, 5, 5]);
});

it('reads a run folder: episodes by env step, metrics in long format, the agent and seed from run.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlfs-view-'));
  const a = join(dir, 'a');
  mkdirSync(a);
  writeFileSync(join(a, 'episodes.csv'), 'episode,return,length,shortest_path,success,steps\n1,-10,10,4,0,10\n2,95,6,4,1,16\n');
  writeFileSync(join(a, 'metrics.csv'), 'step,metric,value\n10,eval/success,0\n16,eval/success,1\n16,train/loss,0.5\n');
  writeFileSync(join(a, 'run.json'), JSON.stringify({ env: 'GridWorld-v0', options: { size: 5 }, agent: 'tabular-q', seed: 3 }));
  const b = join(dir, 'dqn-seed1');
  mkdirSync(b);
  writeFileSync(join(b, 'episodes.csv'), 'episode,return,length\n1,1,3\n2,2,5\n'); // no step column: lengths summed
  const [ra, rb] = [await readRunFolder(a), await readRunFolder(b)];
  expect(ra).toMatchObject({ agent: 'tabular-q', seed: '3', steps: [10, 16], returns: [-10, 95], metrics: { 'eval/success': { xs: [10, 16], ys: [0, 1] }, 'train/loss': { xs: [16], ys: [0.5] } } });
  expect(ra.about).toBe('GridWorld-v0 {"size":5} tabular-q seed 3');
  expect(rb).toMatchObject({ agent: 'dqn', seed: '1', steps: [3, 8], returns: [1, 2] });
  await expect(readRunFolder(join(dir, 'missing'))).rejects.toThrow(/no episodes.csv/);
});
