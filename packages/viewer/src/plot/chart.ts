/**
 * A small line/scatter chart as draw commands: axes with nice ticks and labels, any number of series, each
 * decimated to a bounded number of drawn points, and the hover read-out. Pure.
 */
import type { Box, DrawCmd } from '../draw/commands';
import { PALETTE } from '../draw/commands';
import { decimateIndices } from './series';
import type { Scale } from './scale';
import { linearScale } from './scale';
import { formatTick, niceTicks } from './ticks';
import type { Ticks } from './ticks';

export interface ChartSeries {
  name: string;
  /** Ascending x values. */
  xs: readonly number[];
  ys: readonly number[];
  color: string;
  /** `band`: the area between `ys` (low) and `ys2` (high), drawn translucent. */
  style: 'points' | 'line' | 'band';
  /** The band's upper edge (style `band` only). */
  ys2?: readonly number[];
  /** Most points drawn (default 600 for points, 800 for lines). */
  maxPoints?: number;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel?: string;
  series: ChartSeries[];
  /** Forces the y axis to include these values (e.g. 0). */
  includeY?: number[];
  /** The x range shown whatever the data's (so that charts sharing an axis line up). */
  xDomain?: [number, number];
}

/** Where the plot area is and how data maps onto it: what hover needs. */
export interface ChartFrame {
  plot: Box;
  x: Scale;
  y: Scale;
  /** The ticks the scales were made from (the axes draw exactly these). */
  xTicks: Ticks;
  yTicks: Ticks;
}

const MARGIN = { left: 48, right: 12, top: 26, bottom: 34 };

/** The chart's frame: plot area inside `box` and the scales of the data's extent. */
export function chartFrame(spec: ChartSpec, box: Box): ChartFrame {
  const plot = { x: box.x + MARGIN.left, y: box.y + MARGIN.top, w: Math.max(10, box.w - MARGIN.left - MARGIN.right), h: Math.max(10, box.h - MARGIN.top - MARGIN.bottom) };
  const [xMin, xMax, yMin, yMax] = extent(spec);
  // The x-axis starts at a round tick but ends where the data (or the shared domain) ends, not at the next tick.
  const xNice = niceTicks(xMin, xMax, Math.max(2, Math.floor(plot.w / 70)));
  const xt = xMax > xMin ? { ...xNice, max: xMax, values: xNice.values.filter((v) => v <= xMax + 1e-9) } : xNice;
  const yt = niceTicks(yMin, yMax, Math.max(2, Math.floor(plot.h / 34)));
  return {
    plot,
    x: linearScale([xt.min, xt.max], [plot.x, plot.x + plot.w]),
    y: linearScale([yt.min, yt.max], [plot.y + plot.h, plot.y]),
    xTicks: xt,
    yTicks: yt,
  };
}

/** The chart's draw commands; `hover` (a pixel) adds the read-out of the nearest x. */
export function drawChart(spec: ChartSpec, box: Box, hover?: { x: number; y: number }): DrawCmd[] {
  const frame = chartFrame(spec, box);
  const { plot } = frame;
  const out: DrawCmd[] = [];
  out.push({ kind: 'text', x: box.x + 4, y: box.y + 4, text: spec.title, size: 12, fill: PALETTE.text, bold: true, baseline: 'top' });
  out.push(...axesCommands(frame, spec));
  const empty = spec.series.every((s) => s.xs.length === 0);
  if (empty) {
    out.push({ kind: 'text', x: plot.x + plot.w / 2, y: plot.y + plot.h / 2, text: 'waiting for data…', size: 11, fill: PALETTE.muted, align: 'center', baseline: 'middle' });
    return out;
  }
  for (const s of spec.series) out.push(seriesCommands(s, frame));
  if (hover) out.push(...hoverCommands(spec, frame, hover.x, hover.y));
  return out;
}

/** How many points of each series are drawn (bounded whatever the data's length). */
export function drawnPointCount(series: ChartSeries): number {
  return decimateIndices(series.ys, maxPointsOf(series)).length;
}

