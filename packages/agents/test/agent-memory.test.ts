import * as tf from '@tensorflow/tfjs-core';
import { makeEnv } from '@rlfs/envs';
import { initBackend } from '../src/backend';
import { dqnPlugin } from '../src/dqn';
import { train } from '../src/runner';
import { inProcessSource } from '../src/sources';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('a DQN agent leaves no tensor behind', () => {
  it('a trained agent\'s snapshot, and a new agent restored from it, used and disposed: the tensor count and bytes come back (bench:learn makes one such copy per evaluation)', async () => {
    const options = { size: 5, obstacles: 2 };
    const spec = makeEnv('GridWorld-v0', options).spec;
    const settings = dqnPlugin.resolveOptions({ learningStarts: 20 });
    const agent = await dqnPlugin.create(spec, settings, { seed: 1 });
    await train({ agent, source: inProcessSource({ env: 'GridWorld-v0', options }), steps: 60, seed: 1 });
    const before = tf.memory();
    for (let i = 0; i < 3; i++) {
      const snapshot = await agent.snapshot();
      const copy = await dqnPlugin.create(spec, settings, { seed: 1 });
      await copy.restore(snapshot);
      await copy.act(new Int8Array(25), 1, false);
      copy.dispose?.();
    }
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    agent.dispose?.();
  }, 120_000);
});
