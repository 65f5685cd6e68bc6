/** The value map telemetry extension: its bounds and the check that server, agents and viewer share. */
import type { ValueMap } from './messages';

/** Largest side of a value map (GridWorld's largest grid). */
export const MAX_VALUE_MAP_SIZE = 64;

/**
 * Why `value` is not a well-formed value map, or undefined when it is: `size` an integer 2..64, `goal` a cell
 * inside, `values` size*size finite numbers or null, `actions` size*size integers -1..3.
 */
export function valueMapProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'valueMap must be a map {size, goal, values, actions}';
  const m = value as Record<string, unknown>;
  const size = m.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 2 || size > MAX_VALUE_MAP_SIZE) return `valueMap.size must be an integer 2..${MAX_VALUE_MAP_SIZE}`;
  const goal = m.goal;
  if (!Array.isArray(goal) || goal.length !== 2 || !goal.every((v) => Number.isInteger(v) && v >= 0 && v < size)) return 'valueMap.goal must be [row, col] inside the grid';
  const cells = size * size;
  const values = m.values;
  if (!Array.isArray(values) || values.length !== cells) return `valueMap.values must hold size*size = ${cells} entries`;
  for (const v of values) if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) return 'valueMap.values must be finite numbers or null';
  const actions = m.actions;
  if (!Array.isArray(actions) || actions.length !== cells) return `valueMap.actions must hold size*size = ${cells} entries`;
  for (const a of actions) if (!Number.isInteger(a) || (a as number) < -1 || (a as number) > 3) return 'valueMap.actions must be integers -1..3';
  return undefined;
}

/** True for a well-formed value map. */
export function isValueMap(value: unknown): value is ValueMap {
  return valueMapProblem(value) === undefined;
}
