/**
 * The environment contract, declared once for every side: the in-process environments of `@rlfs/envs` narrow it
 * (synchronous results, preallocated buffers), the protocol's `RemoteEnv`/`RemoteVectorEnv` implement it over the
 * socket (results are promises), and the agents' runner and the env checker take it. Renaming a field here breaks
 * the typecheck wherever it matters.
 */
import type { EnvSpec, EpisodeStats, RenderMode, StepInfo } from './messages';
import type { TypedArray } from './packed';

export type MaybePromise<T> = T | Promise<T>;

/** Arguments of a reset: `seed` seeds the environment's own generator (without it the stream continues). */
export interface ResetArgs {
  seed?: number;
  /** Environment-specific reset options (GridWorld-v0 and defineEnv environments define none). */
  options?: Record<string, unknown>;
}

/** What every side knows of an environment: the `made` spec without `encoding` (a transport concern). */
export type EnvSpecView = Omit<EnvSpec, 'encoding'> & { encoding?: EnvSpec['encoding'] };

export interface EnvResetResult<O = TypedArray> {
  observation: O;
  info: StepInfo;
}

export interface EnvStepResult<O = TypedArray> {
  observation: O;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: StepInfo;
}

/** A sub-env whose episode ended in the last vector step (it has already been reset). */
export interface EndedEpisodeInfo<O = TypedArray> {
  index: number;
  /** The last observation of the episode that ended. */
  finalObservation: O;
  episode: EpisodeStats;
  terminated: boolean;
}

/** One environment, Gymnasium style. */
export interface Env<O = TypedArray> {
  readonly spec: EnvSpecView;
  reset(args?: ResetArgs): MaybePromise<EnvResetResult<O>>;
  /** Throws (or rejects) RESET_NEEDED after the episode ended and INVALID_ACTION for an action outside the space. */
  step(action: number): MaybePromise<EnvStepResult<O>>;
  render(mode: RenderMode): MaybePromise<unknown>;
  close(): MaybePromise<void>;
}

/**
 * N environments stepped together with same-step autoreset. The result fields are read after each awaited call
 * and may be new arrays every time (remote) or the same buffers overwritten (in-process): copy what you keep.
 */
export interface VectorEnv<O = TypedArray> {
  readonly spec: EnvSpecView;
  readonly numEnvs: number;
  /** `[numEnvs * obsSize]`, row-major: sub-env i at `i * obsSize`. */
  readonly observations: O;
  readonly rewards: ArrayLike<number>;
  /** 1 where the sub-env's episode ended this step by reaching a terminal state. */
  readonly terminated: ArrayLike<number>;
  /** 1 where the sub-env's episode ended this step by the time limit. */
  readonly truncated: ArrayLike<number>;
  /** Sub-envs whose episode ended in the last step (already autoreset), in index order. */
  readonly ended: readonly EndedEpisodeInfo<O>[];
  reset(args?: ResetArgs): MaybePromise<void>;
  step(actions: ArrayLike<number>): MaybePromise<void>;
  /** The per-env info of the last reset or step, where the transport keeps it (empty in packed remote sessions). */
  infoAt(index: number): StepInfo;
  render(mode: RenderMode): MaybePromise<unknown[]>;
  close(): MaybePromise<void>;
}
