import { Packr, Unpackr } from 'msgpackr';
import { BadFrameError, decode, encode } from '../src';
import { decodeSmall, encodeSmall } from '../src/small-frames';

// The general paths the fast ones must agree with: the codec's msgpackr options.
const packr = new Packr({ useRecords: false, encodeUndefinedAsNil: true, skipValues: [undefined] } as ConstructorParameters<typeof Packr>[0]);
const strict = new Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: 'number' });

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** A small deterministic generator (mulberry32) so that a failure names its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [0, -0, 1, 31, 32, 127, 128, 255, 256, 65535, 65536, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, 0.5, -1.04, 1e300, NaN, Infinity, -Infinity];
const STRINGS = ['', 'step', 'step_result', 'a'.repeat(31), 'a'.repeat(32), 'héllo', '__proto__', 'hasOwnProperty'];

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (r < 0.3) return NUMBERS[Math.floor(next() * NUMBERS.length)];
  if (r < 0.4) return Math.round((next() - 0.5) * 2 ** (next() * 40));
  if (r < 0.5) return STRINGS[Math.floor(next() * STRINGS.length)];
  if (r < 0.55) return next() < 0.5;
  if (r < 0.6) return next() < 0.5 ? null : undefined;
  if (r < 0.65) return new Uint8Array(3);
  if (depth > 3) return 1;
  if (r < 0.8) return Array.from({ length: Math.floor(next() * (next() < 0.1 ? 40 : 6)) }, () => randomValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  const size = Math.floor(next() * (next() < 0.1 ? 20 : 6));
  for (let i = 0; i < size; i++) object[STRINGS[Math.floor(next() * STRINGS.length)]! + String(i)] = randomValue(next, depth + 1);
  return object;
}

/** The strict decoder's general path for flat frames: Maps into objects, key by key. */
function strictFlat(bytes: Uint8Array): unknown {
  const toPlain = (value: unknown): unknown => {
    if (value instanceof Map) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of value) out[key as string] = toPlain(item);
      return out;
    }
    return Array.isArray(value) ? value.map(toPlain) : value;
  };
  return toPlain(strict.unpack(bytes));
}

describe('small frames: encode', () => {
  it('writes the same bytes as msgpackr for a scalar step and its step_result', () => {
    const request = { type: 'step', action: 3, id: 70000 };
    const reply = { type: 'step_result', observation: [0, 1, 2, -1], reward: -1.04, terminated: false, truncated: true, info: { agent: [1, 2], goal: [3, 4], hitWall: false, episode: { return: 95.5, length: 7 } }, id: 12 };
    expect(hex(encodeSmall(request)!)).toBe(hex(packr.pack(request)));
    expect(hex(encodeSmall(reply)!)).toBe(hex(packr.pack(reply)));
    expect(hex(encode(reply))).toBe(hex(packr.pack(reply)));
  });

  it('leaves out undefined values of a map, and writes undefined as nil in a list', () => {
    expect(hex(encodeSmall({ type: 'x', id: undefined, list: [undefined] })!)).toBe('82a474797065a178a46c69737491c0');
  });

  it('gives up on what it does not write itself: long or non-ASCII strings, typed arrays, 16 keys', () => {
    expect(encodeSmall({ type: 'a'.repeat(32) })).toBeUndefined();
    expect(encodeSmall({ type: 'héllo' })).toBeUndefined();
    expect(encodeSmall({ type: 'x', data: new Uint8Array(2) })).toBeUndefined();
    expect(encodeSmall(Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i])))).toBeUndefined();
  });

  it('never overwrites a frame it returned earlier', () => {
    const first = encode({ type: 'step', id: 1 });
    const copy = hex(first);
    for (let i = 0; i < 2000; i++) encode({ type: 'step_result', observation: new Array(25).fill(i & 0x7f), id: i });
    expect(hex(first)).toBe(copy);
  });

  it('agrees with msgpackr on 5000 random values, or gives up (seed 6)', () => {
    const next = rng(6);
    let written = 0;
    for (let i = 0; i < 5000; i++) {
      const value = { type: 'step', v: randomValue(next, 0) };
      const fast = encodeSmall(value);
      if (fast === undefined) continue;
      written++;
      expect(hex(fast)).toBe(hex(packr.pack(value)));
    }
    expect(written).toBeGreaterThan(1000);
  });
});

