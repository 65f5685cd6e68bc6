/**
 * Workload 1: GridWorld-v0 (default options) stepped in this process, scalar and vector, with random actions
 * prepared in advance. Each figure is the best of `repeats` timed runs of `durationMs` (the machine is shared:
 * the best run is the one least disturbed by others).
 */
import { makeEnv, makeVectorEnv } from '@rlfs/envs';
import { actionBatches, nowUs, randomActions } from '../stats';

const ENV_ID = 'GridWorld-v0';
const NUM_ACTIONS = 4;
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
export function inprocVector(n: number, config: InprocConfig): number {
  const vec = makeVectorEnv(ENV_ID, undefined, n);
  vec.reset({ seed: 1 });
  const batches = actionBatches(n, Math.max(16, Math.ceil((1 << 18) / n)), NUM_ACTIONS);
  const callsPerCheck = Math.max(1, Math.floor(4096 / n));
  let best = 0;
  let k = 0;
  for (let r = 0; r < config.repeats; r++) {
    const start = nowUs();
    const end = start + config.durationMs * 1000;
    let steps = 0;
    let now = start;
    while (now < end && steps < MAX_STEPS) {
      for (let j = 0; j < callsPerCheck; j++) {
        vec.step(batches[k]!);
        k = k + 1 === batches.length ? 0 : k + 1;
      }
      steps += callsPerCheck * n;
      now = nowUs();
    }
    best = Math.max(best, steps / ((now - start) / 1e6));
  }
  vec.close();
  return best;
}
