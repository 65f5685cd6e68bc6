/**
 * Packed arrays of the packed encoding: `{dtype, shape, data}` with `data` the little-endian, row-major bytes.
 */
import type { DType, PackedArray } from './messages';
import { DTYPES } from './messages';

export type TypedArray = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export const ITEM_SIZE: Readonly<Record<DType, number>> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
};

const CONSTRUCTORS = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

/** The dtype name of a typed array. */
export function dtypeOf(array: TypedArray): DType {
  if (array instanceof Int8Array) return 'int8';
  if (array instanceof Int16Array) return 'int16';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  return 'uint8';
}

/** Wraps a typed array as a packed array without copying (the bytes are a view of the same memory). */
export function pack(array: TypedArray, shape: number[] = [array.length]): PackedArray {
  if (!LITTLE_ENDIAN) throw new Error('packed arrays need a little-endian host');
  return { dtype: dtypeOf(array), shape, data: new Uint8Array(array.buffer, array.byteOffset, array.byteLength) };
}

/** True when `value` has the form of a packed array (a map with dtype, shape and data keys). */
export function looksPacked(value: unknown): value is { dtype: unknown; shape: unknown; data: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
    && 'dtype' in value && 'data' in value && 'shape' in value;
}

/**
 * Checks a packed array and returns its values as a typed array (copied when the bytes are not aligned).
 * Throws an Error naming what is wrong: dtype, shape or the byte count.
 */
export function unpack(value: unknown): TypedArray {
  if (!looksPacked(value)) throw new Error('a packed array is a map {dtype, shape, data}');
  const { dtype, shape, data } = value;
  if (!isDType(dtype)) throw new Error(`packed dtype must be one of ${DTYPES.join(' ')}, got ${String(dtype)}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error('packed shape must be an array of non-negative integers');
  }
  if (!(data instanceof Uint8Array)) throw new Error('packed data must be MessagePack bin');
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  const size = ITEM_SIZE[dtype];
  if (data.byteLength !== count * size) {
    throw new Error(`packed data has ${data.byteLength} bytes, shape [${shape.join(', ')}] of ${dtype} needs ${count * size}`);
  }
  const Ctor = CONSTRUCTORS[dtype];
  if (data.byteOffset % size === 0) return new Ctor(data.buffer as ArrayBuffer, data.byteOffset, count);
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return new Ctor(copy.buffer, 0, count);
}
