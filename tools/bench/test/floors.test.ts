/**
 * The in-process floors must do the env's work, not less: for the same seeds and actions their observations,
 * rewards, flags and ended episodes equal the env's bit for bit, step after step, across many autoresets.
 */
import { makeVectorEnv } from '@rlfs/envs';
import type { VectorEnv } from '@rlfs/envs';
import { CartPoleFloor } from '../src/floors/cartpole-floor';
import { GridWorldFloor } from '../src/floors/gridworld-floor';
import { actionBatches } from '../src/stats';

interface FloorLike {
  obs: ArrayLike<number>;
  reward: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  endedCount: number;
  endedIndex: Int32Array;
  endedReturn: Float64Array;
  endedLength: Float64Array;
  endedTerminated: Uint8Array;
  finalObs: ArrayLike<number>;
  step(actions: ArrayLike<number>): void;
}

/** Steps both `steps` times and returns how many episodes ended (so a test can see that autoreset was exercised). */
function compare(vec: VectorEnv, floor: FloorLike, numActions: number, steps: number, obsSize: number, shortest?: Int32Array): number {
  const n = vec.numEnvs;
  expect(Array.from(floor.obs)).toEqual(Array.from(vec.observations));
  const batches = actionBatches(n, steps, numActions, 99);
  let ended = 0;
  for (let t = 0; t < steps; t++) {
    vec.step(batches[t]!);
    floor.step(batches[t]!);
    expect(Array.from(floor.obs)).toEqual(Array.from(vec.observations));
    expect(Array.from(floor.reward)).toEqual(Array.from(vec.rewards));
    expect(Array.from(floor.terminated)).toEqual(Array.from(vec.terminated));
    expect(Array.from(floor.truncated)).toEqual(Array.from(vec.truncated));
    expect(floor.endedCount).toBe(vec.ended.length);
    vec.ended.forEach((e, k) => {
      expect([floor.endedIndex[k], floor.endedReturn[k], floor.endedLength[k], floor.endedTerminated[k] === 1]).toEqual([e.index, e.episode.return, e.episode.length, e.terminated]);
      expect(Array.from(floor.finalObs).slice(k * obsSize, (k + 1) * obsSize)).toEqual(Array.from(e.finalObservation));
      if (shortest) expect(shortest[k]).toBe(e.shortestPath);
    });
    ended += vec.ended.length;
  }
  return ended;
}

describe('in-process floors', () => {
  it('GridWorldFloor equals GridWorld-v0 (default options) for the same seeds and actions', () => {
    const vec = makeVectorEnv('GridWorld-v0', undefined, 16);
    vec.reset({ seed: 7 });
    const floor = new GridWorldFloor(16, 7);
    // 300 steps of 16 random walkers: goals are reached and 100-step episodes truncated.
    const ended = compare(vec, floor, 4, 300, 25, floor.endedShortestPath);
    expect(ended).toBeGreaterThan(30);
  });

  it('CartPoleFloor equals CartPole-v1 (default options) for the same seeds and actions', () => {
    const vec = makeVectorEnv('CartPole-v1', undefined, 8);
    vec.reset({ seed: 3 });
    const floor = new CartPoleFloor(8, 3);
    const ended = compare(vec, floor, 2, 200, 4);
    expect(ended).toBeGreaterThan(30);
  });

  it('GridWorldFloor refuses an action outside 0..3, as the env does', () => {
    expect(() => new GridWorldFloor(2, 1).step([0, 4])).toThrow(/action\[1\]/);
  });
});
