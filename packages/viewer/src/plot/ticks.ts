/**
 * Axis ticks at "nice" numbers (1, 2, 2.5, 5 times a power of ten) and their labels.
 */

export interface Ticks {
  /** The axis range, widened outward to whole ticks. */
  min: number;
  max: number;
  step: number;
  values: number[];
}

const NICE = [1, 2, 2.5, 5, 10];

/** The nice step closest above `rough`: 0.1, 0.2, 0.25, 0.5, 1, 2, ... */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(rough)));
  const fraction = rough / power;
  const nice = NICE.find((n) => fraction <= n + 1e-9) ?? 10;
  return nice * power;
}

/**
 * Ticks covering [min, max] with at most about `maxTicks` of them. An empty or single-valued range is widened
 * around its value, so an axis always has a span.
 */
export function niceTicks(min: number, max: number, maxTicks = 5): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return niceTicks(0, 1, maxTicks);
  if (min > max) [min, max] = [max, min];
  if (max - min < 1e-12) {
    const pad = Math.abs(min) > 1e-12 ? Math.abs(min) * 0.1 : 1;
    min -= pad;
    max += pad;
  }
  const step = niceStep((max - min) / Math.max(1, maxTicks - 1));
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const values: number[] = [];
  for (let i = 0, v = lo; v <= hi + step * 1e-9; i++, v = lo + i * step) values.push(cleanFloat(v, step));
  return { min: cleanFloat(lo, step), max: cleanFloat(hi, step), step, values };
}

/** A tick's label with just enough decimals for its step: 0.25 -> "0.25", 1500 -> "1.5k", 2e-4 -> "2e-4". */
export function formatTick(value: number, step: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e4 && step >= 100) {
    const [div, unit] = abs >= 1e6 ? [1e6, 'M'] : [1e3, 'k'];
    return `${trimZeros((value / div).toFixed(decimalsFor(step / div)))}${unit}`;
  }
  if (abs < 1e-3) return value.toExponential(0).replace('+', '');
  return trimZeros(value.toFixed(decimalsFor(step)));
}

/** Decimals needed to print multiples of `step` exactly (0.25 -> 2, 5 -> 0). */
export function decimalsFor(step: number): number {
  if (!(step > 0) || Number.isInteger(step)) return 0;
  for (let d = 1; d <= 10; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) return d;
  return 10;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function cleanFloat(v: number, step: number): number {
  const d = decimalsFor(step);
  return Number(v.toFixed(Math.min(d + 2, 12)));
}
