/**
 * The Gym-style environment API of the pure core: synchronous, no I/O, no sockets.
 * The server wraps these; agents can import them directly to train in-process.
 */
import type {
  Cell,
  DrawList,
  EndedEpisodeInfo,
  Env as EnvContract,
  EnvResetResult,
  EnvSpecView,
  EnvStepResult,
  RenderMode,
  ResetArgs,
  Space,
  StepInfo,
  TypedArray,
  VectorEnv as VectorEnvContract,
} from '@rlfs/protocol';
import type { EndedRecords } from './ended-records';

/** Observations are typed arrays whose dtype and length follow the observation space. */
export type Observation = TypedArray;

/** The spec of an in-process environment: the wire spec without `encoding` (a transport concern). */
export type CoreSpec = EnvSpecView;

export type { ResetArgs };
export type ResetResult = EnvResetResult<Observation>;
export type StepResult = EnvStepResult<Observation>;

/**
 * One environment: the contract of `@rlfs/protocol`, synchronous. `observation`s returned are fresh copies the
 * caller may keep.
 */
export interface Env extends EnvContract {
  readonly spec: CoreSpec;
  reset(args?: ResetArgs): ResetResult;
  step(action: number): StepResult;
  /** `ansi`: a string; `state`: the environment's render state (GridWorld: `{size, agent, goal, obstacles}`). */
  render(mode: RenderMode): unknown;
  /** The current draw list; present only on environments that define one (spectator frames carry it). */
  readonly draw?: () => DrawList;
  close(): void;
}

/**
 * N sub-environments stepped together with same-step autoreset: the contract of `@rlfs/protocol`, synchronous.
 * Results are written into preallocated buffers owned by the vector env and overwritten by the next call: copy
 * what you keep.
 */
export interface VectorEnv extends VectorEnvContract {
  readonly spec: CoreSpec;
  readonly numEnvs: number;
  /** `[numEnvs * obsSize]`, row-major: sub-env i at `i * obsSize`. */
  readonly observations: Observation;
  readonly rewards: Float64Array;
  /** 1 where the sub-env's episode ended this step by reaching a terminal state. */
  readonly terminated: Uint8Array;
  /** 1 where the sub-env's episode ended this step by the time limit. */
  readonly truncated: Uint8Array;
  /** Sub-envs whose episode ended in the last step (already autoreset), in index order. */
  readonly ended: readonly EndedInfo[];
  /**
   * The same episodes as typed columns, when the env keeps them so (ours do): reading these instead of `ended`
   * builds no object (the server's packed reply does).
   */
  readonly endedRecords?: EndedRecords;
  /** When true, `ended` entries carry `finalState` (costs an object per ended episode; servers set it while watched). */
  recordFinalStates: boolean;
  reset(args?: ResetArgs): void;
  /** Validates every action first (throws InvalidActionError, changing nothing), then steps all sub-envs. */
  step(actions: ArrayLike<number>): void;
  /** The plain per-env info of the last reset or step, built on demand (not on the hot path). */
  infoAt(index: number): StepInfo;
  render(mode: RenderMode): unknown[];
  /** Render state of one sub-env (for spectator frames). */
  stateAt(index: number): unknown;
  /** Draw list of one sub-env; present only on environments that define one. */
  readonly drawAt?: (index: number) => DrawList;
  close(): void;
}

export interface EndedInfo extends EndedEpisodeInfo<Observation> {
  /** BFS moves of the episode that ended (its `reset` info), for spectators' `episode` events. */
  shortestPath?: number;
  /** The render state at the end of the episode, kept only while `recordFinalStates` is on (spectators' last frame). */
  finalState?: unknown;
  /** The draw list at the end of the episode, kept like `finalState` (environments with a draw list only). */
  finalDraw?: DrawList;
}

/** What the registry knows of an environment id. */
export interface EnvEntry {
  id: string;
  /** Validates options (throwing InvalidOptionsError naming the option) and returns them with defaults resolved. */
  resolveOptions(options: Record<string, unknown> | undefined): Record<string, unknown>;
  /** Bytes one sub-env holds for these resolved options, so servers can refuse a `make` before allocating. */
  bytesPerEnv(resolved: Record<string, unknown>): number;
  make(resolved: Record<string, unknown>): Env;
  makeVector(resolved: Record<string, unknown>, numEnvs: number): VectorEnv;
  observationSpace(resolved: Record<string, unknown>): Space;
  actionSpace(resolved: Record<string, unknown>): Space;
}

export type { Cell };