/** The read-out at pixel (px, py): the nearest data x in the plot and each series' value there, or undefined. */
export function hoverReadout(spec: ChartSpec, frame: ChartFrame, px: number, py: number): { x: number; lines: { name: string; value: number; color: string; y: number }[] } | undefined {
  const { plot } = frame;
  if (px < plot.x - 4 || px > plot.x + plot.w + 4 || py < plot.y - 4 || py > plot.y + plot.h + 4) return undefined;
  const target = frame.x.invert(px);
  let best: number | undefined;
  for (const s of spec.series) {
    const i = nearestIndex(s.xs, target);
    if (i >= 0 && (best === undefined || Math.abs(s.xs[i]! - target) < Math.abs(best - target))) best = s.xs[i]!;
  }
  if (best === undefined) return undefined;
  const lines = [];
  for (const s of spec.series) {
    if (s.style === 'band') continue;
    const i = nearestIndex(s.xs, best);
    if (i < 0 || Math.abs(s.xs[i]! - best) > 1e-9 * Math.max(1, Math.abs(best))) continue;
    lines.push({ name: s.name, value: s.ys[i]!, color: s.color, y: s.ys[i]! });
  }
  return { x: best, lines };
}

/** Index of the element of ascending `xs` nearest to `target`, or -1 when empty (binary search). */
export function nearestIndex(xs: readonly number[], target: number): number {
  if (xs.length === 0) return -1;
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= target) lo = mid;
    else hi = mid;
  }
  return Math.abs(xs[lo]! - target) <= Math.abs(xs[hi]! - target) ? lo : hi;
}

