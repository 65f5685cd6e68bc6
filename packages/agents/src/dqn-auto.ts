/**
 * DQN's "auto" options, worked out from the environment's spec when the agent is created, so that the defaults
 * learn every GridWorld from 5x5 to 8x8 (walls or wrap, random obstacles), not only the empty 5x5 they were tuned
 * on. Each value grows with the world: a bigger world has longer paths to the goal (so a longer horizon, gamma),
 * more states to visit before exploitation (epsilon decay), more of them to remember (replay buffer) and slower
 * value propagation across it (target sync interval, step size). On 5x5 every formula gives the value tuned there.
 * On an environment that is not GridWorld, "auto" is that 5x5 value: pick your own in a recipe (recipes/*.json).
 */
import type { AgentSpec } from './env-like';
import { gridViewOf } from './egocentric';

/** The DQN options that may be "auto". */
export interface DqnAutoOptions {
  gamma: number;
  learningRate: number;
  bufferSize: number;
  targetUpdateInterval: number;
  epsilonDecaySteps: number;
}

export type Auto<O> = { [K in keyof O]: O[K] | 'auto' };

/** The values the formulas give on GridWorld 5x5 (25 cells), and on every environment that is not a GridWorld. */
export const DQN_AUTO_BASE: Readonly<DqnAutoOptions> = {
  gamma: 0.9,
  learningRate: 2e-3,
  bufferSize: 10_000,
  targetUpdateInterval: 100,
  epsilonDecaySteps: 5_000,
};

/**
 * The "auto" values for `spec`. On GridWorld of side `size` (cells = size^2, 25 on 5x5):
 * gamma = 1 - 0.5 / size (0.9 on 5x5, 0.9375 on 8x8: the goal 2*size steps away still counts);
 * epsilonDecaySteps = 200 * cells; bufferSize = 400 * cells; targetUpdateInterval = 4 * cells;
 * learningRate = 2e-3 * 25 / cells, at least 5e-4 (a wider input and more states: smaller steps).
 */
export function dqnAutoValues(spec: Pick<AgentSpec, 'id' | 'options' | 'observationSpace'>): DqnAutoOptions {
  const view = gridViewOf(spec);
  if (!view) return { ...DQN_AUTO_BASE };
  const cells = view.size * view.size;
  return {
    gamma: Math.max(DQN_AUTO_BASE.gamma, 1 - 0.5 / view.size),
    learningRate: Math.max(5e-4, Math.min(DQN_AUTO_BASE.learningRate, (DQN_AUTO_BASE.learningRate * 25) / cells)),
    bufferSize: Math.max(DQN_AUTO_BASE.bufferSize, 400 * cells),
    targetUpdateInterval: Math.max(DQN_AUTO_BASE.targetUpdateInterval, 4 * cells),
    epsilonDecaySteps: Math.max(DQN_AUTO_BASE.epsilonDecaySteps, 200 * cells),
  };
}

/** `options` with every "auto" replaced by its value for `spec`. */
export function resolveAuto<O extends Partial<Auto<DqnAutoOptions>>>(spec: Pick<AgentSpec, 'id' | 'options' | 'observationSpace'>, options: O): O & DqnAutoOptions {
  const auto = dqnAutoValues(spec);
  const out: Record<string, unknown> = { ...options };
  for (const key of Object.keys(auto) as Array<keyof DqnAutoOptions>) if (out[key] === 'auto' || out[key] === undefined) out[key] = auto[key];
  return out as unknown as O & DqnAutoOptions;
}
