/**
 * An environment checker in the spirit of Gymnasium's `utils/env_checker.py`: small `check*` functions, each
 * throwing a CheckFailure that says what is wrong, and `checkEnv` running them all into a report.
 *
 * The checks are written against `CheckedEnv`, whose `reset` and `step` may return promises, so the same logic
 * checks an in-process `Env` and a remote one (a client wrapper). `checkVectorEqualsScalar` is in-process only.
 */
import type { Space } from '@rlfs/protocol';
import type { Env, ResetArgs, VectorEnv } from './core';
import { Rng } from './rng';
import { contains, flatSize, whyBadBounds, whyNotInBox } from './spaces';

type MaybePromise<T> = T | Promise<T>;

/** What the checks need of an environment: Env's shape, with results possibly async. */
export interface CheckedEnv {
  readonly spec: { readonly observationSpace: Space; readonly actionSpace: Space; readonly maxEpisodeSteps: number };
  reset(args?: ResetArgs): MaybePromise<{ observation: unknown; info: unknown }>;
  step(action: number): MaybePromise<{ observation: unknown; reward: number; terminated: boolean; truncated: boolean; info: unknown }>;
  close?(): MaybePromise<void>;
}

/** Makes a fresh environment (each check that needs twins calls it more than once). */
export type EnvFactory = () => MaybePromise<CheckedEnv>;

export interface CheckOptions {
  /** Seed of the environments and of the random actions (default 0). */
  seed?: number;
  /** Steps each stepping check takes (default 300). */
  steps?: number;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  message: string;
}

/** A failed check; the message says what was expected and what came. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

const DEFAULT_STEPS = 300;

/** The spec is well formed: Discrete actions with n >= 1, a Box observation space, maxEpisodeSteps an integer >= 1. */
export async function checkSpec(env: CheckedEnv): Promise<void> {
  const { observationSpace: obs, actionSpace: act, maxEpisodeSteps } = env.spec;
  if (act?.type !== 'Discrete' || !Number.isInteger(act.n) || act.n < 1) fail(`actionSpace: expected Discrete with an integer n >= 1, got ${json(act)}`);
  if (obs?.type !== 'Box') fail(`observationSpace: expected a Box, got ${json(obs)}`);
  if (!Array.isArray(obs.shape) || !obs.shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`observationSpace.shape: expected non-negative integers, got ${json(obs.shape)}`);
  const bad = whyBadBounds(obs);
  if (bad) fail(`observationSpace: ${bad}`);
  if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) fail(`maxEpisodeSteps: expected an integer >= 1, got ${json(maxEpisodeSteps)}`);
}

/** `step` before the first `reset` is refused with RESET_NEEDED. */
export async function checkResetNeeded(factory: EnvFactory): Promise<void> {
  const env = await factory();
  try {
    await expectCode(() => env.step(0), 'RESET_NEEDED', 'step before the first reset');
  } finally {
    await env.close?.();
  }
}

/**
 * Random steps from a seeded reset: every observation is in the observation space, rewards are finite numbers,
 * terminated/truncated booleans, and the step that ends an episode carries `info.episode` equal to the sum of
 * the episode's rewards and its step count; no episode outlives maxEpisodeSteps; a step after the end is refused.
 */
export async function checkObservationsInSpace(env: CheckedEnv, options: CheckOptions = {}): Promise<void> {
  const { seed = 0, steps = DEFAULT_STEPS } = options;
  const rng = new Rng(seed);
  const space = env.spec.observationSpace;
  let reset = await env.reset({ seed });
  checkObservation(space, reset.observation, 'reset');
  let sum = 0;
  let length = 0;
  for (let t = 0; t < steps; t++) {
    const r = await env.step(sampleAction(env.spec.actionSpace, rng));
    const where = `step ${t}`;
    checkObservation(space, r.observation, where);
    if (typeof r.reward !== 'number' || !Number.isFinite(r.reward)) fail(`${where}: reward should be a finite number, got ${json(r.reward)}`);
    if (typeof r.terminated !== 'boolean' || typeof r.truncated !== 'boolean') fail(`${where}: terminated and truncated should be booleans`);
    if (typeof r.info !== 'object' || r.info === null) fail(`${where}: info should be a map`);
    sum += r.reward;
    length++;
    const episode = (r.info as { episode?: { return: number; length: number } }).episode;
    if (!r.terminated && !r.truncated) {
      if (episode !== undefined) fail(`${where}: info.episode on a step that ends no episode`);
      if (length >= env.spec.maxEpisodeSteps) fail(`${where}: the episode reached maxEpisodeSteps (${length}) without being truncated`);
      continue;
    }
    if (!episode) fail(`${where}: the episode ended without info.episode`);
    if (episode.length !== length) fail(`${where}: info.episode.length ${episode.length}, expected ${length} steps`);
    if (Math.abs(episode.return - sum) > 1e-9 * Math.max(1, Math.abs(sum))) fail(`${where}: info.episode.return ${episode.return}, expected the sum of rewards ${sum}`);
    await expectCode(() => env.step(0), 'RESET_NEEDED', `${where}: step after the episode ended`);
    reset = await env.reset();
    checkObservation(space, reset.observation, `reset after ${where}`);
    sum = 0;
    length = 0;
  }
}

