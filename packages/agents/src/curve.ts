/**
 * The learning-curve picture: return per episode (faint) and its moving average (bold), as a standalone SVG.
 * A pure function of the numbers, so tests read its output and the tutorial embeds it as it is.
 */
export interface CurveOptions {
  title: string;
  /** Episodes in the moving average. */
  window: number;
  width: number;
  height: number;
}

/** Most points drawn per line. */
export const MAX_POINTS = 1500;

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

/** An SVG of `returns` (one per episode, in order) with axes, ticks and the moving average. */
export function curveSvg(returns: readonly number[], options: Partial<CurveOptions> = {}): string {
  const o = { ...CURVE_DEFAULTS, ...options };
  const pad = { left: 60, right: 20, top: 36, bottom: 44 };
  const w = o.width - pad.left - pad.right;
  const h = o.height - pad.top - pad.bottom;
  const n = Math.max(returns.length, 2);
  const lo = Math.min(0, ...returns);
  const hi = Math.max(1, ...returns);
  const x = (i: number): number => pad.left + (i / (n - 1)) * w;
  const y = (v: number): number => pad.top + (1 - (v - lo) / (hi - lo)) * h;
  // Past MAX_POINTS episodes only every k-th is drawn: the picture is a few hundred pixels wide anyway.
  const stride = Math.max(1, Math.ceil(returns.length / MAX_POINTS));
  const path = (values: readonly number[]): string => {
    const parts: string[] = [];
    for (let i = 0; i < values.length; i += stride) parts.push(`${x(i).toFixed(1)},${y(values[i]!).toFixed(1)}`);
    if ((values.length - 1) % stride !== 0) parts.push(`${x(values.length - 1).toFixed(1)},${y(values[values.length - 1]!).toFixed(1)}`);
    return `M${parts.join('L')}`;
  };
  const avg = movingAverage(returns, o.window);
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
    returns.length ? `<path d="${path(returns)}" fill="none" stroke="#9ecae1" stroke-width="1"/>` : '',
    returns.length ? `<path d="${path(avg)}" fill="none" stroke="#08519c" stroke-width="2.5"/>` : '',
    `<text x="${pad.left + w - 4}" y="${pad.top + 14}" text-anchor="end" fill="#08519c">moving average of ${o.window}</text>`,
    `</svg>`,
  ].join('\n');
}

function round(v: number): string {
  return Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(1);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
