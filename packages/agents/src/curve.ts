/**
 * The learning-curve picture (curve.svg): return per episode (faint mean, lowest-to-highest band), its moving
 * average (bold) and, when the run evaluated, the greedy evaluation's mean return (orange, one dot per evaluation),
 * against env steps (the unit of --steps and of the viewer; episodes when the steps are unknown). Round-number
 * ticks, the full title, the legend above the plot where it hides no data. A pure function of the numbers.
 */
import { CURVE_BUCKETS, CurveSummary } from './curve-summary';
import type { CurveBucket } from './curve-summary';
import { formatTicks, niceTicks } from './ticks';

export interface CurveOptions {
  title: string;
  /** Episodes in the moving average. */
  window: number;
  width: number;
  height: number;
  /** Greedy evaluations: env step and mean return (drawn only on an env-step axis). */
  evals: ReadonlyArray<{ step: number; value: number }>;
}

/** Most points drawn per line: one per bucket of the run's {@link CurveSummary}. */
export const MAX_POINTS = CURVE_BUCKETS;

export const CURVE_DEFAULTS: CurveOptions = { title: 'return per episode', window: 50, width: 760, height: 400, evals: [] };

/** Colours of the lines (ColorBrewer blues, and an orange apart from them). */
const COLOURS = { band: '#deebf7', returns: '#9ecae1', average: '#08519c', eval: '#e6550d', axis: '#333', grid: '#e5e5e5' };

/** Trailing moving average: entry i is the mean of the last `window` values up to i. */
export function movingAverage(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= window) sum -= values[i - window]!;
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}

/**
 * An SVG of the returns of a run, one per episode in order, given as a list (x-axis in episodes) or as a
 * {@link CurveSummary} (what a run folder keeps, bounded however long the run; x-axis in env steps when every
 * episode came with its step). Each point is a bucket of episodes, drawn at its mean step (or middle episode).
 */
