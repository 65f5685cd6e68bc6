/**
 * Spaces of the contract: `{type:"Discrete", n}` and `{type:"Box", low, high, shape, dtype}` whose bounds are one
 * number for every element or a flat row-major list with one number per element (`Infinity` allowed).
 * Builders, sizes and membership checks.
 */
import type { BoxSpace, DType, DiscreteSpace, Space } from '@rlfs/protocol';
import { boundAt, dtypeOf, formatBound } from '@rlfs/protocol';

/** `{type:"Discrete", n}`: the integers `0 .. n-1`. */
export function discrete(n: number): DiscreteSpace {
  return { type: 'Discrete', n };
}

/**
 * `{type:"Box", low, high, shape, dtype}`: arrays of `product(shape)` elements, element i in `[low_i, high_i]`.
 * A bound is one number for every element or a list of `product(shape)` numbers (row-major).
 */
export function box(low: number | readonly number[], high: number | readonly number[], shape: readonly number[], dtype: DType): BoxSpace {
  const copy = (b: number | readonly number[]): number | number[] => (typeof b === 'number' ? b : [...b]);
  return { type: 'Box', low: copy(low), high: copy(high), shape: [...shape], dtype };
}

/**
 * Why a Box's bounds are malformed, or undefined when they are fine: each bound a number (not NaN; +-Infinity
 * allowed) or a list of exactly `product(shape)` of them, and `low_i <= high_i` for every element.
 */
export function whyBadBounds(space: BoxSpace): string | undefined {
  const size = flatSize(space);
  for (const [name, bound] of [['low', space.low], ['high', space.high]] as const) {
    if (typeof bound === 'number') {
      if (Number.isNaN(bound)) return `${name}: expected a number, got NaN`;
    } else if (!Array.isArray(bound) || bound.length !== size || !bound.every((b) => typeof b === 'number' && !Number.isNaN(b))) {
      return `${name}: expected a number or a list of ${size} numbers (one per element), got ${JSON.stringify(bound)}`;
    }
  }
  for (let i = 0; i < size; i++) {
    if (boundAt(space.low, i) > boundAt(space.high, i)) {
      return `expected low <= high for every element, got low ${formatBound(space.low)}, high ${formatBound(space.high)} (element ${i})`;
    }
  }
  return undefined;
}

/** Number of elements of one value of a Box (product of the shape); 1 for Discrete. */
export function flatSize(space: Space): number {
  if (space.type === 'Discrete') return 1;
  let n = 1;
  for (const d of space.shape) n *= d;
  return n;
}

const INTEGER_DTYPES: ReadonlySet<DType> = new Set(['int8', 'uint8', 'int16', 'int32']);

/**
 * True when `value` belongs to `space`. Discrete: an integer-valued number in `0 .. n-1`. Box: an array (plain
 * or typed; a typed array must have the space's dtype) of `product(shape)` numbers, each within `[low, high]`,
 * integral for integer dtypes. A nested plain array is accepted and flattened row-major.
 */
export function contains(space: Space, value: unknown): boolean {
  if (space.type === 'Discrete') {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < space.n;
  }
  return whyNotInBox(space, value) === undefined;
}

/** Why `value` is not in the Box, or undefined when it is (for checker messages). */
export function whyNotInBox(space: BoxSpace, value: unknown): string | undefined {
  let flat: ArrayLike<unknown>;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const typed = value as unknown as Parameters<typeof dtypeOf>[0];
    const dtype = dtypeOf(typed);
    if (dtype !== space.dtype) return `dtype ${dtype}, expected ${space.dtype}`;
    flat = typed;
  } else if (Array.isArray(value)) {
    flat = value.flat(space.shape.length);
  } else {
    return 'not an array';
  }
  const size = flatSize(space);
  if (flat.length !== size) return `${flat.length} elements, expected ${size} (shape [${space.shape.join(', ')}])`;
  const integral = INTEGER_DTYPES.has(space.dtype);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number' || Number.isNaN(v)) return `element ${i} is not a number`;
    const low = boundAt(space.low, i);
    const high = boundAt(space.high, i);
    if (v < low || v > high) return `element ${i} = ${v} is outside [${low}, ${high}]`;
    if (integral && !Number.isInteger(v)) return `element ${i} = ${v} is not an integer (dtype ${space.dtype})`;
  }
  return undefined;
}