/** Two environments reset with the same seed agree, and so do the unseeded resets that follow. */
export async function checkSeedDeterminism(factory: EnvFactory, options: CheckOptions = {}): Promise<void> {
  const { seed = 0 } = options;
  const [a, b] = [await factory(), await factory()];
  try {
    compare(await a.reset({ seed }), await b.reset({ seed }), `reset({seed: ${seed}})`);
    for (let k = 1; k <= 3; k++) compare(await a.reset(), await b.reset(), `reset() #${k} after the seeded one`);
    compare(await a.reset({ seed }), await b.reset({ seed }), `a second reset({seed: ${seed}})`);
  } finally {
    await a.close?.();
    await b.close?.();
  }
}

/** Two environments with the same seed and the same actions give the same results, step after step. */
export async function checkStepDeterminism(factory: EnvFactory, options: CheckOptions = {}): Promise<void> {
  const { seed = 0, steps = DEFAULT_STEPS } = options;
  const [a, b] = [await factory(), await factory()];
  const rng = new Rng(seed ^ 0x5eed);
  try {
    compare(await a.reset({ seed }), await b.reset({ seed }), 'reset');
    for (let t = 0; t < steps; t++) {
      const action = sampleAction(a.spec.actionSpace, rng);
      const ra = await a.step(action);
      compare(ra, await b.step(action), `step ${t} (action ${action})`);
      if (ra.terminated || ra.truncated) compare(await a.reset(), await b.reset(), `reset after step ${t}`);
    }
  } finally {
    await a.close?.();
    await b.close?.();
  }
}

/** Actions outside the space are refused with INVALID_ACTION and change nothing (a twin that got none agrees). */
export async function checkInvalidActions(factory: EnvFactory, options: CheckOptions = {}): Promise<void> {
  const { seed = 0 } = options;
  const [a, b] = [await factory(), await factory()];
  try {
    await a.reset({ seed });
    await b.reset({ seed });
    const space = a.spec.actionSpace;
    const bad = space.type === 'Discrete' ? [-1, space.n, 0.5, Number.NaN] : [];
    for (const action of bad) await expectCode(() => a.step(action), 'INVALID_ACTION', `step(${action})`);
    compare(await a.step(0), await b.step(0), 'the step after refused actions');
  } finally {
    await a.close?.();
    await b.close?.();
  }
}

/**
 * In-process: sub-env i of a vector env reset with `seed` equals a scalar env reset with `seed + i`, across
 * autoresets: observations, rewards, flags, and each ended episode's final observation and stats.
 */
export function checkVectorEqualsScalar(
  makeScalar: () => Env,
  makeVector: (numEnvs: number) => VectorEnv,
  options: CheckOptions & { numEnvs?: number } = {},
): void {
  const { seed = 0, steps = DEFAULT_STEPS, numEnvs = 4 } = options;
  const vector = makeVector(numEnvs);
  const scalars = Array.from({ length: numEnvs }, () => makeScalar());
  const size = flatSize(vector.spec.observationSpace);
  const rng = new Rng(seed ^ 0x7ec7);
  vector.reset({ seed });
  const last = scalars.map((env, i) => env.reset({ seed: seed + i }).observation);
  const actions = new Int32Array(numEnvs);
  for (let t = 0; t <= steps; t++) {
    for (let i = 0; i < numEnvs; i++) {
      compare(vector.observations.subarray(i * size, (i + 1) * size), last[i], `sub-env ${i} observation after step ${t - 1}`);
    }
    if (t === steps) break;
    for (let i = 0; i < numEnvs; i++) actions[i] = sampleAction(vector.spec.actionSpace, rng);
    vector.step(actions);
    for (let i = 0; i < numEnvs; i++) {
      const r = scalars[i]!.step(actions[i]!);
      const where = `sub-env ${i}, step ${t}`;
      compare(vector.rewards[i], r.reward, `${where}: reward`);
      compare(vector.terminated[i] === 1, r.terminated, `${where}: terminated`);
      compare(vector.truncated[i] === 1, r.truncated, `${where}: truncated`);
      const ended = vector.ended.find((e) => e.index === i);
      if ((ended !== undefined) !== (r.terminated || r.truncated)) fail(`${where}: ended list disagrees with the scalar env`);
      last[i] = r.observation;
      if (!ended) continue;
      compare(ended.finalObservation, r.observation, `${where}: finalObservation`);
      compare(ended.episode, r.info.episode, `${where}: episode stats`);
      last[i] = scalars[i]!.reset().observation;
    }
  }
}

