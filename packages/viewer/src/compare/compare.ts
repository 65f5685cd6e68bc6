/**
 * Agents compared side by side: runs grouped by agent, each agent's return (moving average per seed) resampled on
 * one env-step grid, and drawn as the mean across seeds with a min-max band; the same for `eval/success`. Pure:
 * the race page (live sessions) and `npm run view` (finished run folders) both feed it runs.
 */
import { PALETTE } from '../draw/commands';
import type { ChartSeries, ChartSpec } from '../plot/chart';
import { movingAverage } from '../plot/series';

/** One run (a seed of an agent): its episodes' env steps and returns, and its metrics by env step. */
export interface CompareRun {
  agent: string;
  seed: string;
  steps: readonly number[];
  returns: readonly number[];
  metrics: ReadonlyMap<string, { xs: readonly number[]; ys: readonly number[] }>;
}

/** An agent's curve across its seeds on a shared grid of env steps. */
export interface AgentCurve {
  agent: string;
  seeds: number;
  xs: number[];
  mean: number[];
  min: number[];
  max: number[];
}

/** Points of the shared env-step grid. */
export const GRID_POINTS = 120;

/** `race/<raceId>/<agent>/seed<k>` read apart, or undefined for any other session name. */
export function parseRaceName(name: string): { raceId: string; agent: string; seed: string } | undefined {
  const m = /^race\/([^/]+)\/([^/]+)\/seed(\d+)$/.exec(name);
  return m ? { raceId: m[1]!, agent: m[2]!, seed: m[3]! } : undefined;
}

/** The value of a step function at `x`: the last y whose x is at or before it (NaN before the first). */
export function valueAt(xs: readonly number[], ys: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? NaN : ys[lo - 1]!;
}

/**
 * Each agent's curve: per seed the series `pick` gives (xs ascending), sampled at `points` env steps from 0 to the
 * last step every seed of the agent has reached (so the band covers only where all seeds have data); mean, min
 * and max across the seeds known there.
 */
export function agentCurves(runs: readonly CompareRun[], pick: (run: CompareRun) => { xs: readonly number[]; ys: readonly number[] } | undefined, points = GRID_POINTS): AgentCurve[] {
  const byAgent = new Map<string, { xs: readonly number[]; ys: readonly number[] }[]>();
  for (const run of runs) {
    const series = pick(run);
    if (!byAgent.has(run.agent)) byAgent.set(run.agent, []);
    if (series && series.xs.length > 0) byAgent.get(run.agent)!.push(series);
  }
  const out: AgentCurve[] = [];
  for (const [agent, seeds] of byAgent) {
    if (seeds.length === 0) continue;
    const end = Math.min(...seeds.map((s) => s.xs[s.xs.length - 1]!));
    const curve: AgentCurve = { agent, seeds: seeds.length, xs: [], mean: [], min: [], max: [] };
    for (let k = 1; k <= points; k++) {
      const x = (end * k) / points;
      const values = seeds.map((s) => valueAt(s.xs, s.ys, x)).filter((v) => Number.isFinite(v));
      if (values.length === 0) continue;
      curve.xs.push(x);
      curve.mean.push(values.reduce((a, b) => a + b, 0) / values.length);
      curve.min.push(Math.min(...values));
      curve.max.push(Math.max(...values));
    }
    out.push(curve);
  }
  return out.sort((a, b) => a.agent.localeCompare(b.agent));
}

/** The return of each run smoothed over `window` episodes, by env step. */
export function returnCurves(runs: readonly CompareRun[], window: number, points = GRID_POINTS): AgentCurve[] {
  return agentCurves(runs, (r) => ({ xs: r.steps, ys: movingAverage(r.returns, window) }), points);
}

/** A metric (such as `eval/success`) of each run, by env step. */
export function metricCurves(runs: readonly CompareRun[], metric: string, points = GRID_POINTS): AgentCurve[] {
  return agentCurves(runs, (r) => r.metrics.get(metric), points);
}

/** One chart of agent curves: per agent a translucent min-max band and its mean as a line, in distinct colours. */
export function comparisonChart(title: string, yLabel: string, curves: readonly AgentCurve[], includeY?: number[]): ChartSpec {
  const series: ChartSeries[] = [];
  curves.forEach((c, i) => {
    const color = PALETTE.series[i % PALETTE.series.length]!;
    if (c.seeds > 1) series.push({ name: `${c.agent} range`, xs: c.xs, ys: c.min, ys2: c.max, color: `${color}40`, style: 'band' });
    series.push({ name: `${c.agent} (${c.seeds} seed${c.seeds === 1 ? '' : 's'})`, xs: c.xs, ys: c.mean, color, style: 'line' });
  });
  const spec: ChartSpec = { title, xLabel: 'env steps', yLabel, series };
  if (includeY) spec.includeY = includeY;
  return spec;
}
