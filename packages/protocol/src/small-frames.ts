/**
 * Fast paths of the codec for the small frames of the hot loop (a scalar `step` request, its `step_result`).
 * Each either produces exactly what the general path would (the same bytes as msgpackr's encoder, the same object
 * as the strict decoder) or gives up and returns `undefined`, and the caller takes the general path. Giving up is
 * always safe, so anything unusual (long or non-ASCII strings, typed arrays, nested maps in a request, 16 keys or
 * more, any malformed byte) is left to msgpackr and to the strict checks with their error messages.
 */

const CHUNK_BYTES = 64 * 1024;
/** Largest frame the fast encoder writes; larger ones go to msgpackr. */
const MAX_FRAME = 4096;
const MAX_DEPTH = 8;
const hasNodeBuffer = typeof Buffer !== 'undefined';

/**
 * Frames are written one after another into a chunk and never overwritten (a socket may still hold an earlier
 * frame), as msgpackr does with its own buffer; a full chunk is left to the garbage collector and a new one started.
 */
let chunk: Uint8Array = newChunk();
let view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
let start = 0;
let pos = 0;
let limit = 0;

/**
 * Encodes a message of plain objects, arrays, numbers, booleans, null and short ASCII strings byte for byte as the
 * codec's msgpackr encoder does (undefined object values left out, undefined elsewhere nil); `undefined` when the
 * message holds anything else.
 */
export function encodeSmall(message: object): Uint8Array | undefined {
  if (chunk.length - pos < MAX_FRAME) {
    chunk = newChunk();
    view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    pos = 0;
  }
  start = pos;
  limit = pos + MAX_FRAME - 64;
  if (!writeValue(message, 0)) {
    pos = start;
    return undefined;
  }
  return chunk.subarray(start, pos);
}

function writeValue(value: unknown, depth: number): boolean {
  if (pos > limit) return false;
  switch (typeof value) {
    case 'number':
      writeNumber(value);
      return true;
    case 'boolean':
      chunk[pos++] = value ? 0xc3 : 0xc2;
      return true;
    case 'undefined':
      chunk[pos++] = 0xc0;
      return true;
    case 'string':
      return writeString(value);
    case 'object':
      if (value === null) {
        chunk[pos++] = 0xc0;
        return true;
      }
      if (depth >= MAX_DEPTH) return false;
      if (value.constructor === Object) return writeObject(value as Record<string, unknown>, depth);
      if (value.constructor === Array) return writeArray(value as unknown[], depth);
      return false;
    default:
      return false;
  }
}

/** msgpackr's choice: the smallest uint or int of 32 bits or less for integers, else float64. */
function writeNumber(value: number): void {
  if (value >>> 0 === value) {
    if (value < 0x80) {
      chunk[pos++] = value;
    } else if (value < 0x100) {
      chunk[pos++] = 0xcc;
      chunk[pos++] = value;
    } else if (value < 0x10000) {
      chunk[pos++] = 0xcd;
      chunk[pos++] = value >> 8;
      chunk[pos++] = value & 0xff;
    } else {
      chunk[pos++] = 0xce;
      view.setUint32(pos, value);
      pos += 4;
    }
  } else if (value >> 0 === value) {
    if (value >= -0x20) {
      chunk[pos++] = 0x100 + value;
    } else if (value >= -0x80) {
      chunk[pos++] = 0xd0;
      chunk[pos++] = value + 0x100;
    } else if (value >= -0x8000) {
      chunk[pos++] = 0xd1;
      view.setInt16(pos, value);
      pos += 2;
    } else {
      chunk[pos++] = 0xd2;
      view.setInt32(pos, value);
      pos += 4;
    }
  } else {
    chunk[pos++] = 0xcb;
    view.setFloat64(pos, value);
    pos += 8;
  }
}

/** ASCII strings of fewer than 32 characters only (a fixstr, whose length is known before writing). */
function writeString(value: string): boolean {
  const length = value.length;
  if (length >= 0x20) return false;
  chunk[pos++] = 0xa0 | length;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) return false;
    chunk[pos++] = c;
  }
  return true;
}

function writeObject(object: Record<string, unknown>, depth: number): boolean {
  const header = pos++;
  let size = 0;
  // for-in with an own-property check and undefined values skipped: the keys and order msgpackr writes
  for (const key in object) {
    if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
    const item = object[key];
    if (item === undefined) continue;
    if (++size >= 0x10 || !writeString(key) || !writeValue(item, depth + 1)) return false;
  }
  chunk[header] = 0x80 | size;
  return true;
}

function writeArray(array: unknown[], depth: number): boolean {
  const length = array.length;
  if (length < 0x10) {
    chunk[pos++] = 0x90 | length;
  } else if (length < 0x10000) {
    chunk[pos++] = 0xdc;
    chunk[pos++] = length >> 8;
    chunk[pos++] = length & 0xff;
  } else {
    return false;
  }
  for (let i = 0; i < length; i++) {
    if (!writeValue(array[i], depth + 1)) return false;
  }
  return true;
}

function newChunk(): Uint8Array {
  return hasNodeBuffer ? Buffer.allocUnsafeSlow(CHUNK_BYTES) : new Uint8Array(CHUNK_BYTES);
}

/**
 * Decodes a small request as the strict `decode` would: a fixmap of ASCII fixstr keys (never `__proto__`) whose
 * values are nil, booleans, numbers, ASCII fixstrs, bins, lists, or a fixmap of the same kind (a packed action
 * `{dtype, shape, data}`), nested at most two levels below the frame's map, with a string `type` and no byte after
 * the map. `undefined` for anything else, including every malformed frame, so that `decode` says what is wrong with it.
 */
