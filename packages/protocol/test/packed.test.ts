import { decode, encode, pack, unpack } from '../src';

describe('packed arrays', () => {
  it('packs a typed array as little-endian bytes and back, through the codec', () => {
    const values = new Float64Array([1.5, -2, 100]);
    const back = decode(encode({ type: 'x', obs: pack(values, [3]) }));
    const packed = back.obs as { dtype: string; shape: number[]; data: Uint8Array };
    expect(packed.dtype).toBe('float64');
    expect(packed.shape).toEqual([3]);
    expect(packed.data.byteLength).toBe(24);
    expect(Array.from(unpack(packed))).toEqual([1.5, -2, 100]);
  });

  it('reads int8 -1 from byte 0xff', () => {
    const out = unpack({ dtype: 'int8', shape: [2], data: new Uint8Array([0xff, 2]) });
    expect(out).toBeInstanceOf(Int8Array);
    expect(Array.from(out)).toEqual([-1, 2]);
  });

  it('copies unaligned data instead of failing', () => {
    const buffer = new Uint8Array(9);
    new DataView(buffer.buffer).setInt32(1, 7, true);
    new DataView(buffer.buffer).setInt32(5, -3, true);
    expect(Array.from(unpack({ dtype: 'int32', shape: [2], data: buffer.subarray(1) }))).toEqual([7, -3]);
  });

  it('names what is wrong: dtype, shape, byte count', () => {
    expect(() => unpack({ dtype: 'int64', shape: [1], data: new Uint8Array(8) })).toThrow(/dtype must be one of/);
    expect(() => unpack({ dtype: 'int8', shape: [-1], data: new Uint8Array(0) })).toThrow(/shape must be/);
    expect(() => unpack({ dtype: 'int32', shape: [2], data: new Uint8Array(7) })).toThrow(/has 7 bytes, shape \[2\] of int32 needs 8/);
    expect(() => unpack({ dtype: 'int8', shape: [1], data: [1] })).toThrow(/must be MessagePack bin/);
  });
});