/** Runs every check on environments from `factory` (plus the vector check when `vector` is given). */
export async function checkEnv(
  factory: EnvFactory,
  options: CheckOptions & { vector?: { makeScalar: () => Env; makeVector: (numEnvs: number) => VectorEnv } } = {},
): Promise<CheckResult[]> {
  const checks: Array<[string, () => Promise<void> | void]> = [
    ['checkSpec', async () => withEnv(factory, (env) => checkSpec(env))],
    ['checkResetNeeded', () => checkResetNeeded(factory)],
    ['checkObservationsInSpace', async () => withEnv(factory, (env) => checkObservationsInSpace(env, options))],
    ['checkSeedDeterminism', () => checkSeedDeterminism(factory, options)],
    ['checkStepDeterminism', () => checkStepDeterminism(factory, options)],
    ['checkInvalidActions', () => checkInvalidActions(factory, options)],
  ];
  const vector = options.vector;
  if (vector) checks.push(['checkVectorEqualsScalar', () => checkVectorEqualsScalar(vector.makeScalar, vector.makeVector, options)]);
  const report: CheckResult[] = [];
  for (const [name, run] of checks) {
    try {
      await run();
      report.push({ name, ok: true, message: 'ok' });
    } catch (error) {
      report.push({ name, ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

/**
 * Structural equality for results: typed arrays and plain arrays compare by their elements, numbers with
 * Object.is (so -0 and NaN count), maps key by key. Returns the path of the first difference, or undefined.
 */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (Object.is(a, b)) return undefined;
  const la = asList(a);
  const lb = asList(b);
  if (la || lb) {
    if (!la || !lb) return `${path || 'value'}: ${json(a)} vs ${json(b)}`;
    if (la.length !== lb.length) return `${path || 'value'}: length ${la.length} vs ${lb.length}`;
    for (let i = 0; i < la.length; i++) {
      const d = firstDifference(la[i], lb[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const d = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
    return undefined;
  }
  return `${path || 'value'}: ${json(a)} vs ${json(b)}`;
}

async function withEnv(factory: EnvFactory, body: (env: CheckedEnv) => Promise<void>): Promise<void> {
  const env = await factory();
  try {
    await body(env);
  } finally {
    await env.close?.();
  }
}

function compare(a: unknown, b: unknown, what: string): void {
  const d = firstDifference(a, b);
  if (d) fail(`${what}: results differ at ${d}`);
}

function checkObservation(space: Space, observation: unknown, where: string): void {
  if (space.type === 'Box') {
    const why = whyNotInBox(space, observation);
    if (why) fail(`${where}: observation not in the observation space: ${why}`);
  } else if (!contains(space, observation)) fail(`${where}: observation ${json(observation)} not in ${json(space)}`);
}

async function expectCode(call: () => unknown, code: string, what: string): Promise<void> {
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  if (error === undefined) fail(`${what} should fail with ${code}, but succeeded`);
  const got = (error as { code?: unknown }).code;
  if (got !== code) fail(`${what} should fail with ${code}, got ${json(got)}: ${error instanceof Error ? error.message : String(error)}`);
}

function sampleAction(space: Space, rng: Rng): number {
  if (space.type !== 'Discrete') fail(`the checker samples Discrete actions only, got ${space.type}`);
  return rng.int(space.n);
}

function asList(v: unknown): ArrayLike<unknown> | undefined {
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<number>;
  return undefined;
}

function json(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function fail(message: string): never {
  throw new CheckFailure(message);
}
