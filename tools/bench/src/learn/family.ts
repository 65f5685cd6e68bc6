/**
 * The GridWorld family DQN's defaults must learn (issue 11): sizes 5 to 8, walls or wrap, random obstacles up to
 * 10% of the cells, from the `grid` and `onehot` observations, and from `coords` where there are no obstacles
 * (coords cannot show them). Bar: greedy success >= 90% with mean gap <= 1 within 60,000 steps, DQN's defaults.
 */
import type { LearnCase, LearnRun } from './measure';

export const FAMILY_BAR = 0.9;
export const FAMILY_MAX_GAP = 1;
export const FAMILY_MAX_STEPS = 60_000;

/** Every shape of the family, as learn cases with DQN's defaults. */
export function familyCases(): LearnCase[] {
  const cases: LearnCase[] = [];
  for (const size of [5, 6, 7, 8]) {
    const obstacles = Math.floor(0.1 * size * size);
    for (const boundary of ['walls', 'wrap'] as const) {
      const shapes: Array<[string, number]> = [['grid', obstacles], ['onehot', obstacles], ['coords', 0]];
      for (const [observation, k] of shapes) {
        const envOptions = { size, boundary, observation, obstacles: k };
        const label = `${size}x${size} ${boundary} ${observation}${k ? ` ${k} obstacles` : ''}`;
        cases.push({ agent: 'dqn', label, envOptions, every: size <= 5 ? 1000 : 2500, maxSteps: FAMILY_MAX_STEPS, bar: FAMILY_BAR, maxGap: FAMILY_MAX_GAP });
      }
    }
  }
  return cases;
}

/**
 * The order a family run measures (case, seed) pairs in: seed by seed, so that an interrupted run has one seed of
 * every shape before a second of any; within a seed the small worlds first (minutes, not tens of minutes), and the
 * onehot shapes last: DQN's default egocentric view reads grid and onehot observations into the same inputs (test
 * "grid, onehot and coords observations of one world give the same window"), so with the same seed a onehot run
 * repeats its grid twin step for step.
 */
export function familyOrder<C extends LearnCase>(cases: readonly C[], seeds: readonly number[]): Array<{ c: C; seed: number }> {
  const rank = (c: LearnCase): number => (c.envOptions.observation === 'onehot' ? 1 : 0);
  const sorted = [...cases].sort((a, b) => Number(a.envOptions.size) - Number(b.envOptions.size));
  return [0, 1].flatMap((r) => seeds.flatMap((seed) => sorted.filter((c) => rank(c) === r).map((c) => ({ c, seed }))));
}

/** One row of the family table: the seeds measured so far, medians and ranges over them. */
export interface FamilyRow {
  shape: string;
  /** The seeds measured (complete runs). */
  seeds: number[];
  reached: number;
  medianSteps: number | null;
  /** The fewest and most steps to the bar over the seeds that reached it; null when none did. */
  stepsRange: [number, number] | null;
  medianFinalSuccess: number | null;
  finalSuccessRange: [number, number] | null;
  medianFinalGap: number | null;
  finalGapRange: [number, number] | null;
}

export function familyRow(label: string, runs: ReadonlyArray<Pick<LearnRun, 'seed' | 'steps' | 'finalSuccess' | 'finalGap'>>, median: (v: ReadonlyArray<number | null>) => number | null): FamilyRow {
  return {
    shape: label,
    seeds: runs.map((r) => r.seed).sort((a, b) => a - b),
    reached: runs.filter((r) => r.steps !== null).length,
    medianSteps: median(runs.map((r) => r.steps)),
    stepsRange: range(runs.map((r) => r.steps)),
    medianFinalSuccess: median(runs.map((r) => r.finalSuccess)),
    finalSuccessRange: range(runs.map((r) => r.finalSuccess)),
    medianFinalGap: median(runs.map((r) => r.finalGap)),
    finalGapRange: range(runs.map((r) => r.finalGap)),
  };
}

function range(values: ReadonlyArray<number | null>): [number, number] | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? [Math.min(...known), Math.max(...known)] : null;
}

/** "a" or "a (lo-hi)" when the seeds differ. */
function withRange(median: number | null, r: [number, number] | null, format: (v: number) => string): string {
  if (median === null) return '-';
  return r && r[0] !== r[1] ? `${format(median)} (${format(r[0])}-${format(r[1])})` : format(median);
}

/** The table as text, one line per shape: medians over the seeds done, with the range over them in brackets. */
export function familyTable(rows: readonly FamilyRow[]): string {
  const pct = (v: number): string => `${(100 * v).toFixed(0)}%`;
  const head = `${'shape'.padEnd(28)} ${'seeds'.padEnd(7)} ${'steps to the bar'.padEnd(24)} ${'greedy success'.padEnd(16)} ${'gap'.padEnd(16)} reached`;
  const lines = rows.map(
    (r) =>
      `${r.shape.padEnd(28)} ${(r.seeds.join(',') || '-').padEnd(7)} ${withRange(r.medianSteps, r.stepsRange, String).padEnd(24)} ${withRange(r.medianFinalSuccess, r.finalSuccessRange, pct).padEnd(16)} ${withRange(r.medianFinalGap, r.finalGapRange, (v) => v.toFixed(2)).padEnd(16)} ${r.reached}/${r.seeds.length}`,
  );
  return [head, ...lines].join('\n');
}
