/**
 * Series math for the charts: moving averages, decimation to a bounded number of drawn points, and a metric
 * history that stays bounded however long the run (pairs of old points merge as it grows).
 */

/**
 * Trailing moving average: `out[i]` is the mean of `values[max(0, i - window + 1) .. i]`, so the first points
 * average what exists so far. O(n) with a running sum.
 */
export function movingAverage(values: readonly number[], window: number): number[] {
  if (!Number.isInteger(window) || window < 1) throw new TypeError(`window: expected a positive integer, got ${window}`);
  const out = new Array<number>(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= window) sum -= values[i - window]!;
    out[i] = sum / Math.min(i + 1, window);
  }
  return out;
}

/**
 * Keeps at most about `maxPoints` of the points (xs ascending): the series is cut into equal buckets and each
 * bucket keeps its first point plus its lowest and highest, in x order, so spikes survive. Returns indices.
 * Below the limit every index is kept.
 */
export function decimateIndices(ys: readonly number[], maxPoints: number): number[] {
  const n = ys.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 3));
  const size = n / buckets;
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (ys[i]! < ys[lo]!) lo = i;
      if (ys[i]! > ys[hi]!) hi = i;
    }
    const picks = [...new Set([start, lo, hi])].sort((a, b2) => a - b2);
    out.push(...picks);
  }
  if (out[out.length - 1] !== n - 1) out.push(n - 1); // the newest point is always drawn
  return out;
}

/** A metric's history: (x, y) pairs, at most `capacity` kept; when full, neighbours merge pairwise (means). */
export class BoundedSeries {
  readonly xs: number[] = [];
  readonly ys: number[] = [];
  /** How many raw points one kept point stands for now (1, 2, 4, ...). */
  stride = 1;
  private pendingX = 0;
  private pendingY = 0;
  private pendingCount = 0;
  /** Raw points seen. */
  total = 0;
  /** The last raw value. */
  last = NaN;

  constructor(readonly capacity = 2000) {
    if (!Number.isInteger(capacity) || capacity < 4) throw new TypeError(`capacity: expected an integer >= 4, got ${capacity}`);
  }

  get length(): number {
    return this.xs.length;
  }

  push(x: number, y: number): void {
    if (!Number.isFinite(y)) return;
    this.total++;
    this.last = y;
    this.pendingX += x;
    this.pendingY += y;
    this.pendingCount++;
    if (this.pendingCount < this.stride) return;
    this.xs.push(this.pendingX / this.pendingCount);
    this.ys.push(this.pendingY / this.pendingCount);
    this.pendingX = this.pendingY = this.pendingCount = 0;
    if (this.xs.length >= this.capacity) this.halve();
  }

  private halve(): void {
    const n = Math.floor(this.xs.length / 2);
    for (let i = 0; i < n; i++) {
      this.xs[i] = (this.xs[2 * i]! + this.xs[2 * i + 1]!) / 2;
      this.ys[i] = (this.ys[2 * i]! + this.ys[2 * i + 1]!) / 2;
    }
    const odd = this.xs.length % 2 === 1;
    if (odd) {
      this.xs[n] = this.xs[this.xs.length - 1]!;
      this.ys[n] = this.ys[this.ys.length - 1]!;
    }
    this.xs.length = this.ys.length = n + (odd ? 1 : 0);
    this.stride *= 2;
  }
}
