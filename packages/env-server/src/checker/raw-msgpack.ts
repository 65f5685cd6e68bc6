/**
 * A tiny MessagePack writer for frames the codec would never produce: floats with integral values (5.0),
 * maps with non-string keys, truncated or trailing bytes. Used by the wire checks and the integration tests.
 */

/** A number written as a MessagePack float64 even when its value is integral. */
export class F64 {
  constructor(readonly value: number) {}
}

/** A map written with exactly these entries, keys of any kind. */
export class RawMap {
  constructor(readonly entries: Array<[unknown, unknown]>) {}
}

/** Encodes `value`: nil, booleans, numbers (integers as ints, others as float64), strings, bytes, arrays, maps. */
export function encodeRaw(value: unknown): Uint8Array {
  const out: number[] = [];
  write(out, value);
  return Uint8Array.from(out);
}

function write(out: number[], value: unknown): void {
  if (value === null || value === undefined) return void out.push(0xc0);
  if (value === true) return void out.push(0xc3);
  if (value === false) return void out.push(0xc2);
  if (value instanceof F64) return writeFloat(out, value.value);
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= 2 ** 53 ? writeInt(out, value) : writeFloat(out, value);
  if (typeof value === 'string') return writeString(out, value);
  if (value instanceof Uint8Array) {
    header(out, value.length, [0xc4, 0xc5, 0xc6]);
    for (const b of value) out.push(b);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length < 16) out.push(0x90 | value.length);
    else header(out, value.length, [undefined, 0xdc, 0xdd]);
    for (const item of value) write(out, item);
    return;
  }
  const entries = value instanceof RawMap ? value.entries : Object.entries(value as object);
  if (entries.length < 16) out.push(0x80 | entries.length);
  else header(out, entries.length, [undefined, 0xde, 0xdf]);
  for (const [k, v] of entries) {
    write(out, k);
    write(out, v);
  }
}

function writeInt(out: number[], n: number): void {
  if (n >= 0 && n < 128) return void out.push(n);
  if (n < 0 && n >= -32) return void out.push(n & 0xff);
  if (n >= 0 && n < 2 ** 32) {
    out.push(0xce);
    return pushBytes(out, n, 4);
  }
  if (n >= 0) {
    out.push(0xcf);
    pushBytes(out, Math.floor(n / 2 ** 32), 4);
    return pushBytes(out, n % 2 ** 32, 4);
  }
  if (n >= -(2 ** 31)) {
    out.push(0xd2);
    return pushBytes(out, n >>> 0, 4);
  }
  writeFloat(out, n);
}

function writeFloat(out: number[], n: number): void {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, n);
  out.push(0xcb, ...bytes);
}

function writeString(out: number[], s: string): void {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length < 32) out.push(0xa0 | bytes.length);
  else header(out, bytes.length, [0xd9, 0xda, 0xdb]);
  for (const b of bytes) out.push(b);
}

/** Writes a length with the 8-, 16- or 32-bit form of the given codes (an undefined code means no such form). */
function header(out: number[], length: number, codes: [number | undefined, number, number]): void {
  if (length < 256 && codes[0] !== undefined) {
    out.push(codes[0], length);
  } else if (length < 65536) {
    out.push(codes[1]);
    pushBytes(out, length, 2);
  } else {
    out.push(codes[2]);
    pushBytes(out, length, 4);
  }
}

function pushBytes(out: number[], n: number, count: number): void {
  for (let i = count - 1; i >= 0; i--) out.push(Math.floor(n / 2 ** (8 * i)) & 0xff);
}
