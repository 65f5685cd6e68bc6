/**
 * One agent session: an environment (scalar or vector) made by `make`, its counters, and the replies it builds
 * in the session's encoding. Spectator frames are built here only when someone watches.
 */
import type { DrawList, EnvSpec, GridState, RenderMode, ResetResult as ResetReply, Space, StepInfo, StepResult as StepReply } from '@rlfs/protocol';
import { ErrorCode, dtypeOf, encode, pack } from '@rlfs/protocol';
import type { CoreSpec, EndedRecords, Env, EnvEntry, Observation, StepResult, VectorEnv } from '@rlfs/envs';
import { EnvError } from '@rlfs/envs';
import { PackedStepWriter } from './packed-reply';
import { RequestError, isInteger, isMap } from './request-error';
import type { SessionHistory } from './session-history';

export type Encoding = 'plain' | 'packed';

export interface SessionParams {
  id: string;
  name: string;
  entry: EnvEntry;
  options: Record<string, unknown>;
  numEnvs: number | undefined;
  seed: number | undefined;
  encoding: Encoding;
}

/** Receives what spectators see; called only while the session has subscribers. */
export interface SessionObserver {
  /** Some spectator subscribes: episode events are built (never dropped). */
  readonly watching: boolean;
  /** Some spectator keeps up: frames are built (a spectator that is behind would drop them). */
  readonly wantsFrames: boolean;
  frame(session: AgentSession, index: number, step: number, action: number | null, reward: number | null, terminated: boolean, truncated: boolean, state: GridState | unknown, draw?: DrawList): void;
  episode(session: AgentSession, index: number, episode: number, ret: number, length: number, terminated: boolean, shortestPath: number | undefined): void;
  /** The session's run so far, for spectators who subscribe later: every ended episode enters it, watched or not. */
  readonly history: SessionHistory;
}

export class AgentSession {
  readonly id: string;
  readonly name: string;
  readonly envId: string;
  readonly numEnvs: number | undefined;
  readonly encoding: Encoding;
  readonly spec: EnvSpec;
  episodes = 0;
  steps = 0;
  private readonly env: Env | undefined;
  private readonly vec: VectorEnv | undefined;
  private pendingSeed: number | undefined;
  private everReset = false;
  private readonly episodeSteps: Int32Array;
  private readonly shortestPaths: Int32Array;
  private readonly obsShape: number[];
  private readonly actionBuffer: Int32Array;
  /** Writes packed vector step replies into one reused buffer (packed vector sessions only). */
  private readonly packedWriter: PackedStepWriter | undefined;
  private readonly entry: EnvEntry;
  private readonly options: Record<string, unknown>;
  /** Encoded bytes of one sub-env's render, by mode, measured on a sample env. */
  private readonly renderSample = new Map<string, number>();
  /** Scalar: an episode has been reset and has not ended. Vector: reset once (sub-envs autoreset for ever after). */
  private episodeOpen = false;
  /** While the server drains: 1 for each sub-env whose episode, running when the drain began, has not ended yet. */
  private drainWait: Uint8Array | undefined;
  private drainLeft = 0;

  constructor(params: SessionParams, private readonly observer: SessionObserver) {
    this.id = params.id;
    this.name = params.name;
    this.envId = params.entry.id;
    this.numEnvs = params.numEnvs;
    this.encoding = params.encoding;
    this.pendingSeed = params.seed;
    this.entry = params.entry;
    this.options = params.options;
    if (params.numEnvs === undefined) this.env = params.entry.make(params.options);
    else this.vec = params.entry.makeVector(params.options, params.numEnvs);
    const core: CoreSpec = (this.env ?? this.vec)!.spec;
    this.spec = { ...core, ...(params.numEnvs === undefined ? {} : { numEnvs: params.numEnvs }), encoding: params.encoding };
    const space = core.observationSpace;
    this.obsShape = space.type === 'Box' ? space.shape : [];
    const n = params.numEnvs ?? 1;
    this.episodeSteps = new Int32Array(n);
    this.shortestPaths = new Int32Array(n).fill(-1);
    this.actionBuffer = new Int32Array(n);
    if (this.vec && params.encoding === 'packed') {
      const obs = this.vec.observations;
      this.packedWriter = new PackedStepWriter(n, dtypeOf(obs), this.obsShape, obs.BYTES_PER_ELEMENT);
    }
  }