export function decodeSmall(bytes: Uint8Array, maxDepth: number): Record<string, unknown> | undefined {
  const end = bytes.length;
  if (end === 0 || maxDepth < 2) return undefined;
  at = 1;
  const out = readMap(bytes, end, bytes[0]!, 0, maxDepth);
  if (out === FAIL || at !== end || typeof out.type !== 'string') return undefined;
  return out;
}

const FAIL = Symbol('fail');
let at = 0;
/** Deepest container (list or map) the fast path reads, counting the frame's map as depth 0. */
const MAX_FAST_DEPTH = 2;

/** A fixmap (header byte `head`, already read) at nesting `depth`, its keys ASCII fixstrs other than `__proto__`. */
function readMap(bytes: Uint8Array, end: number, head: number, depth: number, maxDepth: number): Record<string, unknown> | typeof FAIL {
  if ((head & 0xf0) !== 0x80) return FAIL;
  const size = head & 0x0f;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) {
    if (at >= end) return FAIL;
    const k = bytes[at]!;
    if ((k & 0xe0) !== 0xa0) return FAIL;
    const key = readAscii(bytes, at + 1, k & 0x1f, end);
    if (key === undefined || key === '__proto__') return FAIL;
    at += 1 + (k & 0x1f);
    const value = readValue(bytes, end, depth + 1, maxDepth);
    if (value === FAIL) return FAIL;
    out[key] = value;
  }
  return out;
}

/**
 * One value at nesting `depth`. Containers only where the strict path allows them (`depth < maxDepth`) and at most
 * MAX_FAST_DEPTH deep; maps only directly in the frame's map.
 */
function readValue(bytes: Uint8Array, end: number, depth: number, maxDepth: number): unknown {
  if (at >= end) return FAIL;
  const b = bytes[at++]!;
  if (b < 0x80) return b;
  if (b >= 0xe0) return b - 0x100;
  if ((b & 0xe0) === 0xa0) {
    const s = readAscii(bytes, at, b & 0x1f, end);
    at += b & 0x1f;
    return s ?? FAIL;
  }
  if ((b & 0xf0) === 0x80) {
    if (depth !== 1 || depth >= maxDepth) return FAIL;
    return readMap(bytes, end, b, depth, maxDepth);
  }
  if ((b & 0xf0) === 0x90 || b === 0xdc) {
    if (depth > MAX_FAST_DEPTH || depth >= maxDepth) return FAIL;
    let length = b & 0x0f;
    if (b === 0xdc) {
      if (at + 2 > end) return FAIL;
      length = (bytes[at]! << 8) | bytes[at + 1]!;
      at += 2;
    }
    const list: unknown[] = new Array(length);
    for (let i = 0; i < length; i++) {
      const item = readValue(bytes, end, depth + 1, maxDepth);
      if (item === FAIL || (item !== null && typeof item === 'object' && !(item instanceof Uint8Array))) return FAIL;
      list[i] = item;
    }
    return list;
  }
  if (b === 0xc4 || b === 0xc5 || b === 0xc6) {
    // bin 8/16/32: a view of the frame's bytes, as msgpackr returns it (a Buffer when the frame is one)
    const n = b === 0xc4 ? 1 : b === 0xc5 ? 2 : 4;
    if (at + n > end) return FAIL;
    let length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[at + i]!;
    at += n;
    if (at + length > end) return FAIL;
    at += length;
    return bytes.subarray(at - length, at);
  }
  switch (b) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xcc:
      return at + 1 > end ? FAIL : bytes[at++]!;
    case 0xcd:
      if (at + 2 > end) return FAIL;
      at += 2;
      return (bytes[at - 2]! << 8) | bytes[at - 1]!;
    case 0xce:
      if (at + 4 > end) return FAIL;
      at += 4;
      return ((bytes[at - 4]! << 24) >>> 0) + ((bytes[at - 3]! << 16) | (bytes[at - 2]! << 8) | bytes[at - 1]!);
    case 0xd0:
      return at + 1 > end ? FAIL : (bytes[at++]! << 24) >> 24;
    case 0xd1:
      if (at + 2 > end) return FAIL;
      at += 2;
      return (((bytes[at - 2]! << 8) | bytes[at - 1]!) << 16) >> 16;
    case 0xd2:
      if (at + 4 > end) return FAIL;
      at += 4;
      return (bytes[at - 4]! << 24) | (bytes[at - 3]! << 16) | (bytes[at - 2]! << 8) | bytes[at - 1]!;
    case 0xcb: {
      if (at + 8 > end) return FAIL;
      const value = new DataView(bytes.buffer, bytes.byteOffset + at, 8).getFloat64(0);
      at += 8;
      return value;
    }
    default:
      return FAIL;
  }
}

/** Short ASCII strings from a small cache (keys and request types repeat every frame); `undefined` if not ASCII. */
const cache: string[] = new Array<string>(256).fill('');

function readAscii(bytes: Uint8Array, from: number, length: number, end: number): string | undefined {
  if (from + length > end) return undefined;
  let hash = length;
  for (let i = 0; i < length; i++) {
    const c = bytes[from + i]!;
    if (c >= 0x80) return undefined;
    hash = (hash * 31 + c) & 0xff;
  }
  const cached = cache[hash]!;
  if (cached.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (cached.charCodeAt(i) !== bytes[from + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(bytes[from + i]!);
  cache[hash] = s;
  return s;
}
