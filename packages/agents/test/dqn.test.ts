import * as tf from '@tensorflow/tfjs-core';
import { dqnPlugin, DqnAgent, tdTargets } from '../src/dqn';
import { initBackend } from '../src/backend';
import type { AgentSpec } from '../src/env-like';
import type { Transitions } from '../src/plugin';
import { makeFeaturizer } from '../src/features';
import type { Space } from '@rlfs/protocol';

const SPEC: AgentSpec = {
  id: 'Test-v0',
  options: {},
  observationSpace: { type: 'Box', low: -1, high: 2, shape: [3], dtype: 'int8' },
  actionSpace: { type: 'Discrete', n: 2 },
  maxEpisodeSteps: 10,
};

beforeAll(async () => {
  await initBackend('cpu');
});

describe('DQN targets', () => {
  // Rows: terminal, truncated (stored with done 0), continuing. nextQ = [[5, 9], [4, 6], [7, 1]], gamma 0.5.
  const rewards = [1, 2, 3];
  const dones = [1, 0, 0];
  const nextQ = [5, 9, 4, 6, 7, 1];

  it('y = r at a terminal state, r + gamma * max Q_target(s\') otherwise (truncated included)', () => {
    const out = tdTargets(rewards, dones, nextQ, null, 2, 0.5, new Float32Array(3));
    expect(Array.from(out)).toEqual([1, 2 + 0.5 * 6, 3 + 0.5 * 7]);
  });

  it('Double DQN: the online values pick a*, the target network values it', () => {
    const online = [0, 1, 1, 0, 0, 1];
    const out = tdTargets(rewards, dones, nextQ, online, 2, 0.5, new Float32Array(3));
    expect(Array.from(out)).toEqual([1, 2 + 0.5 * 4, 3 + 0.5 * 1]);
  });
});

describe('DqnAgent', () => {
  async function agent(options: object = {}): Promise<DqnAgent> {
    return (await dqnPlugin.create(SPEC, dqnPlugin.resolveOptions({ hiddenSizes: [8], batchSize: 4, learningStarts: 3, ...options }), { seed: 1 })) as DqnAgent;
  }

  it('stores a truncated step as not done and a terminated one as done, rewards scaled', async () => {
    const a = await agent({ rewardScale: 0.1, learningStarts: 1000 });
    const t: Transitions = {
      count: 3,
      obsSize: 3,
      observations: Int8Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2]),
      actions: Int32Array.from([1, 0, 1]),
      rewards: Float64Array.from([100, -1, -2]),
      nextObservations: Int8Array.from([2, 1, 0, 2, 1, 0, -1, -1, -1]),
      terminated: Uint8Array.from([1, 0, 0]),
      truncated: Uint8Array.from([0, 1, 0]),
    };
    a.learn(t);
    expect(a.replay.size).toBe(3);
    expect(Array.from(a.replay.dones.subarray(0, 3))).toEqual([1, 0, 0]);
    expect(Array.from(a.replay.rewards.subarray(0, 3)).map((r) => Math.round(r * 100) / 100)).toEqual([10, -0.1, -0.2]);
    expect(Array.from(a.replay.actions.subarray(0, 3))).toEqual([1, 0, 1]);
    // Observations are stored as network features: one indicator per value -1..2 for each of the 3 elements.
    const f = makeFeaturizer(SPEC.observationSpace, 'onehot');
    expect(f.size).toBe(12);
    expect(Array.from(a.replay.observations.subarray(0, 12))).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(Array.from(a.replay.nextObservations.subarray(24, 36))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    a.dispose();
  });

  it('trains once learningStarts is reached, reports loss and epsilon, and leaks no tensors', async () => {
    const a = await agent();
    const t: Transitions = {
      count: 1,
      obsSize: 3,
      observations: Int8Array.from([0, 1, 2]),
      actions: Int32Array.from([0]),
      rewards: Float64Array.from([1]),
      nextObservations: Int8Array.from([1, 1, 2]),
      terminated: Uint8Array.from([0]),
      truncated: Uint8Array.from([0]),
    };
    a.learn(t);
    a.learn(t);
    expect(a.updateCount).toBe(0);
    expect(a.metrics()['train/loss']).toBeUndefined();
    a.learn(t);
    a.act(t.observations, 1, true);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      a.learn(t);
      a.act(t.observations, 1, false);
    }
    expect(a.updateCount).toBe(21);
    expect(tf.memory().numTensors).toBe(before);
    const m = a.metrics();
    expect(m['train/loss']).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(m['train/q_mean'])).toBe(true);
    expect(m['train/epsilon']).toBeLessThan(1);
    a.dispose();
  });

  it('hard target sync copies the online weights every targetUpdateInterval updates', async () => {
    const a = await agent({ targetUpdateInterval: 5, learningRate: 0.01 });
    const t: Transitions = {
      count: 1, obsSize: 3, observations: Int8Array.from([0, 1, 2]), actions: Int32Array.from([1]), rewards: Float64Array.from([5]),
      nextObservations: Int8Array.from([2, 2, 2]), terminated: Uint8Array.from([1]), truncated: Uint8Array.from([0]),
    };
    for (let i = 0; i < 2 + 4; i++) a.learn(t); // 4 updates: target still the initial copy
    expect(a.target.read()[0]).not.toEqual(a.online.read()[0]);
    a.learn(t); // 5th update: synced
    expect(a.target.read()).toEqual(a.online.read());
    a.dispose();
  });

  it('learns from a vector session: N transitions per step, one update per agent step once learningStarts is reached', async () => {
    const { makeVectorEnv } = await import('@rlfs/envs');
    const { train } = await import('../src/runner');
    const { inProcessSource } = await import('../src/sources');
    const spec = makeVectorEnv('GridWorld-v0', {}, 4).spec;
    const a = (await dqnPlugin.create(spec, dqnPlugin.resolveOptions({ hiddenSizes: [8], learningStarts: 100 }), { seed: 1 })) as DqnAgent;
    const result = await train({ agent: a, source: inProcessSource({ env: 'GridWorld-v0', numEnvs: 4 }), steps: 400, seed: 1 });
    expect(result.steps).toBe(400);
    expect(a.replay.size).toBe(400);
    // Vector step k (1-based) brings the count to 4k; updates start at k = 25 and run once per step: 76 of them.
    expect(a.updateCount).toBe(76);
    a.dispose();
  });

  it('refuses a non-Discrete action space', async () => {
    const spec: AgentSpec = { ...SPEC, actionSpace: { type: 'Box', low: -1, high: 1, shape: [1], dtype: 'float32' } };
    await expect(dqnPlugin.create(spec, dqnPlugin.resolveOptions({}), { seed: 1 })).rejects.toThrow(/dqn needs a Discrete action space, got Box/);
  });
});