  /** `reset {seed?, options?}`: returns the reply body (without type and id). */
  reset(seed: unknown, options: unknown): Omit<ResetReply, 'id' | 'type'> {
    if (seed !== undefined) checkSeed(seed, this.numEnvs ?? 1);
    if (options !== undefined && !isMap(options)) throw new RequestError(ErrorCode.INVALID_OPTIONS, 'options: expected a map of reset options');
    const useSeed = seed ?? this.pendingSeed;
    const args = { ...(useSeed === undefined ? {} : { seed: useSeed as number }), ...(options === undefined ? {} : { options }) };
    return guard(() => {
      // The env validates its reset options before changing anything; the session's own state changes only after.
      if (this.env) {
        const result = this.env.reset(args);
        this.resetDone();
        this.shortestPaths[0] = result.info.shortestPath ?? -1;
        if (this.observer.wantsFrames) this.observer.frame(this, 0, 0, null, null, false, false, this.env.render('state'), this.env.draw?.());
        return { observation: this.observation(result.observation, this.obsShape), info: result.info };
      }
      const vec = this.vec!;
      vec.reset(args);
      this.resetDone();
      const infos: StepInfo[] = [];
      for (let i = 0; i < vec.numEnvs; i++) {
        const info = vec.infoAt(i);
        infos.push(info);
        this.shortestPaths[i] = info.shortestPath ?? -1;
      }
      if (this.observer.wantsFrames) for (let i = 0; i < vec.numEnvs; i++) this.observer.frame(this, i, 0, null, null, false, false, vec.stateAt(i), vec.drawAt?.(i));
      return { observation: this.vectorObservation(vec), info: infos };
    });
  }

  /**
   * `step {action}` (action already present): returns the `step_result` (without id), or in a packed vector session the writer
   * holding the encoded reply (the connection finishes it with the id).
   */
  step(action: unknown): Omit<StepReply, 'id'> | PackedStepWriter {
    if (!this.everReset) throw new RequestError(ErrorCode.RESET_NEEDED, 'step before the first reset: send reset first');
    return this.env ? this.stepScalar(action) : this.stepVector(action);
  }

  /** `render {mode}`; refused (BAD_REQUEST) without building it when the reply would exceed `maxReplyBytes`. */
  render(mode: RenderMode, maxReplyBytes: number): unknown {
    if (!this.everReset) throw new RequestError(ErrorCode.RESET_NEEDED, 'render before the first reset: send reset first');
    const bytes = guard(() => this.renderBytes(mode));
    if (bytes > maxReplyBytes) {
      throw new RequestError(
        ErrorCode.BAD_REQUEST,
        `render: a ${mode} render of ${this.numEnvs ?? 1} envs would be about ${mib(bytes)} MiB, above the server's maxReplyBytes of ${mib(maxReplyBytes)} MiB (--max-reply-bytes); watch it as a spectator, or use fewer envs`,
      );
    }
    return guard(() => (this.env ? this.env.render(mode) : this.vec!.render(mode)));
  }

  /**
   * Estimated bytes of a `render` reply: one sub-env rendered by a sample env of the same options (made once per
   * mode, on the first render), times the sub-envs, with room to spare for worlds that differ between resets.
   */
  private renderBytes(mode: RenderMode): number {
    const n = this.numEnvs ?? 1;
    if (n === 1) return 0; // one sub-env: bounded by the env's own options
    let perEnv = this.renderSample.get(mode);
    if (perEnv === undefined) {
      const sample = this.entry.make(this.options);
      sample.reset({ seed: 0 });
      perEnv = encode({ frame: sample.render(mode) }).byteLength;
      sample.close();
      this.renderSample.set(mode, perEnv);
    }
    return Math.ceil(n * perEnv * 1.25) + 64;
  }

