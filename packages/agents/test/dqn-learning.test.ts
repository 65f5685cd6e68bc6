import * as tf from '@tensorflow/tfjs-core';
import { makeEnv } from '@rlfs/envs';
import { initBackend } from '../src/backend';
import { dqnPlugin } from '../src/dqn';
import { train } from '../src/runner';
import { inProcessSource } from '../src/sources';
import { evaluate } from '../src/evaluate';

// The wasm backend is the one every machine has (tfjs-node is optional); learning is deterministic by seed on it.
beforeAll(async () => {
  await initBackend('wasm');
});

describe('DQN learns GridWorld-v0 5x5 with random starts', () => {
  it('reaches >= 95% greedy success with a mean optimality gap <= 0.5 within 5,000 steps, with default options (the egocentric view)', async () => {
    const env = makeEnv('GridWorld-v0', {});
    const agent = await dqnPlugin.create(env.spec, dqnPlugin.resolveOptions({}), { seed: 1 });
    const before = tf.memory().numTensors;
    const result = await train({ agent, source: inProcessSource({ env: 'GridWorld-v0' }), steps: 5000, seed: 1 });
    // Tensors held by the agent are fixed (weights, Adam moments, last loss); training leaks none per step.
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(2 * 6 + 2 + 1);
    const greedy = await evaluate(agent, env, { episodes: 200, seed: 1_000_000 });
    expect(result.steps).toBe(5000);
    expect(greedy.successRate).toBeGreaterThanOrEqual(0.95);
    expect(greedy.meanGap).not.toBeNull();
    expect(greedy.meanGap!).toBeLessThanOrEqual(0.5);
    agent.dispose?.();
  }, 600_000);
});
