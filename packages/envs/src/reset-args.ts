/**
 * Validation shared by environments: the `seed` and `options` of a reset, and discrete actions.
 * Each throws before anything changes, so a refused call leaves the environment as it was.
 */
import type { ResetArgs } from './core';
import { describeValue, InvalidActionError, InvalidOptionsError } from './errors';

const TWO_32 = 4294967296;

/**
 * Checks `seed` for `numEnvs` sub-envs (a non-negative integer with `seed + numEnvs - 1 < 2^32`) and returns it,
 * or undefined when absent (`undefined` or `null`).
 */
export function checkSeed(seed: unknown, numEnvs: number): number | undefined {
  if (seed === undefined || seed === null) return undefined;
  const max = TWO_32 - numEnvs;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > max) {
    const why = numEnvs > 1 ? ` (seed + numEnvs - 1 must stay below 2^32 with numEnvs ${numEnvs})` : '';
    throw new InvalidOptionsError('seed', `expected an integer from 0 to ${max}${why}, got ${describeValue(seed)}`);
  }
  return seed + 0;
}

/** Checks a reset's arguments for an environment that defines no reset options; returns the seed if any. */
export function checkResetArgs(args: ResetArgs | undefined, numEnvs: number, envId: string): number | undefined {
  if (args === undefined || args === null) return undefined;
  const seed = checkSeed(args.seed, numEnvs);
  const options: unknown = args.options;
  if (options === undefined || options === null) return seed;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionsError('options', `expected a map of reset options, got ${describeValue(options)}`);
  }
  const keys = Object.keys(options);
  if (keys.length > 0) throw new InvalidOptionsError(`options.${keys[0]}`, `${envId} defines no reset options`);
  return seed;
}

/** Throws InvalidActionError unless `action` is an integer-valued number in `0 .. n-1`. */
export function checkDiscreteAction(action: unknown, n: number, name = 'action'): void {
  if (typeof action === 'number' && Number.isInteger(action) && action >= 0 && action < n) return;
  throw new InvalidActionError(`${name}: expected an integer from 0 to ${n - 1}, got ${describeValue(action)}`);
}
