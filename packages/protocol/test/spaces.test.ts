import { boundAt, boxRange, decode, encode, formatBound } from '../src';
import type { BoxSpace } from '../src';

describe('Box bounds: one number or one per element', () => {
  const cartPoleLike: BoxSpace = { type: 'Box', low: [-4.8, -Infinity, -0.42, -Infinity], high: [4.8, Infinity, 0.42, Infinity], shape: [4], dtype: 'float32' };
  const grid: BoxSpace = { type: 'Box', low: -1, high: 2, shape: [9], dtype: 'int8' };

  test('boundAt reads element i of a list, or the shared number', () => {
    expect([0, 1, 2, 3].map((i) => boundAt(cartPoleLike.high, i))).toEqual([4.8, Infinity, 0.42, Infinity]);
    expect(boundAt(grid.low, 7)).toBe(-1);
  });

  test('boxRange is the least low and the greatest high', () => {
    expect(boxRange(cartPoleLike)).toEqual({ low: -Infinity, high: Infinity });
    expect(boxRange({ ...cartPoleLike, low: [-1, -2, -3, 0], high: [1, 5, 2, 3] })).toEqual({ low: -3, high: 5 });
    expect(boxRange(grid)).toEqual({ low: -1, high: 2 });
  });

  test('formatBound shows a list in brackets', () => {
    expect(formatBound(cartPoleLike.low)).toBe('[-4.8, -Infinity, -0.42, -Infinity]');
    expect(formatBound(2)).toBe('2');
  });
});

test('Infinity bounds cross the wire as MessagePack float64 and come back as Infinity', () => {
  const space: BoxSpace = { type: 'Box', low: [-1, -Infinity], high: Infinity, shape: [2], dtype: 'float64' };
  const bytes = encode({ type: 'made', id: 1, session: 's', spec: { observationSpace: space } });
  const inf = Buffer.from([0xcb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0]); // float64 +Infinity
  expect(Buffer.from(bytes).includes(inf)).toBe(true);
  expect((decode(bytes) as unknown as { spec: { observationSpace: BoxSpace } }).spec.observationSpace).toEqual(space);
});
