/**
 * The registry of environments by id. A new environment is one file exporting an `EnvEntry` plus one
 * `register(...)` line at the bottom of this file.
 */
import type { Env, EnvEntry, VectorEnv } from './core';
import { describeValue, InvalidOptionsError, UnknownEnvError } from './errors';
import { cartPoleEntry } from './cartpole';
import { gridWorldEntry } from './gridworld-env';

const entries = new Map<string, EnvEntry>();

/** Adds an environment; registering an id twice is a programming error. */
export function register(entry: EnvEntry): void {
  if (entries.has(entry.id)) throw new Error(`environment ${entry.id} is already registered`);
  entries.set(entry.id, entry);
}

/** The entry of `id`; throws UnknownEnvError listing the known ids. */
export function getEnv(id: string): EnvEntry {
  const entry = typeof id === 'string' ? entries.get(id) : undefined;
  if (!entry) throw new UnknownEnvError(typeof id === 'string' ? id : describeValue(id), listEnvs());
  return entry;
}

/** Registered ids, in registration order. */
export function listEnvs(): string[] {
  return [...entries.keys()];
}

/** Resolves `options` (throwing InvalidOptionsError naming a bad one) and makes one environment. */
export function makeEnv(id: string, options?: Record<string, unknown>): Env {
  const entry = getEnv(id);
  return entry.make(entry.resolveOptions(options));
}

/** Makes `numEnvs` (an integer >= 1) sub-environments stepped together with same-step autoreset. */
export function makeVectorEnv(id: string, options: Record<string, unknown> | undefined, numEnvs: number): VectorEnv {
  const entry = getEnv(id);
  const resolved = entry.resolveOptions(options);
  if (typeof numEnvs !== 'number' || !Number.isInteger(numEnvs) || numEnvs < 1) {
    throw new InvalidOptionsError('numEnvs', `expected an integer >= 1, got ${describeValue(numEnvs)}`);
  }
  return entry.makeVector(resolved, numEnvs);
}

register(gridWorldEntry);
register(cartPoleEntry);
