/**
 * Remote environments with the same Gym-style shape as the in-process ones, every method async:
 * code that awaits `reset` and `step` runs unchanged against either. Observations arrive as typed arrays
 * of the observation space's dtype, whichever encoding the session uses.
 */
import type { Client, MakeArgs } from './client';
import type { EndedEpisodeInfo, Env, EnvResetResult, EnvStepResult, ResetArgs, VectorEnv } from './env-contract';
import { RemoteError, ErrorCode } from './errors';
import type { EndedEpisode, EnvSpec, GridState, PackedArray, RenderMode, Space, StepInfo } from './messages';
import { pack, unpack, looksPacked } from './packed';
import type { TypedArray } from './packed';

/** The contract's results and ended info, with typed-array observations. */
export type RemoteResetResult = EnvResetResult;
export type RemoteStepResult = EnvStepResult;
export type RemoteEndedInfo = EndedEpisodeInfo;

/** One remote environment (a scalar session). */
export class RemoteEnv implements Env {
  private constructor(
    readonly client: Client,
    readonly session: string,
    readonly spec: EnvSpec,
  ) {}

  /** Makes a scalar session on `client` (which must be an agent connection without a session). */
  static async make(client: Client, args: Omit<MakeArgs, 'numEnvs'>): Promise<RemoteEnv> {
    const made = await client.make(args);
    return new RemoteEnv(client, made.session, made.spec);
  }

  async reset(args: ResetArgs = {}): Promise<RemoteResetResult> {
    const reply = await this.client.reset(args);
    return { observation: toObservation(reply.observation, this.spec.observationSpace), info: reply.info as StepInfo };
  }

  async step(action: number): Promise<RemoteStepResult> {
    const reply = await this.client.step(action);
    return {
      observation: toObservation(reply.observation, this.spec.observationSpace),
      reward: reply.reward as number,
      terminated: reply.terminated as boolean,
      truncated: reply.truncated as boolean,
      info: (reply.info ?? {}) as StepInfo,
    };
  }

  async render(mode: RenderMode): Promise<string | GridState> {
    return (await this.client.render(mode)).frame as string | GridState;
  }

  /** Ends the session; the connection stays open. */
  async close(): Promise<void> {
    if (this.client.closed) return;
    await this.client.closeSession();
  }
}

/**
 * N remote sub-environments (a vector session), mirroring the in-process VectorEnv: after `await step(actions)`
 * read `observations`, `rewards`, `terminated`, `truncated` and `ended`. The buffers are overwritten by the next call.
 */
export class RemoteVectorEnv implements VectorEnv {
  observations: TypedArray;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  ended: RemoteEndedInfo[] = [];
  private infos: StepInfo[] = [];
  private readonly obsSize: number;
  /** Actions of a packed step: uint8 when every action fits (a quarter of int32's bytes), else int32. */
  private readonly packedActions: Uint8Array | Int32Array;
  private readonly packedAction: PackedArray;

  private constructor(
    readonly client: Client,
    readonly session: string,
    readonly spec: EnvSpec,
    readonly numEnvs: number,
  ) {
    this.obsSize = spaceSize(spec.observationSpace);
    this.observations = allocate(spec.observationSpace, numEnvs * this.obsSize);
    this.rewards = new Float64Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    const actionSpace = spec.actionSpace;
    this.packedActions = actionSpace.type === 'Discrete' && actionSpace.n <= 256 ? new Uint8Array(numEnvs) : new Int32Array(numEnvs);
    this.packedAction = pack(this.packedActions);
  }

  static async make(client: Client, args: MakeArgs & { numEnvs: number }): Promise<RemoteVectorEnv> {
    const made = await client.make(args);
    return new RemoteVectorEnv(client, made.session, made.spec, made.spec.numEnvs ?? args.numEnvs);
  }

  get packed(): boolean {
    return this.spec.encoding === 'packed';
  }

  async reset(args: ResetArgs = {}): Promise<void> {
    const reply = await this.client.reset(args);
    this.readObservations(reply.observation);
    this.infos = reply.info as StepInfo[];
    this.rewards.fill(0);
    this.terminated.fill(0);
    this.truncated.fill(0);
    this.ended = [];
  }

