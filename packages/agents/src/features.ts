/**
 * What the network sees of an observation. GridWorld's observations are small integers (a cell is -1, 0, 1 or 2;
 * a coordinate is 0..size-1), and an MLP fed such numbers directly must learn that "2" is not "twice 1". Expanding
 * each element into one indicator per possible value ("onehot") learns faster: in our runs on 5x5, 98% greedy
 * success after 6,000 steps, where the raw values (same settings) had 85% and needed about 10,000 steps for 95%.
 */
import type { Space } from '@rlfs/protocol';
import { observationSize } from './env-like';
import { egocentric } from './egocentric';
import type { GridView } from './egocentric';

export const InputEncoding = { auto: 'auto', onehot: 'onehot', raw: 'raw', egocentric: 'egocentric' } as const;
export type InputEncoding = (typeof InputEncoding)[keyof typeof InputEncoding];

/** Integer ranges wider than this are fed raw: one indicator per value would make the input too wide. */
export const MAX_ONEHOT_VALUES = 16;

/**
 * Bounds larger than this are taken as "unbounded" and leave the element unscaled: Gymnasium marks CartPole's
 * velocities unbounded with float32's largest value (3.4e38), and dividing by it would feed the network zeros.
 */
export const MAX_SCALED_BOUND = 1e6;

export interface Featurizer {
  /** Features per observation. */
  readonly size: number;
  /** Writes the features of the observation at `obs[offset ..]` into `out[outOffset ..]`. */
  write(obs: ArrayLike<number>, offset: number, out: Float32Array, outOffset: number): void;
}

/**
 * The featurizer for `space`. "auto" is "egocentric" when the spec is a GridWorld whose grid can be read back from
 * its observations (`view`, see egocentric.ts), else "onehot". "onehot": one indicator per value for an integer
 * Box of at most {@link MAX_ONEHOT_VALUES} values (0/1 boxes are already indicators and pass through); otherwise,
 * and for "raw", each element is divided by the larger magnitude of its bounds where both are at most
 * {@link MAX_SCALED_BOUND} (CartPole's position and angle), and fed as it is where a bound is infinite or huge (its
 * velocities, which stay within a few units).
 */
export function makeFeaturizer(space: Space, encoding: InputEncoding, view: GridView | 'walls' | 'wrap' = 'walls'): Featurizer {
  const n = observationSize(space);
  if (encoding === 'egocentric' || (encoding === 'auto' && typeof view === 'object')) return egocentric(space, view);
  if (space.type === 'Discrete') {
    return encoding === 'raw' || space.n <= 2 || space.n > MAX_ONEHOT_VALUES ? scaled([space.n > 1 ? 1 / (space.n - 1) : 1]) : oneHot(1, 0, space.n);
  }
  const lows = elementwise(space.low, n);
  const highs = elementwise(space.high, n);
  const integer = !space.dtype.startsWith('float');
  const low = Math.min(...lows);
  const values = Math.max(...highs) - low + 1;
  if (encoding !== 'raw' && integer && values > 2 && values <= MAX_ONEHOT_VALUES) return oneHot(n, low, values);
  return scaled(lows.map((lo, j) => {
    const bound = Math.max(Math.abs(lo), Math.abs(highs[j]!));
    return bound > 0 && bound <= MAX_SCALED_BOUND ? 1 / bound : 1;
  }));
}

/** A Box bound (one number for all elements, or one per element) as one number per element. */
function elementwise(bound: number | readonly number[], n: number): number[] {
  return typeof bound === 'number' ? new Array<number>(n).fill(bound) : [...bound];
}

function oneHot(n: number, low: number, values: number): Featurizer {
  return {
    size: n * values,
    write(obs, offset, out, outOffset) {
      out.fill(0, outOffset, outOffset + n * values);
      for (let j = 0; j < n; j++) {
        const v = Math.round(obs[offset + j]!) - low;
        if (v >= 0 && v < values) out[outOffset + j * values + v] = 1;
      }
    },
  };
}

function scaled(scales: readonly number[]): Featurizer {
  const n = scales.length;
  const scale = Float64Array.from(scales);
  return {
    size: n,
    write(obs, offset, out, outOffset) {
      for (let j = 0; j < n; j++) out[outOffset + j] = obs[offset + j]! * scale[j]!;
    },
  };
}
