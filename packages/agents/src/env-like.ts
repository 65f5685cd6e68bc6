/**
 * The environments the runner drives, as small structural types: the in-process `Env` / `VectorEnv` of
 * `@rlfs/envs` and the protocol's `RemoteEnv` / `RemoteVectorEnv` both fit, because every method
 * may return a value or a promise of it and the runner always awaits. One training loop, local or remote.
 */
import type { EnvSpec, Space, StepInfo, TypedArray } from '@rlfs/protocol';
import { formatBound } from '@rlfs/protocol';

export type MaybePromise<T> = T | Promise<T>;

/** An observation: a typed array of the observation space's dtype, `[obsSize]` or `[numEnvs * obsSize]`. */
export type Observation = TypedArray;

/** What an agent needs to know of an environment; the wire spec and the in-process spec both have it. */
export type AgentSpec = Pick<EnvSpec, 'id' | 'options' | 'observationSpace' | 'actionSpace' | 'maxEpisodeSteps'>;

export interface ResetArgsLike {
  seed?: number;
  options?: Record<string, unknown>;
}

/** One environment, in-process or remote. */
export interface EnvLike {
  readonly spec: AgentSpec;
  reset(args?: ResetArgsLike): MaybePromise<{ observation: Observation; info: StepInfo }>;
  step(action: number): MaybePromise<{
    observation: Observation;
    reward: number;
    terminated: boolean;
    truncated: boolean;
    info: StepInfo;
  }>;
  close(): MaybePromise<void>;
}

/** A sub-environment whose episode ended in the last vector step (it has already been reset). */
export interface EndedLike {
  index: number;
  finalObservation: Observation;
  episode: { return: number; length: number };
}

/**
 * N environments stepped together with same-step autoreset. The result fields are read after each awaited
 * call and may be new arrays every time (remote) or the same buffers overwritten (in-process): copy what you keep.
 */
export interface VectorEnvLike {
  readonly spec: AgentSpec;
  readonly numEnvs: number;
  readonly observations: Observation;
  readonly rewards: ArrayLike<number>;
  readonly terminated: ArrayLike<number | boolean>;
  readonly truncated: ArrayLike<number | boolean>;
  readonly ended: readonly EndedLike[];
  reset(args?: ResetArgsLike): MaybePromise<unknown>;
  step(actions: ArrayLike<number>): MaybePromise<unknown>;
  /** Per-sub-env info of the last reset or step, where the transport keeps it (not in packed remote sessions). */
  infoAt?(index: number): StepInfo | undefined;
  close(): MaybePromise<void>;
}

export function isVectorEnv(env: EnvLike | VectorEnvLike): env is VectorEnvLike {
  return typeof (env as Partial<VectorEnvLike>).numEnvs === 'number';
}

/** Elements in one observation: the product of a Box's shape, or 1 for a Discrete observation. */
export function observationSize(space: Space): number {
  return space.type === 'Box' ? space.shape.reduce((a, b) => a * b, 1) : 1;
}

/** `Box(shape [25], int8, -1..2)` or `Discrete(4)`: how error messages and --help show a space. */
export function formatSpace(space: Space): string {
  if (space.type === 'Discrete') return `Discrete(${space.n})`;
  return `Box(shape [${space.shape.join(', ')}], ${space.dtype}, ${formatBound(space.low)}..${formatBound(space.high)})`;
}
