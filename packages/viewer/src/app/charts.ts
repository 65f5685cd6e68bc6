/**
 * The viewer's chart specs from a session's data: return per episode with its moving average (and the greedy
 * evaluation's return beside it), episode length against the shortest path, and one small chart per other
 * telemetry metric. Every chart shares one x-axis, in env steps (or episodes), over the same range. Pure.
 */
import { PALETTE } from '../draw/commands';
import type { ChartSpec } from '../plot/chart';
import type { BoundedSeries } from '../plot/series';
import { movingAverage } from '../plot/series';

/** The shared x-axis: env steps (the unit of `--steps`) or episodes. */
export type XAxis = 'step' | 'episode';

export interface EpisodeSeries {
  episodeNos: readonly number[];
  /** Env steps at each episode's end. */
  steps: readonly number[];
  returns: readonly number[];
  lengths: readonly number[];
  /** NaN where unknown. */
  shortest: readonly number[];
}

/** What a chart needs beyond the episodes: telemetry by env step, the axis and its range. */
export interface ChartContext {
  axis: XAxis;
  /** The axis range every chart shows: [0, env steps or episodes so far]. */
  xMax: number;
  metrics?: ReadonlyMap<string, BoundedSeries>;
}

/** Metrics the return and length charts already show: no chart of their own repeats them. */
export const SHOWN_ELSEWHERE = new Set(['episode/return', 'episode/length', 'eval/return']);

/** One line on what each known metric means, shown on hover. */
export const METRIC_HELP: Record<string, string> = {
  'train/epsilon': 'epsilon: the chance the agent acts at random instead of greedily (exploration); it decays as training goes on',
  'train/loss': 'loss: the mean squared TD error of the last update; it falls as Q-values agree with their targets, and may rise when new states are found',
  'train/q_mean': 'q_mean: the mean predicted Q-value of the actions taken; it climbs toward the discounted return the agent expects',
  'eval/return': 'eval/return: the mean return of greedy evaluation episodes (no exploration) on fixed seeds',
  'eval/success': 'eval/success: the share of greedy evaluation episodes that reached the goal, 0 to 1',
  'eval/gap': 'eval/gap: how many steps the greedy episodes took beyond the shortest path, on average (0 is optimal)',
  'perf/steps_per_second': 'steps_per_second: environment steps trained per second',
  'episode/return': 'episode/return: the return of the last training episode',
  'episode/length': 'episode/length: the length of the last training episode',
};

/** The hover text for a metric: its explanation, or its name where none is known. */
export function metricHelp(name: string): string {
  return METRIC_HELP[name] ?? METRIC_HELP[`train/${name}`] ?? `${name}: a metric the agent sends (client.telemetry)`;
}

/** Every episode's return as points, its moving average over `window` as a line, and eval/return when sent. */
export function returnChart(data: EpisodeSeries, window: number, ctx: ChartContext = { axis: 'episode', xMax: 0 }): ChartSpec {
  const xs = xsOf(data, ctx.axis);
  const series: ChartSpec['series'] = [
    { name: 'return', xs, ys: data.returns, color: withDim(PALETTE.series[0]), style: 'points' },
    { name: `mean of ${window}`, xs, ys: movingAverage(data.returns, window), color: PALETTE.series[1], style: 'line' },
  ];
  const evalReturn = ctx.metrics?.get('eval/return');
  if (evalReturn && evalReturn.length > 0) {
    series.push({ name: 'greedy eval', xs: metricXs(evalReturn, data, ctx.axis), ys: evalReturn.ys, color: PALETTE.series[3], style: 'line' });
  }
  return { title: 'Return per episode', xLabel: axisLabel(ctx.axis), yLabel: 'return', series, xDomain: domain(ctx) };
}

/** Episode length (points and moving average) against the shortest path (its moving average) where known. */
export function lengthChart(data: EpisodeSeries, window: number, ctx: ChartContext = { axis: 'episode', xMax: 0 }): ChartSpec {
  const xs = xsOf(data, ctx.axis);
  const known = data.shortest.some((v) => Number.isFinite(v));
  const series: ChartSpec['series'] = [
    { name: 'length', xs, ys: data.lengths, color: withDim(PALETTE.series[2]), style: 'points' },
    { name: `mean length`, xs, ys: movingAverage(data.lengths, window), color: PALETTE.series[2], style: 'line' },
  ];
  if (known) series.push({ name: 'shortest path', xs, ys: movingAverage(data.shortest.map((v) => (Number.isFinite(v) ? v : 0)), window), color: PALETTE.series[4], style: 'line' });
  // Only GridWorld reports shortest paths: other environments chart the length alone.
  return { title: known ? 'Episode length vs shortest path' : 'Episode length', xLabel: axisLabel(ctx.axis), yLabel: 'steps', series, includeY: [0], xDomain: domain(ctx) };
}

/** A telemetry metric's history against the shared axis; rates (success) span 0..1. */
export function metricChart(name: string, series: BoundedSeries, colorIndex: number, ctx: ChartContext = { axis: 'step', xMax: 0 }, data?: EpisodeSeries): ChartSpec {
  const color = PALETTE.series[colorIndex % PALETTE.series.length]!;
  const xs = ctx.axis === 'step' || !data ? series.xs : metricXs(series, data, ctx.axis);
  const spec: ChartSpec = { title: name, xLabel: axisLabel(ctx.axis), series: [{ name, xs, ys: series.ys, color, style: 'line' }], xDomain: domain(ctx) };
  if (name.endsWith('success')) spec.includeY = [0, 1];
  return spec;
}

/** The episode number reached at env step `step` (0 before the first), from the episodes' steps. */
export function episodeAtStep(data: EpisodeSeries, step: number): number {
  let lo = 0;
  let hi = data.steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (data.steps[mid]! <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : data.episodeNos[lo - 1]!;
}

function xsOf(data: EpisodeSeries, axis: XAxis): readonly number[] {
  return axis === 'step' ? data.steps : data.episodeNos;
}

function metricXs(series: BoundedSeries, data: EpisodeSeries, axis: XAxis): readonly number[] {
  return axis === 'step' ? series.xs : series.xs.map((s) => episodeAtStep(data, s));
}

function axisLabel(axis: XAxis): string {
  return axis === 'step' ? 'env steps' : 'episodes';
}

function domain(ctx: ChartContext): [number, number] | undefined {
  return ctx.xMax > 0 ? [0, ctx.xMax] : undefined;
}

function withDim(hex: string): string {
  return `${hex}b3`; // 70% alpha as #rrggbbaa
}