export function curveSvg(returns: readonly number[] | CurveSummary, options: Partial<CurveOptions> = {}): string {
  const o = { ...CURVE_DEFAULTS, ...options };
  const summary = returns instanceof CurveSummary ? returns : CurveSummary.of(returns, CURVE_BUCKETS);
  const bySteps = summary.hasSteps && summary.total > 0;
  const evals = bySteps ? o.evals.filter((e) => Number.isFinite(e.step) && Number.isFinite(e.value)) : [];
  // Above the plot, top down: the title (wrapped, never cut: it carries the whole environment and its options),
  // then the legend rows, so that no legend hides data.
  const titleLines = wrap(o.title, Math.max(20, Math.floor((o.width - 20) / (0.6 * TITLE_FONT))));
  const legendTexts = legendOf(summary.width, summary.movingAverage(o.window).buckets * summary.width, evals.length > 0);
  const legendRows = layoutLegend(legendTexts.map(([, , text]) => text), 64, o.width - 24);
  const titleBottom = 6 + titleLines.length * (TITLE_FONT + 3);
  const pad = { left: 64, right: 24, top: titleBottom + legendRows.rows * 16 + 12, bottom: 46 };
  const w = o.width - pad.left - pad.right;
  const h = o.height - pad.top - pad.bottom;
  // No spread over the returns: Math.min(...list) overflows the stack on a long run.
  let lo = Number.isFinite(summary.min) ? summary.min : 0;
  let hi = Number.isFinite(summary.max) ? summary.max : 1;
  for (const e of evals) {
    lo = Math.min(lo, e.value);
    hi = Math.max(hi, e.value);
  }
  const yt = niceTicks(lo, hi, 6);
  const xEnd = bySteps ? Math.max(summary.lastStep, ...evals.map((e) => e.step)) : Math.max(summary.total, 2);
  const xt = niceTicks(bySteps ? 0 : 1, xEnd, 7);
  const xLabels = formatTicks(xt.values);
  const yLabels = formatTicks(yt.values);
  const x = (v: number): number => pad.left + ((v - xt.min) / (xt.max - xt.min)) * w;
  const y = (v: number): number => pad.top + (1 - (v - yt.min) / (yt.max - yt.min)) * h;
  const buckets: CurveBucket[] = [];
  for (let i = 0; i < summary.length; i++) buckets.push(summary.bucket(i));
  const xOf = (b: CurveBucket): number => x(bySteps ? b.meanStep : b.first + 1 + (b.count - 1) / 2);
  const pt = (px: number, py: number): string => `${px.toFixed(1)},${py.toFixed(1)}`;
  const line = (values: ArrayLike<number>): string => {
    const parts: string[] = [];
    for (let i = 0; i < buckets.length; i++) if (Number.isFinite(values[i]!)) parts.push(pt(xOf(buckets[i]!), y(values[i]!)));
    return parts.length ? `M${parts.join('L')}` : '';
  };
  const drawn = buckets.filter((b) => b.finite > 0);
  const band = summary.width > 1 && drawn.length
    ? `M${drawn.map((b) => pt(xOf(b), y(b.max))).join('L')}L${drawn.reverse().map((b) => pt(xOf(b), y(b.min))).join('L')}Z`
    : '';
  const means = line(buckets.map((b) => b.mean));
  const avg = summary.movingAverage(o.window);
  const avgLine = line(avg.values);
  const evalLine = evals.length ? `M${evals.map((e) => pt(x(e.step), y(e.value))).join('L')}` : '';
  const legendItems = legendTexts.map(([cls, colour, text], i) => {
    const { x: lx, row } = legendRows.places[i]!;
    const ly = titleBottom + 8 + row * 16;
    return `<g class="legend-${cls}"><line x1="${lx}" y1="${ly}" x2="${lx + 18}" y2="${ly}" stroke="${colour}" stroke-width="3"/><text x="${lx + 22}" y="${ly + 4}" fill="#333">${escapeXml(text)}</text></g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${o.height}" viewBox="0 0 ${o.width} ${o.height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...titleLines.map((text, i) => `<text class="title" x="${o.width / 2}" y="${4 + (i + 1) * (TITLE_FONT + 3)}" text-anchor="middle" font-size="${TITLE_FONT}">${escapeXml(text)}</text>`),
    ...legendItems,
    ...yt.values.map((v) => `<line x1="${pad.left}" y1="${y(v).toFixed(1)}" x2="${pad.left + w}" y2="${y(v).toFixed(1)}" stroke="${COLOURS.grid}"/>`),
    `<line class="x-axis" x1="${pad.left}" y1="${pad.top + h}" x2="${pad.left + w}" y2="${pad.top + h}" stroke="${COLOURS.axis}"/>`,
    `<line class="y-axis" x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + h}" stroke="${COLOURS.axis}"/>`,
    ...yLabels.map((label, i) => `<text class="ytick" x="${pad.left - 6}" y="${(y(yt.values[i]!) + 4).toFixed(1)}" text-anchor="end">${label}</text>`),
    ...xLabels.map((label, i) => `<text class="xtick" x="${x(xt.values[i]!).toFixed(1)}" y="${pad.top + h + 16}" text-anchor="middle">${label}</text>`),
    `<text x="${pad.left + w / 2}" y="${o.height - 8}" text-anchor="middle">${bySteps ? 'env steps' : 'episode'}</text>`,
    `<text x="14" y="${pad.top + h / 2}" text-anchor="middle" transform="rotate(-90 14 ${pad.top + h / 2})">return</text>`,
    band ? `<path class="band" d="${band}" fill="${COLOURS.band}" stroke="none"/>` : '',
    means ? `<path class="returns" d="${means}" fill="none" stroke="${COLOURS.returns}" stroke-width="1"/>` : '',
    avgLine ? `<path class="average" d="${avgLine}" fill="none" stroke="${COLOURS.average}" stroke-width="2.5"/>` : '',
    evalLine ? `<path class="eval" d="${evalLine}" fill="none" stroke="${COLOURS.eval}" stroke-width="2"/>` : '',
    ...(evals.length <= 200 ? evals.map((e) => `<circle class="eval-point" cx="${x(e.step).toFixed(1)}" cy="${y(e.value).toFixed(1)}" r="3" fill="${COLOURS.eval}"/>`) : []),
    `</svg>`,
  ].filter(Boolean).join('\n');
}

const TITLE_FONT = 13;
/** Width of a character of the 12 px legend font, generously: a legend must not run off the picture. */
const LEGEND_CHAR = 7;

/** The legend entries: class, colour, text. */
function legendOf(width: number, window: number, evals: boolean): Array<[string, string, string]> {
  const legend: Array<[string, string, string]> = [
    ['returns', COLOURS.returns, width > 1 ? `return, mean of each ${width} episodes (band: lowest to highest)` : 'return per episode'],
    ['average', COLOURS.average, `moving average of ${window} episodes`],
  ];
  if (evals) legend.push(['eval', COLOURS.eval, 'greedy evaluation (eval/return)']);
  return legend;
}

/** Places legend entries left to right from `left`, starting a new row where one would pass `right`. */
function layoutLegend(texts: readonly string[], left: number, right: number): { rows: number; places: Array<{ x: number; row: number }> } {
  const places: Array<{ x: number; row: number }> = [];
  let x = left;
  let row = 0;
  for (const text of texts) {
    const width = 22 + text.length * LEGEND_CHAR;
    if (x > left && x + width > right) {
      row++;
      x = left;
    }
    places.push({ x, row });
    x += width + 16;
  }
  return { rows: row + 1, places };
}

/** Splits `text` into lines of at most `max` characters, at spaces or after commas; a longer word gets its own line. */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of text.match(/\s+|[^\s,]*,|[^\s,]+/g) ?? []) {
    if (/^\s/.test(token)) {
      if (line) line += ' ';
      continue;
    }
    if (line.trim() && (line + token).length > max) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.length ? lines : [''];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
