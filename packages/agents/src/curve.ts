/**
 * The learning-curve picture: return per episode (faint) and its moving average (bold), as a standalone SVG.
 * A pure function of the numbers, so tests read its output and the tutorial embeds it as it is.
 */
import { CURVE_BUCKETS, CurveSummary } from './curve-summary';
import type { CurveBucket } from './curve-summary';
export interface CurveOptions {
  title: string;
  /** Episodes in the moving average. */
  window: number;
  width: number;
  height: number;
}

/** Most points drawn per line: one per bucket of the run's {@link CurveSummary}. */
export const MAX_POINTS = CURVE_BUCKETS;

export const CURVE_DEFAULTS: CurveOptions = { title: 'return per episode', window: 50, width: 720, height: 360 };

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
 * An SVG of the returns of a run, one per episode in order, given as a list or as a {@link CurveSummary} (what a
 * run folder keeps, bounded however long the run). Each point is a bucket of episodes: its mean (faint line), its
 * lowest and highest return (a band, once a bucket holds more than one episode) and a moving average (bold).
 */
export function curveSvg(returns: readonly number[] | CurveSummary, options: Partial<CurveOptions> = {}): string {
  const o = { ...CURVE_DEFAULTS, ...options };
  const summary = returns instanceof CurveSummary ? returns : CurveSummary.of(returns, CURVE_BUCKETS);
  const pad = { left: 60, right: 20, top: 36, bottom: 44 };
  const w = o.width - pad.left - pad.right;
  const h = o.height - pad.top - pad.bottom;
  const n = Math.max(summary.total, 2);
  // No spread over the returns: Math.min(...list) overflows the stack on a long run.
  const lo = Math.min(0, summary.min);
  const hi = Math.max(1, summary.max);
  const x = (i: number): number => pad.left + (i / (n - 1)) * w;
  const y = (v: number): number => pad.top + (1 - (v - lo) / (hi - lo)) * h;
  const buckets: CurveBucket[] = [];
  for (let i = 0; i < summary.length; i++) buckets.push(summary.bucket(i));
  // A bucket is drawn at its middle episode.
  const xOf = (b: CurveBucket): number => x(b.first + (b.count - 1) / 2);
  const line = (values: ArrayLike<number>): string => {
    const parts: string[] = [];
    for (let i = 0; i < buckets.length; i++) {
      if (Number.isFinite(values[i]!)) parts.push(`${xOf(buckets[i]!).toFixed(1)},${y(values[i]!).toFixed(1)}`);
    }
    return parts.length ? `M${parts.join('L')}` : '';
  };
  const drawn = buckets.filter((b) => b.finite > 0);
  const band = summary.width > 1 && drawn.length
    ? `M${drawn.map((b) => `${xOf(b).toFixed(1)},${y(b.max).toFixed(1)}`).join('L')}L${drawn.reverse().map((b) => `${xOf(b).toFixed(1)},${y(b.min).toFixed(1)}`).join('L')}Z`
    : '';
  const means = line(buckets.map((b) => b.mean));
  const avg = summary.movingAverage(o.window);
  const avgLine = line(avg.values);
  const yTicks = [lo, lo + (hi - lo) / 2, hi];
  const xTicks = [0, Math.floor((n - 1) / 2), n - 1];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${o.height}" viewBox="0 0 ${o.width} ${o.height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${o.width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(o.title)}</text>`,
    `<line x1="${pad.left}" y1="${pad.top + h}" x2="${pad.left + w}" y2="${pad.top + h}" stroke="#333"/>`,
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + h}" stroke="#333"/>`,
    ...yTicks.map((v) => `<text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${round(v)}</text>`),
    ...xTicks.map((i) => `<text x="${x(i)}" y="${pad.top + h + 16}" text-anchor="middle">${i + 1}</text>`),
    `<text x="${pad.left + w / 2}" y="${o.height - 8}" text-anchor="middle">episode</text>`,
    `<text x="14" y="${pad.top + h / 2}" text-anchor="middle" transform="rotate(-90 14 ${pad.top + h / 2})">return</text>`,
    band ? `<path class="band" d="${band}" fill="#deebf7" stroke="none"/>` : '',
    means ? `<path class="returns" d="${means}" fill="none" stroke="#9ecae1" stroke-width="1"/>` : '',
    avgLine ? `<path class="average" d="${avgLine}" fill="none" stroke="#08519c" stroke-width="2.5"/>` : '',
    // Legends at the bottom right, which a learning curve leaves empty (its low returns are early, on the left).
    `<text x="${pad.left + w - 4}" y="${pad.top + h - (summary.width > 1 ? 22 : 8)}" text-anchor="end" fill="#08519c">moving average of ${avg.buckets * summary.width}</text>`,
    summary.width > 1
      ? `<text x="${pad.left + w - 4}" y="${pad.top + h - 8}" text-anchor="end" fill="#6baed6">faint: mean, band: lowest to highest of each ${summary.width} episodes</text>`
      : '',
    `</svg>`,
  ].filter(Boolean).join('\n');
}

function round(v: number): string {
  return Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(1);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
