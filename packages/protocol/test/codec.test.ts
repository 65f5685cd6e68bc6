import { pack as msgpack } from 'msgpackr';
import { BadFrameError, decode, encode } from '../src';

function expectBadFrame(bytes: Uint8Array, pattern: RegExp): void {
  let error: unknown;
  try {
    decode(bytes);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(BadFrameError);
  expect((error as BadFrameError).code).toBe('BAD_FRAME');
  expect((error as Error).message).toMatch(pattern);
}

describe('codec', () => {
  it('round-trips a message and leaves out undefined fields (no id means no id key)', () => {
    const bytes = encode({ type: 'step', action: 2, id: undefined });
    const back = decode(bytes);
    expect(back).toEqual({ type: 'step', action: 2 });
    expect(Object.keys(back)).toEqual(['type', 'action']);
  });

  it('encodes null as nil (reset frames carry action and reward nil)', () => {
    expect(decode(encode({ type: 'frame', action: null }))).toEqual({ type: 'frame', action: null });
  });

  it('decodes an integral float as an integer value', () => {
    // 0xcb is float64: 5.0 must count as 5
    const bytes = new Uint8Array([0x82, 0xa4, 0x74, 0x79, 0x70, 0x65, 0xa4, 0x73, 0x74, 0x65, 0x70, 0xa2, 0x69, 0x64, 0xcb, 0x40, 0x14, 0, 0, 0, 0, 0, 0]);
    const message = decode(bytes);
    expect(message.id).toBe(5);
    expect(Number.isInteger(message.id)).toBe(true);
  });

  it('keeps bin data as bytes', () => {
    const back = decode(encode({ type: 'x', data: new Uint8Array([1, 2, 3]) }));
    expect(Array.from(back.data as Uint8Array)).toEqual([1, 2, 3]);
  });

  it('refuses bytes that are not MessagePack', () => {
    // 0xc1 is the one byte MessagePack never uses
    expectBadFrame(new Uint8Array([0xc1]), /not valid MessagePack|must be a MessagePack map/);
    expectBadFrame(new Uint8Array([0x81, 0xa4]), /not valid MessagePack/);
  });

  it('refuses truncated MessagePack', () => {
    const bytes = encode({ type: 'hello', protocol: 1, role: 'agent' });
    expectBadFrame(bytes.subarray(0, bytes.length - 3), /not valid MessagePack/);
  });

  it('refuses bytes after the map', () => {
    const bytes = encode({ type: 'hello' });
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expectBadFrame(longer, /bytes after/);
  });

  it('refuses a frame that is not a map', () => {
    expectBadFrame(msgpack([1, 2, 3]), /must be a MessagePack map, got array/);
    expectBadFrame(msgpack('hello'), /got string/);
  });

  it('refuses non-string keys, even nested ones', () => {
    expectBadFrame(msgpack(new Map<unknown, unknown>([['type', 'x'], [1, 2]])), /keys must be strings, got integer/);
    expectBadFrame(msgpack(new Map<unknown, unknown>([['type', 'x'], ['options', new Map([[true, 1]])]])), /got boolean key/);
  });

  it('keeps a "__proto__" key as plain data, never as the prototype', () => {
    const back = decode(msgpack(new Map<unknown, unknown>([['type', 'x'], ['__proto__', { polluted: true }]])));
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect((back as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(back)).toEqual(['type', '__proto__']);
  });

  it('refuses a missing or non-string type', () => {
    expectBadFrame(msgpack({ id: 1 }), /no "type"/);
    expectBadFrame(msgpack({ type: 3 }), /"type" must be a string, got integer/);
  });

  it('refuses nesting deeper than the limit, without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    expectBadFrame(encode({ type: 'step', action: deep }), /nesting deeper than 64/);
  });
});
