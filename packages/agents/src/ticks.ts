/**
 * Axis ticks at round numbers (1, 2, 2.5 or 5 times a power of ten) for curve.svg. The viewer draws its charts
 * with the same rule (packages/viewer/src/plot/ticks.ts); the agents package cannot import the browser package.
 */

export interface Ticks {
  /** The range widened outward to whole ticks. */
  min: number;
  max: number;
  step: number;
  values: number[];
}

const NICE = [1, 2, 2.5, 5, 10];

/** The round step just above `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  return (NICE.find((n) => rough / power <= n + 1e-9) ?? 10) * power;
}

/** About `count` round ticks covering [min, max]; an empty range is widened around its value. */
export function niceTicks(min: number, max: number, count = 5): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return niceTicks(0, 1, count);
  if (min > max) [min, max] = [max, min];
  if (max - min < 1e-12) {
    const pad = Math.abs(min) > 1e-12 ? Math.abs(min) * 0.1 : 1;
    min -= pad;
    max += pad;
  }
  const step = niceStep((max - min) / Math.max(1, count - 1));
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const values: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) values.push(clean(lo + i * step));
  return { min: clean(lo), max: clean(hi), step, values };
}

/**
 * The labels of an axis's ticks, in one unit for the whole axis so that they read alike: 0, 5k, 10k, 15k (not
 * 5000 beside 10k); k from 10,000, M from 1,000,000 (0, 0.2M, ..., 1M); 0.25 -> "0.25", -120 -> "-120".
 */
export function formatTicks(values: readonly number[]): string[] {
  const top = Math.max(0, ...values.map(Math.abs));
  const [div, unit] = top >= 1e6 ? [1e6, 'M'] : top >= 1e4 ? [1e3, 'k'] : [1, ''];
  return values.map((v) => (v === 0 ? '0' : `${clean(v / div)}${unit}`));
}

function clean(v: number): number {
  return Number(v.toPrecision(12));
}
