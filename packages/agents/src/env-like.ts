/**
 * The environments the runner drives: the one contract of `@rlfs/protocol` (`Env`, `VectorEnv`), which the
 * in-process environments of `@rlfs/envs` and the protocol's `RemoteEnv` / `RemoteVectorEnv` both implement;
 * every method may return a value or a promise of it and the runner always awaits. One training loop, local or
 * remote. The `*Like` names are kept for the agents' public API.
 */
import type { EndedEpisodeInfo, Env, EnvSpec, ResetArgs, Space, TypedArray, VectorEnv } from '@rlfs/protocol';
import { formatBound } from '@rlfs/protocol';

export type { MaybePromise } from '@rlfs/protocol';

/** An observation: a typed array of the observation space's dtype, `[obsSize]` or `[numEnvs * obsSize]`. */
export type Observation = TypedArray;

/** What an agent needs to know of an environment; the wire spec and the in-process spec both have it. */
export type AgentSpec = Pick<EnvSpec, 'id' | 'options' | 'observationSpace' | 'actionSpace' | 'maxEpisodeSteps'>;

export type ResetArgsLike = ResetArgs;

/** One environment, in-process or remote. */
export type EnvLike = Env;

/** A sub-environment whose episode ended in the last vector step (it has already been reset). */
export type EndedLike = EndedEpisodeInfo;

/** N environments stepped together with same-step autoreset, in-process or remote. */
export type VectorEnvLike = VectorEnv;

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