describe('egocentric input encoding', () => {
  const grid: Space = { type: 'Box', low: -1, high: 2, shape: [9], dtype: 'int8' };
  /** The window as text: # blocked, G goal, . free (row by row). */
  const show = (out: Float32Array, width: number): string[] =>
    Array.from({ length: width }, (_, r) => Array.from({ length: width }, (_, c) => (out[2 * (r * width + c)] ? '#' : out[2 * (r * width + c) + 1] ? 'G' : '.')).join(''));

  it('centres the grid on the agent, marking obstacles and off-grid cells blocked under walls', () => {
    const f = makeFeaturizer(grid, 'egocentric');
    expect(f.size).toBe(2 * 5 * 5);
    const out = new Float32Array(f.size);
    // Agent at (0, 0), obstacle at (1, 1), goal at (2, 2).
    f.write(Int8Array.from([1, 0, 0, 0, -1, 0, 0, 0, 2]), 0, out, 0);
    expect(show(out, 5)).toEqual(['#####', '#####', '##...', '##.#.', '##..G']);
  });

  it('wraps around under wrap, and puts the agent on the goal when only the goal is left', () => {
    const f = makeFeaturizer(grid, 'egocentric', 'wrap');
    expect(f.size).toBe(2 * 3 * 3);
    const out = new Float32Array(f.size);
    f.write(Int8Array.from([0, 0, 2, -1, 0, 0, 0, 0, 1]), 0, out, 0);
    expect(show(out, 3)).toEqual(['...', 'G..', '.#.']);
    f.write(Int8Array.from([0, 0, 0, 0, 2, 0, 0, 0, 0]), 0, out, 0);
    expect(show(out, 3)).toEqual(['G..', '...', '...']);
  });

  it('refuses observations that are not a square GridWorld grid', () => {
    expect(() => makeFeaturizer({ type: 'Box', low: -1, high: 2, shape: [3], dtype: 'int8' }, 'egocentric')).toThrow(/egocentric/);
  });
});
