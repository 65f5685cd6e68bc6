/**
 * Spaces of the contract: `{type:"Discrete", n}` and `{type:"Box", low, high, shape, dtype}` with single-number
 * bounds. Builders, sizes and membership checks.
 */
import type { BoxSpace, DType, DiscreteSpace, Space } from '@rlfs/protocol';
import { dtypeOf } from '@rlfs/protocol';

/** `{type:"Discrete", n}`: the integers `0 .. n-1`. */
export function discrete(n: number): DiscreteSpace {
  return { type: 'Discrete', n };
}

/** `{type:"Box", low, high, shape, dtype}`: arrays of `product(shape)` elements, each in `[low, high]`. */
export function box(low: number, high: number, shape: number[], dtype: DType): BoxSpace {
  return { type: 'Box', low, high, shape: [...shape], dtype };
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
    if (v < space.low || v > space.high) return `element ${i} = ${v} is outside [${space.low}, ${space.high}]`;
    if (integral && !Number.isInteger(v)) return `element ${i} = ${v} is not an integer (dtype ${space.dtype})`;
  }
  return undefined;
}
