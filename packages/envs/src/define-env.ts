/**
 * `defineEnv`: an environment written as plain rules for ONE sub-env (reset a state from a generator, step it
 * with an action, observe it), from which the scalar `Env`, the `VectorEnv` with same-step autoreset, the
 * registry entry and the time limit are all built generically. CartPole-v1 is written this way, and so is a
 * user's environment loaded with `--env-module`.
 */
import type { ActionName, BoxSpace, DiscreteSpace, StepInfo } from '@rlfs/protocol';
import type { Env, EnvEntry, VectorEnv } from './core';
import { type BuiltSpec, DefinedEnv, DefinedVectorEnv } from './defined-env';
import type { DrawList } from './draw';
import { InvalidOptionsError } from './errors';
import { checkSchema, MAX_EPISODE_STEPS, type OptionsOf, type OptionsSchema, resolveOptions } from './option-schema';
import type { Rng } from './rng';
import { flatSize, whyBadBounds } from './spaces';

/** What one step of one sub-env returns. The time limit (`maxEpisodeSteps`) is applied by the wrapper. */
export interface StepOutcome {
  reward: number;
  /** The episode reached a terminal state. */
  terminated: boolean;
  /** The environment cut the episode short by a rule of its own (rare: the time limit is already handled). */
  truncated?: boolean;
}

/** Options as the rules see them: the schema's options plus `maxEpisodeSteps`. */
export type ResolvedOptions<S extends OptionsSchema> = OptionsOf<S> & { maxEpisodeSteps: number };

/** A function of the options, declared as a method so a definition of any options fits where any is expected. */
type OfOptions<S extends OptionsSchema, T> = { of(options: ResolvedOptions<S>): T }['of'];

/**
 * An environment's rules. `State` is whatever one sub-env needs (an object or a typed array); the wrapper keeps
 * one per sub-env and hands it back to `step`, `observe`, `info`, `renderState`, `ansi` and `draw`.
 */
export interface EnvDefinition<S extends OptionsSchema, State> {
  /** Registry id, `Name-vN`. */
  id: string;
  /** Options with types, defaults and ranges; `maxEpisodeSteps` is added (an integer >= 1). */
  options?: S;
  /** Default of the `maxEpisodeSteps` option. */
  maxEpisodeSteps: number;
  /** Checks between options, after each was validated on its own: return `"option: what is wrong"`, or nothing. */
  validate?(options: ResolvedOptions<S>): string | undefined;
  /** A Box of any dtype; bounds one number or one per element. */
  observationSpace: BoxSpace | OfOptions<S, BoxSpace>;
  /** Actions are the integers `0 .. n-1`. */
  actionSpace: DiscreteSpace | OfOptions<S, DiscreteSpace>;
  /**
   * Optional: one `{name, keys}` per action, sent in the spec so that /play (or any client) shows the names and
   * maps the keys (`KeyboardEvent.key` values, e.g. `"ArrowLeft"`, `"a"`, `" "`). docs/protocol.md "Action names and keys".
   */
  actions?: ActionName[];
  /**
   * A new episode's state, drawing only from `rng` (the sub-env's own seeded generator) so that the same seed
   * gives the same episode. `previous` is this sub-env's state of the episode before (undefined at its first
   * reset): the rules may overwrite and return it instead of allocating a new one (nothing else holds it).
   */
  reset(rng: Rng, options: ResolvedOptions<S>, previous?: State): State;
  /** Advances `state` in place by `action` (already checked to be in the action space). */
  step(state: State, action: number, rng: Rng, options: ResolvedOptions<S>): StepOutcome;
  /** The observation of `state`: `product(shape)` numbers, row-major (may be a buffer the rules reuse). */
  observe(state: State, options: ResolvedOptions<S>): ArrayLike<number>;
  /** Extra `info` of a reset or a step (the wrapper adds `episode` and, in vector envs, `finalObservation`). */
  info?(state: State, options: ResolvedOptions<S>): StepInfo;
  /** Render `state` (spectator frames, `render {mode:"state"}`): a small plain object. Default `{observation}`. */
  renderState?(state: State, options: ResolvedOptions<S>): Record<string, unknown>;
  /** Render `ansi`: a text picture. Default: the observation's numbers. */
  ansi?(state: State, options: ResolvedOptions<S>): string;
  /** A draw list (shapes in world units) any viewer can draw; see docs/protocol.md "Draw lists". */
  draw?(state: State, options: ResolvedOptions<S>): DrawList;
  /** Bytes one sub-env holds, so a server refuses a too-large `make` early. Default: from the observation size. */
  bytesPerEnv?(options: ResolvedOptions<S>): number;
}

/** A checked definition plus everything built from it: the registry entry and typed constructors. */
export interface DefinedEnvironment<S extends OptionsSchema = OptionsSchema, State = unknown> extends EnvEntry {
  readonly definition: EnvDefinition<S, State>;
  /** The schema including `maxEpisodeSteps`, for docs and `--help`. */
  readonly optionsSchema: OptionsSchema;
  make(resolved?: Record<string, unknown>): Env;
  makeVector(resolved: Record<string, unknown> | undefined, numEnvs: number): VectorEnv;
}

/** Marks a module's export as an environment definition, so loaders can recognise it. */
export const DEFINED_ENV = Symbol.for('rlfs.definedEnv');

