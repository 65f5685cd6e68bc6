import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { familyCases, familyOrder, familyRow, familyTable } from '../src/learn/family';
import type { LearnCase, LearnRun } from '../src/learn/measure';
import { appendResult, parseShard, readResults, runKey, storedRun } from '../src/learn/results-file';
import type { StoredRun } from '../src/learn/results-file';

const CASE: LearnCase = { agent: 'dqn', label: '6x6 walls grid 3 obstacles', envOptions: { size: 6, boundary: 'walls', observation: 'grid', obstacles: 3 }, every: 2500, maxSteps: 60_000, bar: 0.9, maxGap: 1 };

function run(c: LearnCase, seed: number, steps: number | null): StoredRun {
  const figures: LearnRun = { seed, steps, seconds: steps === null ? null : 10, finalSuccess: 0.95, finalReturn: 0.5, finalGap: 0.1, trainedSteps: steps ?? 60_000, trainSeconds: 10, evalSeconds: 1 };
  return { key: runKey(c, seed), agent: c.agent, case: c.label, envOptions: c.envOptions, agentOptions: {}, ...figures, date: '2026-12-03T00:00:00.000Z', backend: 'wasm', loadAverage: 1 };
}

describe('bench:learn --results: runs stored as they finish, skipped on a rerun', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'rlfs-learn-results-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a stored run is found by its case and seed, and only with the same settings', () => {
    const file = path.join(dir, 'runs.jsonl');
    expect(readResults(file)).toEqual({ runs: [], completeBytes: 0, torn: false });
    appendResult(file, run(CASE, 1, 5000));
    appendResult(file, run(CASE, 2, null));
    const { runs } = readResults(file);
    expect(runs.map((r) => [r.seed, r.steps])).toEqual([[1, 5000], [2, null]]);
    expect(storedRun(runs, CASE, 1)?.steps).toBe(5000);
    expect(storedRun(runs, CASE, 2)?.steps).toBeNull();
    expect(storedRun(runs, CASE, 3)).toBeUndefined();
    // Another budget or other agent options is another run.
    expect(storedRun(runs, { ...CASE, maxSteps: 10_000 }, 1)).toBeUndefined();
    expect(storedRun(runs, { ...CASE, agentOptions: { gamma: 0.99 } }, 1)).toBeUndefined();
  });

  it('a last line cut short by a killed run is ignored, and the next append replaces it', () => {
    const file = path.join(dir, 'runs.jsonl');
    appendResult(file, run(CASE, 1, 5000));
    appendFileSync(file, '{"key":"half a li');
    const read = readResults(file);
    expect(read.torn).toBe(true);
    expect(read.runs).toHaveLength(1);
    appendResult(file, run(CASE, 2, 7500));
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3); // two runs and the empty string after the last newline
    expect(lines.map((l) => (l ? (JSON.parse(l) as StoredRun).seed : null))).toEqual([1, 2, null]);
  });

  it('a complete line that is not a run is an error naming the file and line', () => {
    const file = path.join(dir, 'runs.jsonl');
    appendResult(file, run(CASE, 1, 5000));
    appendFileSync(file, '{"seed": 2}\n');
    expect(() => readResults(file)).toThrow(`${file} line 2: not a stored run`);
  });
});

describe('the family run order and table', () => {
  it('seed by seed, small worlds first, onehot shapes (same inputs as grid) after every other shape', () => {
    const order = familyOrder(familyCases(), [1, 2, 3]);
    expect(order).toHaveLength(72);
    const names = order.map(({ c, seed }) => `${c.label} #${seed}`);
    expect(names.slice(0, 6)).toEqual(['5x5 walls grid 2 obstacles #1', '5x5 walls coords #1', '5x5 wrap grid 2 obstacles #1', '5x5 wrap coords #1', '6x6 walls grid 3 obstacles #1', '6x6 walls coords #1']);
    // 16 grid/coords shapes x 3 seeds, then 8 onehot shapes x 3 seeds.
    expect(names[15]).toBe('8x8 wrap coords #1');
    expect(names[16]).toBe('5x5 walls grid 2 obstacles #2');
    expect(order.slice(0, 48).every(({ c }) => c.envOptions.observation !== 'onehot')).toBe(true);
    expect(names[48]).toBe('5x5 walls onehot 2 obstacles #1');
  });

  it('medians and ranges over the seeds done; a seed that missed the bar counts as more steps than any', () => {
    const median = (v: ReadonlyArray<number | null>): number | null => [...v].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b))[Math.floor((v.length - 1) / 2)] ?? null;
    const runs = [
      { seed: 3, steps: 7500, finalSuccess: 0.92, finalGap: 0.2 },
      { seed: 1, steps: 5000, finalSuccess: 0.95, finalGap: 0 },
      { seed: 2, steps: null, finalSuccess: 0.6, finalGap: 1.5 },
    ];
    const row = familyRow('6x6 walls grid 3 obstacles', runs, median);
    expect(row).toEqual({ shape: '6x6 walls grid 3 obstacles', seeds: [1, 2, 3], reached: 2, medianSteps: 7500, stepsRange: [5000, 7500], medianFinalSuccess: 0.92, finalSuccessRange: [0.6, 0.95], medianFinalGap: 0.2, finalGapRange: [0, 1.5] });
    const line = familyTable([row]).split('\n')[1]!;
    expect(line).toMatch(/^6x6 walls grid 3 obstacles +1,2,3 +7500 \(5000-7500\) +92% \(60%-95%\) +0\.20 \(0\.00-1\.50\) +2\/3$/);
  });
});

describe('--shard K/N', () => {
  it('K/N is read as a place modulo N; anything else is refused with the expected form', () => {
    expect(parseShard(undefined)).toEqual({ index: 0, of: 1 });
    expect(parseShard('1/3')).toEqual({ index: 1, of: 3 });
    for (const bad of ['2/2', '1', 'a/b', '0/0', '-1/2']) expect(() => parseShard(bad)).toThrow(`--shard: expected K/N with 0 <= K < N, e.g. 0/2, got "${bad}"`);
  });
});
