/** Small helpers for timings: a monotonic clock in microseconds, percentiles, prepared random actions. */
import { performance } from 'node:perf_hooks';

/** Microseconds on a monotonic clock. */
export function nowUs(): number {
  return performance.now() * 1000;
}

/** The p-th percentile (0..100) of the first `count` samples, nearest-rank, sorting a copy. */
export function percentile(samples: Float64Array, count: number, p: number): number {
  if (count === 0) return NaN;
  const sorted = samples.slice(0, count).sort();
  const rank = Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1));
  return sorted[rank]!;
}

/** `count` uniformly random actions in 0..numActions-1 from a fixed seed (xorshift32), prepared before timing. */
export function randomActions(count: number, numActions: number, seed = 12345): Int32Array {
  const out = new Int32Array(count);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x % numActions;
  }
  return out;
}

/** `batches` views of `n` actions each, over one prepared array. */
export function actionBatches(n: number, batches: number, numActions: number, seed?: number): Int32Array[] {
  const all = randomActions(n * batches, numActions, seed);
  const out: Int32Array[] = [];
  for (let b = 0; b < batches; b++) out.push(all.subarray(b * n, (b + 1) * n));
  return out;
}