  /** The render state of sub-env `index`, for a spectator that just subscribed. */
  stateAt(index: number): unknown {
    if (!this.everReset) return undefined;
    return this.env ? this.env.render('state') : this.vec!.stateAt(index);
  }

  close(): void {
    (this.env ?? this.vec)!.close();
  }

  /**
   * The server starts draining: from now on, {@link drained} says whether every episode running at this moment has
   * ended (a vector session: each sub-env has ended the episode it was in; the ones autoreset after are not waited for).
   */
  beginDrain(): void {
    const n = this.numEnvs ?? 1;
    this.drainLeft = this.episodeOpen ? n : 0;
    this.drainWait = this.episodeOpen ? new Uint8Array(n).fill(1) : undefined;
  }

  /** True once no episode that was running when the drain began is still running. */
  get drained(): boolean {
    return this.drainLeft === 0;
  }

  private stepScalar(action: unknown): Omit<StepReply, 'id'> {
    const env = this.env!;
    // try/catch rather than guard(): no closure per step on the hot path
    let result: StepResult;
    try {
      result = env.step(action as number);
    } catch (err) {
      throw toRequestError(err);
    }
    this.steps++;
    this.episodeSteps[0]++;
    const done = result.terminated || result.truncated;
    if (this.observer.wantsFrames) {
      this.observer.frame(this, 0, this.episodeSteps[0]!, action as number, result.reward, result.terminated, result.truncated, env.render('state'), env.draw?.());
    }
    if (done) this.endEpisode(0, result.info.episode?.return ?? 0, result.info.episode?.length ?? this.episodeSteps[0]!, result.terminated);
    return {
      type: 'step_result',
      observation: this.observation(result.observation, this.obsShape),
      reward: result.reward,
      terminated: result.terminated,
      truncated: result.truncated,
      info: result.info,
    };
  }

  private stepVector(action: unknown): Omit<StepReply, 'id'> | PackedStepWriter {
    const vec = this.vec!;
    const actions = readVectorAction(action, vec.numEnvs, this.actionBuffer);
    const watching = this.observer.wantsFrames;
    vec.recordFinalStates = watching;
    try {
      vec.step(actions);
    } catch (err) {
      throw toRequestError(err);
    }
    const n = vec.numEnvs;
    this.steps += n;
    const records = vec.endedRecords;
    if (records && !watching) this.countEndedFromRecords(vec, records);
    else this.countEnded(vec, actions, watching);
    if (this.packedWriter) return this.packedWriter.write(vec);
    const infos: StepInfo[] = new Array(n);
    const terminated: boolean[] = new Array(n);
    const truncated: boolean[] = new Array(n);
    for (let i = 0; i < n; i++) {
      infos[i] = vec.infoAt(i);
      terminated[i] = vec.terminated[i] === 1;
      truncated[i] = vec.truncated[i] === 1;
    }
    for (const e of vec.ended) {
      infos[e.index] = { ...infos[e.index], finalObservation: Array.from(e.finalObservation), episode: e.episode };
    }
    return { type: 'step_result', observation: this.vectorObservation(vec), reward: Array.from(vec.rewards), terminated, truncated, info: infos };
  }

