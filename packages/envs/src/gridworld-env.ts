/**
 * GridWorld-v0 as a scalar `Env` (no autoreset) and as a `VectorEnv` (same-step autoreset), both thin drivers of
 * one `GridWorldBatch`, and the registry entry that makes them.
 */
import type { GridState, RenderMode, StepInfo } from '@rlfs/protocol';
import { ErrorCode } from '@rlfs/protocol';
import type { CoreSpec, EndedInfo, Env, EnvEntry, Observation, ResetArgs, ResetResult, StepResult, VectorEnv } from './core';
import { EndedRecords } from './ended-records';
import { describeValue, EnvError, InvalidActionError, InvalidOptionsError, ResetNeededError } from './errors';
import { GridWorldBatch, gridWorldBytesPerEnv, gridWorldObservationSpace } from './gridworld';
import { type GridWorldOptions, resolveGridWorldOptions } from './gridworld-options';
import { checkDiscreteAction, checkResetArgs } from './reset-args';
import { randomSeed } from './rng';
import { discrete } from './spaces';

export const GRIDWORLD_ID = 'GridWorld-v0';
const NUM_ACTIONS = 4;

/** One GridWorld. Observations returned are fresh copies; `step` after the episode ended throws ResetNeededError. */
export class GridWorld implements Env {
  readonly spec: CoreSpec;
  readonly options: GridWorldOptions;
  private readonly batch: GridWorldBatch;
  private seeded = false;
  private started = false;
  private running = false;
  private readonly action = new Int32Array(1);
  private readonly endedScratch = new Int32Array(1);

  /** @param options user options or resolved ones; throws InvalidOptionsError naming a bad option. */
  constructor(options?: unknown) {
    this.options = resolveGridWorldOptions(options);
    this.spec = makeSpec(this.options);
    this.batch = new GridWorldBatch(this.options, 1);
  }

  /** Starts an episode. `seed` re-seeds the generator; without it the stream continues (drawn once if never seeded). */
  reset(args?: ResetArgs): ResetResult {
    const seed = checkResetArgs(args, 1, GRIDWORLD_ID);
    if (seed !== undefined || !this.seeded) {
      this.batch.seed(0, seed ?? randomSeed(1));
      this.seeded = true;
    }
    this.batch.reset(0);
    this.started = true;
    this.running = true;
    return { observation: this.batch.copyObservation(0), info: this.batch.resetInfo(0) };
  }

  step(action: number): StepResult {
    if (!this.running) {
      throw new ResetNeededError(this.started ? 'the episode has ended: call reset() before step()' : 'call reset() before the first step()');
    }
    checkDiscreteAction(action, NUM_ACTIONS);
    const b = this.batch;
    this.action[0] = action;
    b.stepAll(this.action, this.endedScratch);
    const terminated = b.terminated[0] === 1;
    const truncated = b.truncated[0] === 1;
    const info: StepInfo = { agent: b.cellOf(b.agent[0]!), goal: b.cellOf(b.goal[0]!), hitWall: b.hitWall[0] === 1 };
    if (terminated || truncated) {
      info.episode = { return: b.episodeReturn[0]!, length: b.episodeLength[0]! };
      this.running = false;
    }
    return { observation: b.copyObservation(0), reward: b.reward[0]!, terminated, truncated, info };
  }

  render(mode: RenderMode): string | GridState {
    if (!this.started) throw new ResetNeededError('call reset() before render()');
    return renderOne(this.batch, 0, mode);
  }

  close(): void {
    this.running = false;
  }
}

/**
 * `numEnvs` GridWorlds stepped together with same-step autoreset; results land in preallocated buffers.
 * `ended` is a new array when some episode ended in the step (built on first use), else a shared empty one.
 */
export class GridWorldVector implements VectorEnv {
  readonly spec: CoreSpec;
  readonly options: GridWorldOptions;
  readonly numEnvs: number;
  readonly observations: Observation;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly endedRecords: EndedRecords;
  recordFinalStates = false;
  private readonly batch: GridWorldBatch;
  private seeded = false;
  private started = false;
  private lastWasStep = false;
  /** Indices of the sub-envs whose episode ended in the step, from `GridWorldBatch.stepAll`. */
  private readonly endedNow: Int32Array;

  constructor(options: unknown, numEnvs: number) {
    if (typeof numEnvs !== 'number' || !Number.isInteger(numEnvs) || numEnvs < 1) {
      throw new InvalidOptionsError('numEnvs', `expected an integer >= 1, got ${describeValue(numEnvs)}`);
    }
    this.options = resolveGridWorldOptions(options);
    this.numEnvs = numEnvs;
    this.spec = { ...makeSpec(this.options), numEnvs };
    this.batch = new GridWorldBatch(this.options, numEnvs);
    this.observations = this.batch.obs;
    this.rewards = this.batch.reward;
    this.terminated = this.batch.terminated;
    this.truncated = this.batch.truncated;
    this.endedNow = new Int32Array(numEnvs);
    const b = this.batch;
    this.endedRecords = new EndedRecords(numEnvs, b.obsSize, (length) => (b.obs instanceof Uint8Array ? new Uint8Array(length) : new Int8Array(length)));
  }

  /** Built from `endedRecords` on first use after a step; a shared empty list when no episode ended. */
  get ended(): readonly EndedInfo[] {
    return this.endedRecords.ended();
  }