const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]*-v\d+$/;

/**
 * Checks `definition` (id, option defaults, spaces) and builds its registry entry. Throws an Error naming what is
 * wrong. The entry's `make`/`makeVector` resolve options themselves, so `entry.make({..})` is the short way.
 */
export function defineEnv<const S extends OptionsSchema = Record<never, never>, State = unknown>(
  definition: EnvDefinition<S, State>,
): DefinedEnvironment<S, State> {
  const id = definition.id;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw new Error(`defineEnv: id must look like Name-v0, got ${JSON.stringify(id)}`);
  for (const fn of ['reset', 'step', 'observe'] as const) {
    if (typeof definition[fn] !== 'function') throw new Error(`defineEnv ${id}: ${fn} must be a function`);
  }
  const maxSteps = definition.maxEpisodeSteps;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new Error(`defineEnv ${id}: maxEpisodeSteps must be an integer >= 1, got ${maxSteps}`);
  const own = definition.options ?? ({} as S);
  if (Object.prototype.hasOwnProperty.call(own, MAX_EPISODE_STEPS)) throw new Error(`defineEnv ${id}: maxEpisodeSteps is set by the definition's maxEpisodeSteps, not its options`);
  const schema: OptionsSchema = { ...own, [MAX_EPISODE_STEPS]: { type: 'integer', default: maxSteps, min: 1, description: 'steps after which an episode is truncated' } };
  checkSchema(schema, id);
  const badActions = whyBadActionNames(definition.actions);
  if (badActions) throw new Error(`defineEnv ${id}: actions ${badActions}`);

  const resolve = (options: unknown): ResolvedOptions<S> => {
    const resolved = resolveOptions(schema, options, id) as ResolvedOptions<S>;
    const why = definition.validate?.(resolved);
    if (why !== undefined) throw new OptionsConflict(why);
    return resolved;
  };
  const observationSpace = (o: ResolvedOptions<S>): BoxSpace => {
    const space = typeof definition.observationSpace === 'function' ? definition.observationSpace(o) : definition.observationSpace;
    if (space?.type !== 'Box') throw new Error(`${id}: observationSpace must be a Box, got ${JSON.stringify(space)}`);
    const bad = whyBadBounds(space);
    if (bad) throw new Error(`${id}: observationSpace ${bad}`);
    return space;
  };
  const actionSpace = (o: ResolvedOptions<S>): DiscreteSpace => {
    const space = typeof definition.actionSpace === 'function' ? definition.actionSpace(o) : definition.actionSpace;
    if (space?.type !== 'Discrete' || !Number.isInteger(space.n) || space.n < 1) throw new Error(`${id}: actionSpace must be Discrete with an integer n >= 1, got ${JSON.stringify(space)}`);
    return space;
  };
  const build = (options: unknown): BuiltSpec<OptionsSchema> => {
    const o = resolve(options);
    const actions = actionSpace(o);
    if (definition.actions && definition.actions.length !== actions.n) throw new Error(`${id}: actions names ${definition.actions.length} actions, the action space has ${actions.n}`);
    return { options: o as ResolvedOptions<OptionsSchema>, observationSpace: observationSpace(o), actionSpace: actions };
  };
  // The wrappers only hand back what the rules returned, with the options resolved from this schema.
  const erased = definition as unknown as EnvDefinition<OptionsSchema, unknown>;

  const entry: DefinedEnvironment<S, State> = {
    id,
    definition,
    optionsSchema: schema,
    resolveOptions: (options) => ({ ...resolve(options) }),
    bytesPerEnv: (resolved) => {
      const o = resolve(resolved);
      return definition.bytesPerEnv?.(o) ?? 2 * 8 * flatSize(observationSpace(o)) + 256;
    },
    make: (resolved) => new DefinedEnv(erased, build(resolved)),
    makeVector: (resolved, numEnvs) => new DefinedVectorEnv(erased, build(resolved), numEnvs),
    observationSpace: (resolved) => observationSpace(resolve(resolved)),
    actionSpace: (resolved) => actionSpace(resolve(resolved)),
  };
  Object.defineProperty(entry, DEFINED_ENV, { value: true });
  return entry;
}

/** True for what `defineEnv` returned (also across copies of this package, via a global symbol). */
export function isDefinedEnvironment(value: unknown): value is DefinedEnvironment {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINED_ENV] === true;
}

/** A `validate` message `"option: detail"` becomes an InvalidOptionsError naming that option. */
class OptionsConflict extends InvalidOptionsError {
  constructor(message: string) {
    const m = /^([\w.[\]]+): (.*)$/s.exec(message);
    super(m ? m[1]! : 'options', m ? m[2]! : message);
  }
}

/** Why `actions` is not a list of `{name, keys}` (a non-empty name, key strings), or undefined when it is (or absent). */
function whyBadActionNames(actions: unknown): string | undefined {
  if (actions === undefined) return undefined;
  if (!Array.isArray(actions)) return 'must be a list of {name, keys}';
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i] as Partial<ActionName> | null;
    if (typeof a?.name !== 'string' || a.name === '') return `[${i}].name must be a non-empty string`;
    if (!Array.isArray(a.keys) || !a.keys.every((k) => typeof k === 'string' && k !== '')) return `[${i}].keys must be a list of KeyboardEvent.key strings`;
  }
  return undefined;
}