  /** Unwatched: episode counts from the env's columns (no object per ended episode). */
  private countEndedFromRecords(vec: VectorEnv, records: EndedRecords): void {
    const n = vec.numEnvs;
    for (let i = 0; i < n; i++) this.episodeSteps[i]++;
    for (let k = 0; k < records.count; k++) {
      const i = records.index[k]!;
      const shortest = records.shortestPath[k]!;
      this.endEpisode(i, records.returns[k]!, records.lengths[k]!, records.terminated[k] === 1, shortest >= 0 ? shortest : undefined);
      // An env that reports each ended episode's shortest path needs no per-env info object built here.
      if (shortest < 0) this.shortestPaths[i] = vec.infoAt(i).shortestPath ?? -1;
    }
  }

  /** Episode counts and, when watched, every sub-env's frame, in sub-env order. */
  private countEnded(vec: VectorEnv, actions: ArrayLike<number>, watching: boolean): void {
    const n = vec.numEnvs;
    const ended = vec.ended;
    let next = 0;
    for (let i = 0; i < n; i++) {
      this.episodeSteps[i]++;
      const endedHere = next < ended.length && ended[next]!.index === i ? ended[next++]! : undefined;
      if (watching) {
        const state = endedHere?.finalState ?? vec.stateAt(i);
        const draw = endedHere ? endedHere.finalDraw : vec.drawAt?.(i);
        this.observer.frame(this, i, this.episodeSteps[i]!, actions[i]!, vec.rewards[i]!, vec.terminated[i] === 1, vec.truncated[i] === 1, state, draw);
      }
      if (endedHere) {
        this.endEpisode(i, endedHere.episode.return, endedHere.episode.length, endedHere.terminated, endedHere.shortestPath);
        // An env that reports each ended episode's shortest path needs no per-env info object built here.
        if (endedHere.shortestPath === undefined) this.shortestPaths[i] = vec.infoAt(i).shortestPath ?? -1;
        if (watching) this.observer.frame(this, i, 0, null, null, false, false, vec.stateAt(i), vec.drawAt?.(i));
      }
    }
  }

  private resetDone(): void {
    this.pendingSeed = undefined;
    this.everReset = true;
    this.episodeOpen = true;
    this.episodeSteps.fill(0);
  }

  private endEpisode(index: number, ret: number, length: number, terminated: boolean, shortestPath?: number): void {
    this.episodes++;
    if (this.env) this.episodeOpen = false;
    if (this.drainWait !== undefined && this.drainWait[index] === 1) {
      this.drainWait[index] = 0;
      this.drainLeft--;
    }
    const shortest = shortestPath ?? this.shortestPaths[index]!;
    this.episodeSteps[index] = 0;
    this.observer.history.episode(this.episodes, this.steps, ret, length, shortest >= 0 ? shortest : undefined);
    if (this.observer.watching) this.observer.episode(this, index, this.episodes, ret, length, terminated, shortest >= 0 ? shortest : undefined);
  }

  private observation(obs: Observation, shape: number[]): unknown {
    return this.encoding === 'packed' ? pack(obs, shape) : Array.from(obs);
  }

  private vectorObservation(vec: VectorEnv): unknown {
    if (this.encoding === 'packed') return pack(vec.observations, [vec.numEnvs, ...this.obsShape]);
    const size = vec.observations.length / vec.numEnvs;
    const rows: number[][] = new Array(vec.numEnvs);
    for (let i = 0; i < vec.numEnvs; i++) rows[i] = Array.from(vec.observations.subarray(i * size, (i + 1) * size));
    return rows;
  }
}

/** Worst-case MessagePack bytes of one observation element in a plain reply, by the observation's dtype. */
const PLAIN_BYTES: Record<string, number> = { int8: 2, uint8: 2, int16: 3, int32: 5, float32: 9, float64: 9 };
/** Bytes of one sub-env's plain `info` beyond its final observation (agent, goal, hitWall, episode, keys). */
const INFO_BYTES = 128;

/**
 * Worst-case bytes of the largest plain-valued reply of a session (a plain `reset` or `step`, or the `info` list of a
 * packed `reset`), known from the spec before anything is made: every sub-env may end its episode in the same step,
 * so each can carry a final observation beside its new one.
 */
