/**
 * The scalar `Env` and the `VectorEnv` of any `defineEnv` definition. Both drive the same `Slot` code (one
 * sub-env: its generator, its state, its episode counters), so vector sub-env i seeded `seed + i` equals a scalar
 * env seeded `seed + i` by construction. The time limit (`maxEpisodeSteps`) is applied here: an episode that has
 * not terminated after that many steps is truncated.
 */
import type { BoxSpace, DiscreteSpace, RenderMode, StepInfo, TypedArray } from '@rlfs/protocol';
import { ErrorCode } from '@rlfs/protocol';
import type { CoreSpec, EndedInfo, Env, Observation, ResetArgs, ResetResult, StepResult, VectorEnv } from './core';
import type { EnvDefinition, ResolvedOptions } from './define-env';
import type { DrawList } from './draw';
import { EndedRecords } from './ended-records';
import { describeValue, EnvError, InvalidActionError, ResetNeededError } from './errors';
import type { OptionsSchema } from './option-schema';
import { checkDiscreteAction, checkResetArgs } from './reset-args';
import { randomSeed, Rng } from './rng';
import { flatSize } from './spaces';

/** What `defineEnv` resolved once for an env: options, spaces. */
export interface BuiltSpec<S extends OptionsSchema> {
  options: ResolvedOptions<S>;
  observationSpace: BoxSpace;
  actionSpace: DiscreteSpace;
}

type AnyDefinition = EnvDefinition<OptionsSchema, unknown>;
/** Observations of at most this many numbers are copied element by element. */
const SMALL_OBSERVATION = 64;

const TYPED: Record<BoxSpace['dtype'], new (n: number) => TypedArray> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** One sub-env: its own generator, its state and its episode's counters. */
class Slot {
  readonly rng = new Rng(0);
  state: unknown = undefined;
  steps = 0;
  return = 0;
  reward = 0;
  terminated = false;
  truncated = false;

  constructor(
    private readonly def: AnyDefinition,
    private readonly options: ResolvedOptions<OptionsSchema>,
  ) {}

  reset(): void {
    this.state = this.def.reset(this.rng, this.options, this.state);
    this.steps = 0;
    this.return = 0;
  }

  step(action: number): void {
    const out = this.def.step(this.state, action, this.rng, this.options);
    const reward = out.reward;
    this.steps += 1;
    this.return += reward;
    this.reward = reward;
    this.terminated = out.terminated === true;
    this.truncated = !this.terminated && (out.truncated === true || this.steps >= this.options.maxEpisodeSteps);
  }

  /** Writes the observation into `out` at `offset`, checking its length (a definition bug, named). */
  observeInto(out: TypedArray, offset: number, size: number): void {
    const obs = this.def.observe(this.state, this.options);
    if (obs.length !== size) throw new Error(`${this.def.id}: observe returned ${obs.length} numbers, the observation space has ${size}`);
    // A few numbers are copied faster by a loop than by TypedArray#set (a builtin call); the conversion is the same.
    if (size > SMALL_OBSERVATION) out.set(obs, offset);
    else for (let k = 0; k < size; k++) out[offset + k] = obs[k]!;
  }

  info(): StepInfo {
    return this.def.info ? { ...this.def.info(this.state, this.options) } : {};
  }

  render(mode: RenderMode, obsSize: number): unknown {
    const def = this.def;
    if (mode === 'state') return def.renderState ? def.renderState(this.state, this.options) : { observation: Array.from(def.observe(this.state, this.options)) };
    if (mode === 'ansi') return def.ansi ? def.ansi(this.state, this.options) : Array.from(def.observe(this.state, this.options)).slice(0, obsSize).join(' ');
    if ((mode as string) === 'draw') return this.draw();
    throw new EnvError(ErrorCode.BAD_REQUEST, `mode: expected "ansi", "state" or "draw", got ${describeValue(mode)}`);
  }

  draw(): DrawList {
    if (!this.def.draw) throw new EnvError(ErrorCode.BAD_REQUEST, `mode: ${this.def.id} defines no draw list`);
    return this.def.draw(this.state, this.options);
  }
}