  /** Resets every sub-env; `seed` seeds sub-env i with `seed + i`. */
  reset(args?: ResetArgs): void {
    const seed = checkResetArgs(args, this.numEnvs, GRIDWORLD_ID);
    const b = this.batch;
    if (seed !== undefined || !this.seeded) {
      const base = seed ?? randomSeed(this.numEnvs);
      for (let i = 0; i < this.numEnvs; i++) b.seed(i, base + i);
      this.seeded = true;
    }
    this.clearEnded();
    for (let i = 0; i < this.numEnvs; i++) b.reset(i);
    b.reward.fill(0);
    b.terminated.fill(0);
    b.truncated.fill(0);
    b.hitWall.fill(0);
    this.started = true;
    this.lastWasStep = false;
  }

  /** Validates every action (an integer 0..3, `numEnvs` of them), then steps all sub-envs. */
  step(actions: ArrayLike<number>): void {
    if (!this.started) throw new ResetNeededError('call reset() before the first step()');
    const n = this.numEnvs;
    if (actions === null || typeof actions !== 'object' || actions.length !== n) {
      const got = actions !== null && typeof actions === 'object' && typeof actions.length === 'number' ? `${actions.length}` : describeValue(actions);
      throw new InvalidActionError(`action: expected ${n} actions (one per sub-env), got ${got}`);
    }
    for (let i = 0; i < n; i++) {
      const a = actions[i]!;
      // (a & 3) === a holds exactly for the numbers 0, 1, 2, 3 (5.0 is the number 5); strings and NaN fail.
      if ((a & 3) !== a) checkDiscreteAction(a, NUM_ACTIONS, `action[${i}]`);
    }
    this.clearEnded();
    // Every sub-env steps, then the ended ones autoreset in index order: each reset touches only its own sub-env
    // (its generator, state and observation), so this equals resetting each right after its step.
    const count = this.batch.stepAll(actions, this.endedNow);
    for (let k = 0; k < count; k++) this.autoreset(this.endedNow[k]!);
    this.lastWasStep = true;
  }

  infoAt(index: number): StepInfo {
    this.checkIndex(index);
    const b = this.batch;
    if (!this.lastWasStep) return b.resetInfo(index);
    const info: StepInfo = { agent: b.cellOf(b.agent[index]!), goal: b.cellOf(b.goal[index]!), hitWall: b.hitWall[index] === 1 };
    const slot = this.endedRecords.recordOfEnv(index);
    if (slot >= 0) {
      const ended = this.ended[slot]!;
      info.shortestPath = b.shortestPath[index]!;
      info.finalObservation = ended.finalObservation;
      info.episode = { ...ended.episode };
    }
    return info;
  }

  render(mode: RenderMode): Array<string | GridState> {
    if (!this.started) throw new ResetNeededError('call reset() before render()');
    const frames: Array<string | GridState> = [];
    for (let i = 0; i < this.numEnvs; i++) frames.push(renderOne(this.batch, i, mode));
    return frames;
  }

  stateAt(index: number): GridState {
    this.checkIndex(index);
    return this.batch.state(index);
  }

  close(): void {
    this.started = false;
  }

  /** Records the episode that ended in sub-env i (before its observation is overwritten), then resets it. */
  private autoreset(i: number): void {
    const b = this.batch;
    this.endedRecords.record(i, b.obs, i * b.obsSize, b.episodeReturn[i]!, b.episodeLength[i]!, b.terminated[i] === 1, b.shortestPath[i]!);
    if (this.recordFinalStates) this.endedRecords.recordFinalState(b.state(i), undefined);
    b.reset(i);
  }

  private clearEnded(): void {
    this.endedRecords.clear();
  }

  private checkIndex(index: number): void {
    if (!this.started) throw new ResetNeededError('call reset() first');
    if (!Number.isInteger(index) || index < 0 || index >= this.numEnvs) {
      throw new RangeError(`index: expected an integer from 0 to ${this.numEnvs - 1}, got ${describeValue(index)}`);
    }
  }
}

/** The registry entry of GridWorld-v0. */
export const gridWorldEntry: EnvEntry = {
  id: GRIDWORLD_ID,
  resolveOptions: (options) => asRecord(resolveGridWorldOptions(options)),
  bytesPerEnv: (resolved) => gridWorldBytesPerEnv(resolveGridWorldOptions(resolved)),
  make: (resolved) => new GridWorld(resolved),
  makeVector: (resolved, numEnvs) => new GridWorldVector(resolved, numEnvs),
  observationSpace: (resolved) => gridWorldObservationSpace(resolveGridWorldOptions(resolved)),
  actionSpace: () => discrete(NUM_ACTIONS),
};

function makeSpec(options: GridWorldOptions): CoreSpec {
  return {
    id: GRIDWORLD_ID,
    options: asRecord(options),
    observationSpace: gridWorldObservationSpace(options),
    actionSpace: discrete(NUM_ACTIONS),
    maxEpisodeSteps: options.maxEpisodeSteps,
  };
}

function renderOne(batch: GridWorldBatch, i: number, mode: RenderMode): string | GridState {
  if (mode === 'ansi') return batch.ansi(i);
  if (mode === 'state') return batch.state(i);
  if (mode === 'draw') throw new EnvError(ErrorCode.BAD_REQUEST, `mode: ${GRIDWORLD_ID} defines no draw list (its "state" is the board)`);
  throw new EnvError(ErrorCode.BAD_REQUEST, `mode: expected "ansi", "state" or "draw", got ${describeValue(mode)}`);
}

function asRecord(options: GridWorldOptions): Record<string, unknown> {
  return { ...options, rewards: { ...options.rewards }, ...(options.layout ? { layout: [...options.layout] } : {}) };
}