  /** Steps every sub-env; in a packed session the actions travel as one packed int32 array. */
  async step(actions: ArrayLike<number>): Promise<void> {
    const wire = this.packed ? this.packActions(actions) : Array.from(actions);
    const reply = await this.client.step(wire);
    this.readObservations(reply.observation);
    readNumbers(reply.reward, this.rewards);
    readNumbers(reply.terminated, this.terminated);
    readNumbers(reply.truncated, this.truncated);
    this.ended = [];
    if (this.packed) {
      this.infos = [];
      for (const item of reply.ended ?? []) this.ended.push(this.endedFromPacked(item));
    } else {
      this.infos = reply.info as StepInfo[];
      for (let i = 0; i < this.numEnvs; i++) {
        const info = this.infos[i];
        if (info?.episode && info.finalObservation !== undefined) {
          this.ended.push({ index: i, finalObservation: toObservation(info.finalObservation, this.spec.observationSpace), episode: info.episode, terminated: this.terminated[i] === 1 });
        }
      }
    }
  }

  /** The plain info of sub-env i from the last reply (empty in packed step replies, which carry none). */
  infoAt(index: number): StepInfo {
    return this.infos[index] ?? {};
  }

  async render(mode: RenderMode): Promise<Array<string | GridState>> {
    return (await this.client.render(mode)).frame as Array<string | GridState>;
  }

  async close(): Promise<void> {
    if (this.client.closed) return;
    await this.client.closeSession();
  }

  /** The actions as the reused packed array, or as a plain list when some value does not fit it (the server says why). */
  private packActions(actions: ArrayLike<number>): PackedArray | number[] {
    const out = this.packedActions;
    const mask = out instanceof Uint8Array ? 0xff : -1;
    if (actions.length !== this.numEnvs) return Array.from(actions);
    for (let i = 0; i < this.numEnvs; i++) {
      const a = actions[i]!;
      if ((a & mask) !== a) return Array.from(actions);
      out[i] = a;
    }
    return this.packedAction;
  }

  private readObservations(value: unknown): void {
    if (looksPacked(value)) {
      const arr = unpack(value);
      if (arr.length !== this.observations.length) throw unexpected(`observation of ${arr.length} values, expected ${this.observations.length}`);
      this.observations.set(arr);
      return;
    }
    const rows = value as ArrayLike<number>[];
    for (let i = 0; i < rows.length; i++) this.observations.set(rows[i]!, i * this.obsSize);
  }

  private endedFromPacked(item: EndedEpisode): RemoteEndedInfo {
    return {
      index: item.index,
      finalObservation: unpack(item.finalObservation),
      episode: item.episode,
      terminated: this.terminated[item.index] === 1,
    };
  }
}

/** Converts a plain or packed observation into a typed array of the space's dtype. */
export function toObservation(value: unknown, space: Space): TypedArray {
  if (looksPacked(value)) return unpack(value);
  const values = value as ArrayLike<number>;
  const out = allocate(space, values.length);
  out.set(values);
  return out;
}

/** Number of values in one observation of `space`. */
export function spaceSize(space: Space): number {
  return space.type === 'Box' ? space.shape.reduce((a, b) => a * b, 1) : 1;
}

function allocate(space: Space, length: number): TypedArray {
  const dtype = space.type === 'Box' ? space.dtype : 'int32';
  switch (dtype) {
    case 'int8': return new Int8Array(length);
    case 'uint8': return new Uint8Array(length);
    case 'int16': return new Int16Array(length);
    case 'int32': return new Int32Array(length);
    case 'float32': return new Float32Array(length);
    default: return new Float64Array(length);
  }
}

function readNumbers(value: unknown, into: Float64Array | Uint8Array): void {
  if (looksPacked(value)) {
    into.set(unpack(value));
    return;
  }
  const list = value as ArrayLike<number | boolean>;
  for (let i = 0; i < into.length; i++) into[i] = Number(list[i]);
}

function unexpected(what: string): RemoteError {
  return new RemoteError(ErrorCode.BAD_FRAME, `unexpected reply: ${what}`);
}
