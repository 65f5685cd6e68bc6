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

/** One row of the family table: medians over seeds. */
export interface FamilyRow {
  shape: string;
  seeds: number;
  reached: number;
  medianSteps: number | null;
  medianFinalSuccess: number | null;
  medianFinalGap: number | null;
}

export function familyRow(label: string, runs: readonly LearnRun[], median: (v: ReadonlyArray<number | null>) => number | null): FamilyRow {
  return {
    shape: label,
    seeds: runs.length,
    reached: runs.filter((r) => r.steps !== null).length,
    medianSteps: median(runs.map((r) => r.steps)),
    medianFinalSuccess: median(runs.map((r) => r.finalSuccess)),
    medianFinalGap: median(runs.map((r) => r.finalGap)),
  };
}

/** The table as text, one line per shape. */
export function familyTable(rows: readonly FamilyRow[]): string {
  const head = `${'shape'.padEnd(34)} ${'steps to 90%'.padStart(12)} ${'success'.padStart(8)} ${'gap'.padStart(5)} reached`;
  const lines = rows.map((r) => `${r.shape.padEnd(34)} ${String(r.medianSteps ?? '-').padStart(12)} ${r.medianFinalSuccess === null ? '       -' : `${(100 * r.medianFinalSuccess).toFixed(0)}%`.padStart(8)} ${r.medianFinalGap === null ? '    -' : r.medianFinalGap.toFixed(2).padStart(5)} ${r.reached}/${r.seeds}`);
  return [head, ...lines].join('\n');
}
