/**
 * A fixed-size summary of the returns of a whole run, for the learning curve: consecutive episodes fall into
 * buckets of `width` episodes, each keeping count, sum, lowest and highest. When every bucket is full, neighbours
 * merge pairwise and the width doubles, so memory stays at `capacity` buckets whatever the length of the run while
 * the curve still spans all of it (the first episode to the last). Below `capacity` episodes a bucket is one episode
 * and the curve is exact.
 */

/** Default buckets of a curve: more than the few hundred pixels a curve is wide. */
export const CURVE_BUCKETS = 1024;

/** One bucket: episodes `first` .. `first + count - 1` (0-based), their mean, lowest and highest return. */
export interface CurveBucket {
  first: number;
  count: number;
  /** Finite returns in the bucket (non-finite ones count as episodes but are left out of the figures). */
  finite: number;
  sum: number;
  mean: number;
  min: number;
  max: number;
  /** Mean env step at the end of the bucket's episodes; NaN when the summary was given no steps. */
  meanStep: number;
}

export class CurveSummary {
  private readonly counts: Float64Array;
  private readonly finites: Float64Array;
  private readonly sums: Float64Array;
  private readonly mins: Float64Array;
  private readonly maxs: Float64Array;
  private readonly stepSums: Float64Array;
  private used = 0;
  /** True while every episode added came with its env step: the curve's x-axis can then be env steps. */
  hasSteps = true;
  /** The env step of the latest episode (0 before the first, or when steps are not known). */
  lastStep = 0;
  /** Episodes per bucket (every bucket but the last is full): 1, 2, 4, ... */
  width = 1;
  /** Episodes added. */
  total = 0;
  /** Lowest and highest finite return added (Infinity / -Infinity before the first). */
  min = Infinity;
  max = -Infinity;

  /** @param capacity most buckets kept: an even number >= 4 */
  constructor(readonly capacity = CURVE_BUCKETS) {
    if (!Number.isInteger(capacity) || capacity < 4 || capacity % 2 !== 0) throw new RangeError(`curve capacity must be an even integer >= 4, got ${capacity}`);
    this.counts = new Float64Array(capacity);
    this.finites = new Float64Array(capacity);
    this.sums = new Float64Array(capacity);
    this.mins = new Float64Array(capacity);
    this.maxs = new Float64Array(capacity);
    this.stepSums = new Float64Array(capacity);
  }

  static of(values: Iterable<number>, capacity = CURVE_BUCKETS): CurveSummary {
    const s = new CurveSummary(capacity);
    for (const v of values) s.add(v);
    return s;
  }

  /** Buckets in use (at most `capacity`). */
  get length(): number {
    return this.used;
  }

  /** Adds one episode's return and, where known, the env step at its end. */
  add(value: number, step?: number): void {
    if (this.used === 0 || this.counts[this.used - 1]! >= this.width) {
      if (this.used === this.capacity) this.mergePairs();
      const b = this.used++;
      this.counts[b] = 0;
      this.finites[b] = 0;
      this.sums[b] = 0;
      this.mins[b] = Infinity;
      this.maxs[b] = -Infinity;
      this.stepSums[b] = 0;
    }
    const b = this.used - 1;
    this.counts[b]!++;
    this.total++;
    if (step === undefined || !Number.isFinite(step)) this.hasSteps = false;
    else {
      this.stepSums[b]! += step;
      this.lastStep = step;
    }
    if (!Number.isFinite(value)) return;
    this.finites[b]!++;
    this.sums[b]! += value;
    if (value < this.mins[b]!) this.mins[b] = value;
    if (value > this.maxs[b]!) this.maxs[b] = value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  bucket(i: number): CurveBucket {
    if (!(i >= 0 && i < this.used)) throw new RangeError(`bucket ${i} of ${this.used}`);
    const finite = this.finites[i]!;
    const sum = this.sums[i]!;
    const count = this.counts[i]!;
    const meanStep = this.hasSteps ? this.stepSums[i]! / count : NaN;
    return { first: i * this.width, count, finite, sum, mean: finite ? sum / finite : NaN, min: this.mins[i]!, max: this.maxs[i]!, meanStep };
  }

  /**
   * Trailing moving average over about `window` episodes: entry i is the mean of the finite returns of buckets
   * i - k + 1 .. i with k = max(1, round(window / width)) (exact when a bucket is one episode).
   */
  movingAverage(window: number): { buckets: number; values: Float64Array } {
    const k = Math.max(1, Math.round(window / this.width));
    const out = new Float64Array(this.used);
    let sum = 0;
    let n = 0;
    for (let i = 0; i < this.used; i++) {
      sum += this.sums[i]!;
      n += this.finites[i]!;
      if (i >= k) {
        sum -= this.sums[i - k]!;
        n -= this.finites[i - k]!;
      }
      out[i] = n ? sum / n : NaN;
    }
    return { buckets: k, values: out };
  }

  private mergePairs(): void {
    const half = this.capacity / 2;
    for (let i = 0; i < half; i++) {
      const a = 2 * i;
      const b = a + 1;
      this.counts[i] = this.counts[a]! + this.counts[b]!;
      this.finites[i] = this.finites[a]! + this.finites[b]!;
      this.sums[i] = this.sums[a]! + this.sums[b]!;
      this.mins[i] = Math.min(this.mins[a]!, this.mins[b]!);
      this.maxs[i] = Math.max(this.maxs[a]!, this.maxs[b]!);
      this.stepSums[i] = this.stepSums[a]! + this.stepSums[b]!;
    }
    this.used = half;
    this.width *= 2;
  }
}