describe('small frames: decode', () => {
  it('decodes a scalar step as the strict path does', () => {
    const bytes = packr.pack({ type: 'step', action: 2, id: 7 });
    const small = decodeSmall(bytes, 64);
    expect(small).toEqual({ type: 'step', action: 2, id: 7 });
    expect(Object.keys(small!)).toEqual(['type', 'action', 'id']);
    expect(decode(bytes)).toEqual(strictFlat(bytes));
  });

  it('decodes a vector step with a packed action as the strict path does, the data a view of the frame', () => {
    const bytes = Buffer.from(packr.pack({ type: 'step', id: 70000, action: { dtype: 'uint8', shape: [300], data: new Uint8Array(300).fill(3) } }));
    const small = decodeSmall(bytes, 64) as { action: { data: Uint8Array } } | undefined;
    expect(small).toEqual(strictFlat(bytes));
    expect(small!.action.data).toBeInstanceOf(Buffer);
    expect(small!.action.data.buffer).toBe(bytes.buffer);
    // the shape list is two levels below the frame's map: the strict path's depth limit decides, not the fast path
    expect(decodeSmall(bytes, 2)).toBeUndefined();
    expect(() => decode(bytes, { maxDepth: 2 })).toThrow(/nesting deeper than 2 levels/);
    // deeper than the fast path reads: left to the strict path
    expect(decodeSmall(packr.pack({ type: 'step', action: { a: { b: 1 } } }), 64)).toBeUndefined();
    expect(decodeSmall(packr.pack({ type: 'step', action: { a: [[1]] } }), 64)).toBeUndefined();
  });

  it('leaves every malformed frame to the strict path and its messages', () => {
    const step = Buffer.from(packr.pack({ type: 'step', action: 2 }));
    expect(decodeSmall(Buffer.concat([step, Buffer.from([0])]), 64)).toBeUndefined();
    expect(() => decode(Buffer.concat([step, Buffer.from([0])]))).toThrow(/bytes after the MessagePack map/);
    const numberKey = Buffer.from([0x82, 0xa4, 0x74, 0x79, 0x70, 0x65, 0xa4, 0x73, 0x74, 0x65, 0x70, 0x01, 0x02]);
    expect(decodeSmall(numberKey, 64)).toBeUndefined();
    expect(() => decode(numberKey)).toThrow(BadFrameError);
    expect(decodeSmall(step.subarray(0, step.length - 1), 64)).toBeUndefined();
    expect(decodeSmall(packr.pack({ action: 2 }), 64)).toBeUndefined();
    expect(decodeSmall(packr.pack({ type: 2 }), 64)).toBeUndefined();
    expect(decodeSmall(packr.pack({ type: 'step', __proto__x: 1 }), 64)).toBeDefined();
    expect(decodeSmall(Buffer.from([0x81, 0xa9, ...Buffer.from('__proto__'), 0x01]), 64)).toBeUndefined();
    expect(decodeSmall(packr.pack({ type: 'step', action: [1, 2] }), 1)).toBeUndefined();
  });

  it('agrees with the strict path on 20000 random and mutated frames, or gives up (seed 7)', () => {
    const next = rng(7);
    let decoded = 0;
    for (let i = 0; i < 20000; i++) {
      const bytes = Buffer.from(packr.pack({ type: next() < 0.9 ? 'step' : 3, action: randomValue(next, 2), id: Math.floor(next() * 1e6) }));
      const mutations = Math.floor(next() * 3);
      for (let m = 0; m < mutations; m++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      const small = decodeSmall(bytes, 64);
      if (small === undefined) continue;
      decoded++;
      expect(small).toEqual(strictFlat(bytes));
      expect(Object.keys(small)).toEqual(Object.keys(strictFlat(bytes) as object));
    }
    expect(decoded).toBeGreaterThan(5000);
  });
});
