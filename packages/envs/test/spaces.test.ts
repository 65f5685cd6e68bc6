import { box, contains, whyBadBounds, whyNotInBox } from '../src';

describe('Box spaces with per-element bounds', () => {
  const space = box([-2, -Infinity, 0], [2, Infinity, 1], [3], 'float32');

  test('containment is checked element by element, Infinity bounds included', () => {
    expect(contains(space, Float32Array.from([1.5, -1e30, 0.5]))).toBe(true);
    expect(contains(space, [2, 3.4e38, 1])).toBe(true);
    expect(whyNotInBox(space, [2.5, 0, 0])).toBe('element 0 = 2.5 is outside [-2, 2]');
    expect(whyNotInBox(space, [0, 0, -0.1])).toBe('element 2 = -0.1 is outside [0, 1]');
    expect(whyNotInBox(space, Float64Array.from([0, 0, 0]))).toBe('dtype float64, expected float32');
    expect(whyNotInBox(space, [0, Number.NaN, 0])).toBe('element 1 is not a number');
  });

  test('a single number still bounds every element', () => {
    expect(contains(box(-1, 2, [2, 2], 'int8'), [[-1, 2], [0, 1]])).toBe(true);
    expect(whyNotInBox(box(-1, 2, [2, 2], 'int8'), Int8Array.from([0, 0, 3, 0]))).toBe('element 2 = 3 is outside [-1, 2]');
  });

  test('malformed bounds are named', () => {
    expect(whyBadBounds(space)).toBeUndefined();
    expect(whyBadBounds(box([0, 0], 1, [3], 'float32'))).toBe('low: expected a number or a list of 3 numbers (one per element), got [0,0]');
    expect(whyBadBounds(box(0, [1, -1, 1], [3], 'float32'))).toBe('expected low <= high for every element, got low 0, high [1, -1, 1] (element 1)');
    expect(whyBadBounds(box(Number.NaN, 1, [3], 'float32'))).toBe('low: expected a number, got NaN');
  });
});
