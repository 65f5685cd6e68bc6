/**
 * Workload 1: GridWorld-v0 (default options) stepped in this process, scalar and vector, with random actions
 * prepared in advance. Each figure is the best of `repeats` timed runs of `durationMs` (the machine is shared:
 * the best run is the one least disturbed by others).
 */
import { makeEnv, makeVectorEnv } from '@rlfs/envs';
import { CartPoleFloor } from '../floors/cartpole-floor';
import { GridWorldFloor } from '../floors/gridworld-floor';
import { actionBatches, nowUs, randomActions } from '../stats';

const ENV_ID = 'GridWorld-v0';
const NUM_ACTIONS = 4;
/** The environments that have a floor, with their number of actions. */
export const FLOOR_ENVS = { 'GridWorld-v0': 4, 'CartPole-v1': 2 } as const;
export type FloorEnvId = keyof typeof FLOOR_ENVS;
/** Upper bound of steps in one timed run, whatever the clock says. */
const MAX_STEPS = 2_000_000_000;

export interface InprocConfig {
  durationMs: number;
  repeats: number;
}

/** Env-steps per second of the scalar env: `step`, and `reset` when the episode ends (resets are not counted). */
export function inprocScalar(config: InprocConfig): number {
  const env = makeEnv(ENV_ID);
  env.reset({ seed: 1 });
  const actions = randomActions(1 << 16, NUM_ACTIONS);
  const mask = actions.length - 1;
  let best = 0;
  let k = 0;
  for (let r = 0; r < config.repeats; r++) {
    const start = nowUs();
    const end = start + config.durationMs * 1000;
    let steps = 0;
    let now = start;
    while (now < end && steps < MAX_STEPS) {
      for (let j = 0; j < 1024; j++) {
        const result = env.step(actions[k++ & mask]!);
        if (result.terminated || result.truncated) env.reset();
      }
      steps += 1024;
      now = nowUs();
    }
    best = Math.max(best, steps / ((now - start) / 1e6));
  }
  return best;
}

/** Env-steps per second of the vector env of `n` sub-envs (n env-steps per `step` call, autoreset included). */
export function inprocVector(n: number, config: InprocConfig, envId: FloorEnvId = ENV_ID): number {
  const vec = makeVectorEnv(envId, undefined, n);
  vec.reset({ seed: 1 });
  const run = stepper(vec, n, FLOOR_ENVS[envId]);
  let best = 0;
  for (let r = 0; r < config.repeats; r++) best = Math.max(best, run(config.durationMs));
  vec.close();
  return best;
}

export interface FloorConfig {
  /** Alternating rounds: the env, then the floor, each timed for `roundMs`. */
  rounds: number;
  roundMs: number;
}

export interface AgainstFloor {
  /** Best round of each (env-steps per second). */
  env: number;
  floor: number;
  /** Median over the rounds of (env round / the floor round next to it). */
  ratio: number;
}

/**
 * The vector env of `n` sub-envs against its plain-loop floor (src/floors/), same process, same prepared actions,
 * in alternating rounds so that a change of the machine's load hits both alike.
 */
export function inprocAgainstFloor(n: number, config: FloorConfig, envId: FloorEnvId = ENV_ID): AgainstFloor {
  const vec = makeVectorEnv(envId, undefined, n);
  vec.reset({ seed: 1 });
  const floor = envId === 'CartPole-v1' ? new CartPoleFloor(n, 1) : new GridWorldFloor(n, 1);
  const runEnv = stepper(vec, n, FLOOR_ENVS[envId]);
  const runFloor = stepper(floor, n, FLOOR_ENVS[envId]);
  // warm both (JIT tiers) before the first timed round
  runEnv(config.roundMs);
  runFloor(config.roundMs);
  const envRates: number[] = [];
  const floorRates: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < config.rounds; r++) {
    // swap the order every round, so that neither always runs right after the other
    const first = r % 2 === 0 ? runEnv(config.roundMs) : runFloor(config.roundMs);
    const second = r % 2 === 0 ? runFloor(config.roundMs) : runEnv(config.roundMs);
    const [e, f] = r % 2 === 0 ? [first, second] : [second, first];
    envRates.push(e);
    floorRates.push(f);
    ratios.push(e / f);
  }
  vec.close();
  return { env: Math.max(...envRates), floor: Math.max(...floorRates), ratio: median(ratios) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A timed loop of `step(batch)` calls over prepared batches: returns env-steps per second over `ms`. */
function stepper(target: { step(actions: ArrayLike<number>): void }, n: number, numActions: number): (ms: number) => number {
  const batches = actionBatches(n, Math.max(16, Math.ceil((1 << 18) / n)), numActions);
  const callsPerCheck = Math.max(1, Math.floor(4096 / n));
  let k = 0;
  return (ms) => {
    const start = nowUs();
    const end = start + ms * 1000;
    let steps = 0;
    let now = start;
    while (now < end && steps < MAX_STEPS) {
      for (let j = 0; j < callsPerCheck; j++) {
        target.step(batches[k]!);
        k = k + 1 === batches.length ? 0 : k + 1;
      }
      steps += callsPerCheck * n;
      now = nowUs();
    }
    return steps / ((now - start) / 1e6);
  };
}