/** Formats a read-out value with up to 4 significant digits. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

// ---- helpers ----

function maxPointsOf(s: ChartSeries): number {
  return s.maxPoints ?? (s.style === 'points' ? 600 : 800);
}

function extent(spec: ChartSpec): [number, number, number, number] {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const s of spec.series) {
    if (s.xs.length === 0) continue;
    xMin = Math.min(xMin, s.xs[0]!);
    xMax = Math.max(xMax, s.xs[s.xs.length - 1]!);
    for (const ys of s.ys2 ? [s.ys, s.ys2] : [s.ys]) {
      for (const y of ys) {
        if (!Number.isFinite(y)) continue;
        if (y < yMin) yMin = y;
        if (y > yMax) yMax = y;
      }
    }
  }
  if (spec.xDomain) {
    xMin = Math.min(spec.xDomain[0], xMin === Infinity ? spec.xDomain[0] : xMin);
    xMax = Math.max(spec.xDomain[1], xMax === -Infinity ? spec.xDomain[1] : xMax);
  }
  for (const y of spec.includeY ?? []) {
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
  }
  if (xMin === Infinity) [xMin, xMax] = [0, 10];
  if (yMin === Infinity) [yMin, yMax] = [0, 1];
  return [xMin, xMax, yMin, yMax];
}

function axesCommands(frame: ChartFrame, spec: ChartSpec): DrawCmd[] {
  const { plot, x, y, xTicks: xt, yTicks: yt } = frame;
  const out: DrawCmd[] = [];
  for (const v of yt.values) {
    const py = y(v);
    out.push({ kind: 'line', x1: plot.x, y1: py, x2: plot.x + plot.w, y2: py, stroke: PALETTE.gridGuide, weight: 1 });
    out.push({ kind: 'text', x: plot.x - 6, y: py, text: formatTick(v, yt.step), size: 10, fill: PALETTE.muted, align: 'right', baseline: 'middle' });
  }
  for (const v of xt.values) {
    const px = x(v);
    out.push({ kind: 'line', x1: px, y1: plot.y + plot.h, x2: px, y2: plot.y + plot.h + 4, stroke: PALETTE.axis, weight: 1 });
    out.push({ kind: 'text', x: px, y: plot.y + plot.h + 6, text: formatTick(v, xt.step), size: 10, fill: PALETTE.muted, align: 'center', baseline: 'top' });
  }
  out.push({ kind: 'line', x1: plot.x, y1: plot.y, x2: plot.x, y2: plot.y + plot.h, stroke: PALETTE.axis, weight: 1 });
  out.push({ kind: 'line', x1: plot.x, y1: plot.y + plot.h, x2: plot.x + plot.w, y2: plot.y + plot.h, stroke: PALETTE.axis, weight: 1 });
  out.push({ kind: 'text', x: plot.x + plot.w, y: plot.y + plot.h + 20, text: spec.xLabel, size: 10, fill: PALETTE.muted, align: 'right', baseline: 'top' });
  if (spec.yLabel) out.push({ kind: 'text', x: plot.x - 38, y: plot.y + plot.h / 2, text: spec.yLabel, size: 10, fill: PALETTE.muted, align: 'center', baseline: 'middle', rotate: -Math.PI / 2 });
  // Legend, right-aligned on the title line, when there is more than one series.
  const named = spec.series.filter((s) => s.style !== 'band'); // a band is its line's range: no entry of its own
  if (named.length > 1) {
    let lx = plot.x + plot.w;
    for (const s of [...named].reverse()) {
      const w = s.name.length * 6 + 18;
      lx -= w;
      out.push({ kind: 'rect', x: lx, y: plot.y - 19, w: 10, h: 3, fill: s.color });
      out.push({ kind: 'text', x: lx + 13, y: plot.y - 17, text: s.name, size: 10, fill: PALETTE.muted, baseline: 'middle' });
    }
  }
  return out;
}

function seriesCommands(s: ChartSeries, frame: ChartFrame): DrawCmd {
  const idx = decimateIndices(s.ys, maxPointsOf(s));
  const points = new Array<number>(idx.length * 2);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    points[2 * k] = frame.x(s.xs[i]!);
    points[2 * k + 1] = Number.isFinite(s.ys[i]!) ? frame.y(s.ys[i]!) : NaN;
  }
  if (s.style === 'points') return { kind: 'dots', points, d: idx.length > 300 ? 3 : 4, fill: s.color };
  if (s.style === 'band' && s.ys2) {
    // the upper edge left to right, then the lower edge back: one closed polygon
    const upper: number[] = [];
    for (const i of idx) upper.push(frame.x(s.xs[i]!), frame.y(s.ys2[i]!));
    const lower: number[] = [];
    for (let k = idx.length - 1; k >= 0; k--) lower.push(frame.x(s.xs[idx[k]!]!), frame.y(s.ys[idx[k]!]!));
    return { kind: 'polygon', points: [...upper, ...lower], fill: s.color };
  }
  return { kind: 'polyline', points, stroke: s.color, weight: 2 };
}

function hoverCommands(spec: ChartSpec, frame: ChartFrame, px: number, py: number): DrawCmd[] {
  const readout = hoverReadout(spec, frame, px, py);
  if (!readout || readout.lines.length === 0) return [];
  const { plot } = frame;
  const gx = frame.x(readout.x);
  const out: DrawCmd[] = [{ kind: 'line', x1: gx, y1: plot.y, x2: gx, y2: plot.y + plot.h, stroke: PALETTE.muted, weight: 1, dash: [3, 3] }];
  for (const line of readout.lines) out.push({ kind: 'circle', x: gx, y: frame.y(line.y), d: 7, fill: line.color, stroke: PALETTE.background, weight: 1.5 });
  const texts = [`${spec.xLabel} ${formatValue(readout.x)}`, ...readout.lines.map((l) => `${l.name}: ${formatValue(l.value)}`)];
  const w = Math.max(...texts.map((t) => t.length)) * 6.4 + 16;
  const h = texts.length * 15 + 8;
  const bx = gx + 10 + w > plot.x + plot.w ? gx - 10 - w : gx + 10;
  out.push({ kind: 'rect', x: bx, y: plot.y + 4, w, h, fill: 'rgba(14,19,32,0.92)', stroke: PALETTE.axis, weight: 1, radius: 4 });
  texts.forEach((t, i) => {
    const color = i === 0 ? PALETTE.muted : readout.lines[i - 1]!.color;
    out.push({ kind: 'text', x: bx + 8, y: plot.y + 10 + i * 15, text: t, size: 11, fill: color, baseline: 'top' });
  });
  return out;
}