export function plainReplyBytes(spec: { observationSpace: Space }, numEnvs: number | undefined, encoding: Encoding): number {
  const space = spec.observationSpace;
  const elements = space.type === 'Box' ? space.shape.reduce((a, b) => a * b, 1) : 1;
  const perElement = space.type === 'Box' ? PLAIN_BYTES[space.dtype] ?? 9 : 5;
  const n = numEnvs ?? 1;
  if (encoding === 'packed') return n * INFO_BYTES + 256;
  return n * (2 * elements * perElement + INFO_BYTES) + 256;
}

/** `seed`: a non-negative integer with `seed + numEnvs - 1` below 2^32. */
export function checkSeed(seed: unknown, numEnvs: number): void {
  if (!isInteger(seed) || seed < 0) throw new RequestError(ErrorCode.INVALID_OPTIONS, `seed: expected a non-negative integer, got ${show(seed)}`);
  if (seed + numEnvs - 1 >= 2 ** 32) {
    throw new RequestError(ErrorCode.INVALID_OPTIONS, `seed: seed + numEnvs - 1 must be below 2^32 (seed ${seed}, numEnvs ${numEnvs})`);
  }
}

/** A vector action: a plain array or a packed integer array of shape [numEnvs]; checked fully before any step. */
function readVectorAction(action: unknown, numEnvs: number, into: Int32Array): ArrayLike<number> {
  if (Array.isArray(action)) {
    if (action.length !== numEnvs) throw new RequestError(ErrorCode.INVALID_ACTION, `action: expected a list of ${numEnvs} actions, got ${action.length}`);
    return action as number[];
  }
  if (isMap(action)) {
    const { dtype, shape, data } = action;
    if (dtype !== 'int8' && dtype !== 'uint8' && dtype !== 'int16' && dtype !== 'int32') {
      throw new RequestError(ErrorCode.INVALID_ACTION, `action: a packed action must have an integer dtype (int8 uint8 int16 int32), got ${show(dtype)}`);
    }
    if (!Array.isArray(shape) || shape.length !== 1 || shape[0] !== numEnvs) {
      throw new RequestError(ErrorCode.INVALID_ACTION, `action: a packed action must have shape [${numEnvs}], got ${Array.isArray(shape) ? `[${shape.join(', ')}]` : show(shape)}`);
    }
    if (!(data instanceof Uint8Array)) throw new RequestError(ErrorCode.INVALID_ACTION, 'action: packed data must be MessagePack bin');
    const size = dtype === 'int32' ? 4 : dtype === 'int16' ? 2 : 1;
    if (data.byteLength !== numEnvs * size) {
      throw new RequestError(ErrorCode.INVALID_ACTION, `action: packed data has ${data.byteLength} bytes, shape [${numEnvs}] of ${dtype} needs ${numEnvs * size}`);
    }
    return readPacked(data, dtype, numEnvs, into);
  }
  throw new RequestError(ErrorCode.INVALID_ACTION, `action: a vector session takes a list of ${numEnvs} actions or a packed integer array, got ${show(action)}`);
}

function readPacked(data: Uint8Array, dtype: 'int8' | 'uint8' | 'int16' | 'int32', n: number, out: Int32Array): ArrayLike<number> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < n; i++) {
    out[i] = dtype === 'int32' ? view.getInt32(i * 4, true) : dtype === 'int16' ? view.getInt16(i * 2, true) : dtype === 'int8' ? view.getInt8(i) : view.getUint8(i);
  }
  return out;
}

/** Runs core code, turning its EnvErrors into request errors with the same code and message. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toRequestError(err);
  }
}

/** An EnvError as the request error with the same code and message; anything else unchanged. */
function toRequestError(err: unknown): unknown {
  return err instanceof EnvError ? new RequestError(err.code, err.message) : err;
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'nil';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'bin';
  return 'a map';
}