function makeSpec<S extends OptionsSchema>(def: AnyDefinition, built: BuiltSpec<S>): CoreSpec {
  return {
    id: def.id,
    options: { ...built.options },
    observationSpace: built.observationSpace,
    actionSpace: built.actionSpace,
    maxEpisodeSteps: built.options.maxEpisodeSteps,
    ...(def.actions ? { actions: def.actions.map((a) => ({ name: a.name, keys: [...a.keys] })) } : {}),
  };
}

/** One environment of a definition. Observations returned are fresh copies; no autoreset. */
export class DefinedEnv implements Env {
  readonly spec: CoreSpec;
  readonly draw?: () => DrawList;
  private readonly slot: Slot;
  private readonly numActions: number;
  private readonly obsSize: number;
  private readonly Obs: new (n: number) => TypedArray;
  private seeded = false;
  private started = false;
  private running = false;

  constructor(
    private readonly def: EnvDefinition<OptionsSchema, unknown>,
    built: BuiltSpec<OptionsSchema>,
  ) {
    this.spec = makeSpec(def, built);
    this.slot = new Slot(def, built.options);
    this.numActions = built.actionSpace.n;
    this.obsSize = flatSize(built.observationSpace);
    this.Obs = TYPED[built.observationSpace.dtype];
    if (def.draw) {
      this.draw = () => {
        if (!this.started) throw new ResetNeededError('call reset() before draw()');
        return this.slot.draw();
      };
    }
  }

  /** Starts an episode. `seed` re-seeds the generator; without it the stream continues (drawn once if never seeded). */
  reset(args?: ResetArgs): ResetResult {
    const seed = checkResetArgs(args, 1, this.def.id);
    if (seed !== undefined || !this.seeded) {
      this.slot.rng.seed(seed ?? randomSeed(1));
      this.seeded = true;
    }
    this.slot.reset();
    this.started = true;
    this.running = true;
    return { observation: this.observation(), info: this.slot.info() };
  }

  step(action: number): StepResult {
    if (!this.running) throw new ResetNeededError(this.started ? 'the episode has ended: call reset() before step()' : 'call reset() before the first step()');
    checkDiscreteAction(action, this.numActions);
    const s = this.slot;
    s.step(action);
    const info = s.info();
    if (s.terminated || s.truncated) {
      info.episode = { return: s.return, length: s.steps };
      this.running = false;
    }
    return { observation: this.observation(), reward: s.reward, terminated: s.terminated, truncated: s.truncated, info };
  }

  render(mode: RenderMode): unknown {
    if (!this.started) throw new ResetNeededError('call reset() before render()');
    return this.slot.render(mode, this.obsSize);
  }

  close(): void {
    this.running = false;
  }

  private observation(): Observation {
    const out = new this.Obs(this.obsSize);
    this.slot.observeInto(out, 0, this.obsSize);
    return out;
  }
}

/** `numEnvs` environments of a definition with same-step autoreset; results land in preallocated buffers. */
export class DefinedVectorEnv implements VectorEnv {
  readonly spec: CoreSpec;
  readonly drawAt?: (index: number) => DrawList;
  readonly numEnvs: number;
  readonly observations: Observation;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly endedRecords: EndedRecords;
  recordFinalStates = false;
  private readonly slots: Slot[] = [];
  private readonly numActions: number;
  private readonly obsSize: number;
  private readonly Obs: new (n: number) => TypedArray;
  private seeded = false;
  private started = false;
  private lastWasStep = false;

  constructor(
    private readonly def: EnvDefinition<OptionsSchema, unknown>,
    built: BuiltSpec<OptionsSchema>,
    numEnvs: number,
  ) {
    if (typeof numEnvs !== 'number' || !Number.isInteger(numEnvs) || numEnvs < 1) {
      throw new EnvError(ErrorCode.INVALID_OPTIONS, `numEnvs: expected an integer >= 1, got ${describeValue(numEnvs)}`);
    }
    this.numEnvs = numEnvs;
    this.spec = { ...makeSpec(def, built), numEnvs };
    this.numActions = built.actionSpace.n;
    this.obsSize = flatSize(built.observationSpace);
    this.Obs = TYPED[built.observationSpace.dtype];
    this.observations = new this.Obs(numEnvs * this.obsSize);
    this.rewards = new Float64Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    this.endedRecords = new EndedRecords(numEnvs, this.obsSize, (length) => new this.Obs(length));
    for (let i = 0; i < numEnvs; i++) this.slots.push(new Slot(def, built.options));
    if (def.draw) {
      this.drawAt = (index) => {
        this.checkIndex(index);
        return this.slots[index]!.draw();
      };
    }
  }

