import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable, readRun, spread, summarize } from '../race-summary';
import type { RaceRun } from '../race-summary';

describe('race table', () => {
  it('mean, sample standard deviation and range across seeds', () => {
    // 0.8, 0.9, 1.0: mean 0.9, sd sqrt((0.01 + 0 + 0.01) / 2) = 0.1.
    const s = spread([0.8, 0.9, 1])!;
    expect(s.mean).toBeCloseTo(0.9, 12);
    expect(s.sd).toBeCloseTo(0.1, 12);
    expect([s.n, s.min, s.max]).toEqual([3, 0.8, 1]);
    expect(spread([5])).toEqual({ n: 1, mean: 5, sd: 0, min: 5, max: 5 });
    expect(spread([])).toBeUndefined();
  });

  it('one row per agent from the runs that finished; steps to the target of the seeds that reached it', () => {
    const runs: RaceRun[] = [
      { agent: 'dqn', seed: 1, dir: 'a', exitCode: 0, lastEval: { 'eval/success': 1, 'eval/return': 90 }, reachedAt: 6000 },
      { agent: 'dqn', seed: 2, dir: 'b', exitCode: 0, lastEval: { 'eval/success': 0.5, 'eval/return': 40 } },
      { agent: 'dqn', seed: 3, dir: 'c', exitCode: 1, lastEval: { 'eval/success': 0, 'eval/return': -100 } },
      { agent: 'random', seed: 1, dir: 'd', exitCode: 0, lastEval: { 'eval/success': 0.25, 'eval/return': -20 } },
    ];
    const rows = summarize(runs, ['random', 'dqn']);
    expect(rows.map((r) => r.agent)).toEqual(['random', 'dqn']);
    // The failed seed 3 is left out of the figures: success 1 and 0.5 (mean 0.75, sd 0.354), return 90 and 40.
    expect(rows[1]).toMatchObject({ runs: 3, finished: 2, reached: 1, success: { n: 2, mean: 0.75, min: 0.5, max: 1 }, return: { mean: 65 }, toTarget: { mean: 6000, sd: 0 } });
    expect(rows[1]!.success!.sd).toBeCloseTo(Math.SQRT1_2 / 2, 12);
    const text = formatTable(rows, 'eval/success=0.95');
    expect(text.split('\n')[0]).toMatch(/^agent +runs ok +eval\/success mean ± sd \(min\.\.max\) +eval\/return mean ± sd \(min\.\.max\) +steps to eval\/success=0\.95$/);
    expect(text).toMatch(/^random +1\/1 +0\.25 ± 0\.00 \(0\.25\.\.0\.25\) +-20\.0 ± 0\.0 \(-20\.0\.\.-20\.0\) +0\/1 reached$/m);
    expect(text).toMatch(/^dqn +2\/3 +0\.75 ± 0\.35 \(0\.50\.\.1\.00\) +65\.0 ± 35\.4 \(40\.0\.\.90\.0\) +1\/3 reached, 6000 ± 0 \(6000\.\.6000\)$/m);
  });

  it('reads a run folder\'s run.json; a missing or cut one gives no figures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlfs-race-summary-'));
    try {
      mkdirSync(join(dir, 'ok'));
      writeFileSync(join(dir, 'ok', 'run.json'), JSON.stringify({ lastEval: { step: 4000, 'eval/success': 1 }, stopAt: { metric: 'eval/success', value: 0.9, reachedAt: { step: 4000, value: 1 } }, result: { steps: 4000 } }));
      mkdirSync(join(dir, 'cut'));
      writeFileSync(join(dir, 'cut', 'run.json'), '{"lastEval": {"st');
      expect(readRun('dqn', 1, join(dir, 'ok'), 0)).toEqual({ agent: 'dqn', seed: 1, dir: join(dir, 'ok'), exitCode: 0, lastEval: { step: 4000, 'eval/success': 1 }, reachedAt: 4000, steps: 4000 });
      expect(readRun('dqn', 2, join(dir, 'cut'), 1)).toEqual({ agent: 'dqn', seed: 2, dir: join(dir, 'cut'), exitCode: 1 });
      expect(readRun('dqn', 3, join(dir, 'none'), null)).toEqual({ agent: 'dqn', seed: 3, dir: join(dir, 'none'), exitCode: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
