/**
 * Reading a Box's bounds, which are a single number for every element or a flat list with one per element.
 */
import type { BoxSpace } from './messages';

/** The bound of element `i` (row-major) from a Box's `low` or `high`. */
export function boundAt(bound: number | readonly number[], i: number): number {
  return typeof bound === 'number' ? bound : bound[i]!;
}

/** The smallest `low` and the largest `high` over every element (a Box's overall range). */
export function boxRange(space: BoxSpace): { low: number; high: number } {
  const low = typeof space.low === 'number' ? space.low : Math.min(...space.low);
  const high = typeof space.high === 'number' ? space.high : Math.max(...space.high);
  return { low, high };
}

/** `-1` for one bound shared by all elements, `[-4.8, -Infinity, ..]` for a list: how messages show a bound. */
export function formatBound(bound: number | readonly number[]): string {
  return typeof bound === 'number' ? String(bound) : `[${bound.join(', ')}]`;
}
