import { makeEnv } from '@rlfs/envs';
import type { EnvLike } from '../src/env-like';
import type { Agent } from '../src/plugin';
import { evaluate } from '../src/evaluate';

/** Always action 0. */
const fixed: Agent = { act: () => [0], snapshot: () => ({ state: {}, tensors: {} }), restore: () => undefined };

/** An environment with no notion of success: reward 1 per step, terminated (a fall, not a goal) after 3 steps. */
function fallingEnv(): EnvLike {
  let t = 0;
  const observation = Float32Array.from([0]);
  return {
    spec: { id: 'Fall-v0', options: {}, observationSpace: { type: 'Box', low: -1, high: 1, shape: [1], dtype: 'float32' }, actionSpace: { type: 'Discrete', n: 2 }, maxEpisodeSteps: 10 },
    reset: () => ((t = 0), { observation, info: {} }),
    step: () => ({ observation, reward: 1, terminated: ++t === 3, truncated: false, info: {} }),
    render: () => ({}),
    close: () => undefined,
  };
}

describe('evaluate reports what the environment defines', () => {
  it('mean return everywhere; no success rate or gap where the environment has no goal', async () => {
    const result = await evaluate(fixed, fallingEnv(), { episodes: 4, seed: 1 });
    expect(result).toEqual({ meanReturn: 3, episodes: 4, meanLength: 3, seed: 1 });
    expect(JSON.parse(JSON.stringify(result))).not.toHaveProperty('successRate');
  });

  it('success rate and gap on GridWorld, whose reset info gives the shortest path', async () => {
    // Always "up" on an empty 2x2 world: it reaches the goal only when the goal is straight above the start.
    const result = await evaluate(fixed, makeEnv('GridWorld-v0', { size: 2, maxEpisodeSteps: 5 }), { episodes: 40, seed: 3 });
    expect(result.successRate).toBeGreaterThan(0);
    expect(result.successRate).toBeLessThan(1);
    expect(result.meanGap).toBe(0);
    expect(typeof result.meanReturn).toBe('number');
  });
});