  /** Built from `endedRecords` on first use after a step; a shared empty list when no episode ended. */
  get ended(): readonly EndedInfo[] {
    return this.endedRecords.ended();
  }

  /** Resets every sub-env; `seed` seeds sub-env i with `seed + i`. */
  reset(args?: ResetArgs): void {
    const seed = checkResetArgs(args, this.numEnvs, this.def.id);
    if (seed !== undefined || !this.seeded) {
      const base = seed ?? randomSeed(this.numEnvs);
      for (let i = 0; i < this.numEnvs; i++) this.slots[i]!.rng.seed(base + i);
      this.seeded = true;
    }
    this.clearEnded();
    for (let i = 0; i < this.numEnvs; i++) {
      const s = this.slots[i]!;
      s.reset();
      s.observeInto(this.observations, i * this.obsSize, this.obsSize);
    }
    this.rewards.fill(0);
    this.terminated.fill(0);
    this.truncated.fill(0);
    this.started = true;
    this.lastWasStep = false;
  }

  /** Validates every action (an integer `0 .. n-1`, `numEnvs` of them), then steps all sub-envs. */
  step(actions: ArrayLike<number>): void {
    if (!this.started) throw new ResetNeededError('call reset() before the first step()');
    const n = this.numEnvs;
    if (actions === null || typeof actions !== 'object' || actions.length !== n) {
      const got = actions !== null && typeof actions === 'object' && typeof actions.length === 'number' ? `${actions.length}` : describeValue(actions);
      throw new InvalidActionError(`action: expected ${n} actions (one per sub-env), got ${got}`);
    }
    const numActions = this.numActions;
    for (let i = 0; i < n; i++) {
      const a = actions[i];
      // (a >>> 0) === a holds for the integers 0 .. 2^32-1 only (5.0 is the number 5; strings, NaN, -1 fail): the
      // full check, and its message, only for what fails it.
      if ((a! >>> 0) !== a || a >= numActions) checkDiscreteAction(a, numActions, `action[${i}]`);
    }
    this.clearEnded();
    const { slots, rewards, terminated, truncated, observations, obsSize: size } = this;
    for (let i = 0; i < n; i++) {
      const s = slots[i]!;
      s.step(actions[i]!);
      rewards[i] = s.reward;
      terminated[i] = s.terminated ? 1 : 0;
      truncated[i] = s.truncated ? 1 : 0;
      s.observeInto(observations, i * size, size);
      if (s.terminated || s.truncated) this.autoreset(i);
    }
    this.lastWasStep = true;
  }

  infoAt(index: number): StepInfo {
    this.checkIndex(index);
    const info = this.slots[index]!.info();
    const k = this.endedRecords.recordOfEnv(index);
    if (this.lastWasStep && k >= 0) {
      const r = this.endedRecords;
      info.finalObservation = r.finalObservations.slice(k * r.obsSize, (k + 1) * r.obsSize);
      info.episode = { return: r.returns[k]!, length: r.lengths[k]! };
    }
    return info;
  }

  render(mode: RenderMode): unknown[] {
    if (!this.started) throw new ResetNeededError('call reset() before render()');
    return this.slots.map((s) => s.render(mode, this.obsSize));
  }

  stateAt(index: number): unknown {
    this.checkIndex(index);
    return this.slots[index]!.render('state', this.obsSize);
  }

  close(): void {
    this.started = false;
  }

  /** Records the episode that ended in sub-env i (its observation is still the final one), then resets it. */
  private autoreset(i: number): void {
    const s = this.slots[i]!;
    const size = this.obsSize;
    const at = i * size;
    this.endedRecords.record(i, this.observations, at, s.return, s.steps, s.terminated, -1);
    if (this.recordFinalStates) this.endedRecords.recordFinalState(s.render('state', size), this.def.draw ? s.draw() : undefined);
    s.reset();
    s.observeInto(this.observations, at, size);
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
