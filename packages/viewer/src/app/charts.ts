/**
 * The viewer's chart specs from a session's data: return per episode with its moving average, episode length
 * against the shortest path, and one small chart per telemetry metric. Pure.
 */
import { PALETTE } from '../draw/commands';
import type { ChartSpec } from '../plot/chart';
import type { BoundedSeries } from '../plot/series';
import { movingAverage } from '../plot/series';

export interface EpisodeSeries {
  episodeNos: readonly number[];
  returns: readonly number[];
  lengths: readonly number[];
  /** NaN where unknown. */
  shortest: readonly number[];
}

/** Every episode's return as points, and its moving average over `window` episodes as a line. */
export function returnChart(data: EpisodeSeries, window: number): ChartSpec {
  return {
    title: 'Return per episode',
    xLabel: 'episode',
    yLabel: 'return',
    series: [
      { name: 'return', xs: data.episodeNos, ys: data.returns, color: withDim(PALETTE.series[0]), style: 'points' },
      { name: `mean of ${window}`, xs: data.episodeNos, ys: movingAverage(data.returns, window), color: PALETTE.series[1], style: 'line' },
    ],
  };
}

/** Episode length (points and moving average) against the shortest path (its moving average) where known. */
export function lengthChart(data: EpisodeSeries, window: number): ChartSpec {
  const known = data.shortest.some((v) => Number.isFinite(v));
  const series: ChartSpec['series'] = [
    { name: 'length', xs: data.episodeNos, ys: data.lengths, color: withDim(PALETTE.series[2]), style: 'points' },
    { name: `mean length`, xs: data.episodeNos, ys: movingAverage(data.lengths, window), color: PALETTE.series[2], style: 'line' },
  ];
  if (known) series.push({ name: 'shortest path', xs: data.episodeNos, ys: movingAverage(data.shortest.map((v) => (Number.isFinite(v) ? v : 0)), window), color: PALETTE.series[3], style: 'line' });
  // Only GridWorld reports shortest paths: other environments chart the length alone.
  return { title: known ? 'Episode length vs shortest path' : 'Episode length', xLabel: 'episode', yLabel: 'steps', series, includeY: [0] };
}

/** A telemetry metric's history. */
export function metricChart(name: string, series: BoundedSeries, colorIndex: number): ChartSpec {
  const color = PALETTE.series[colorIndex % PALETTE.series.length]!;
  return { title: name, xLabel: 'report', series: [{ name, xs: series.xs, ys: series.ys, color, style: 'line' }] };
}

function withDim(hex: string): string {
  return `${hex}b3`; // 70% alpha as #rrggbbaa
}
