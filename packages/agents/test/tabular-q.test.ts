import { makeEnv } from '@rlfs/envs';
import { tabularQPlugin, TabularQAgent } from '../src/tabular-q';
import type { AgentSpec } from '../src/env-like';
import type { Transitions } from '../src/plugin';
import { train } from '../src/runner';
import { inProcessSource } from '../src/sources';
import { evaluate } from '../src/evaluate';

const SPEC: AgentSpec = {
  id: 'Test-v0',
  options: {},
  observationSpace: { type: 'Box', low: 0, high: 3, shape: [2], dtype: 'int8' },
  actionSpace: { type: 'Discrete', n: 2 },
  maxEpisodeSteps: 10,
};

function agentWith(options: object): TabularQAgent {
  return tabularQPlugin.create(SPEC, tabularQPlugin.resolveOptions(options), { seed: 7 }) as TabularQAgent;
}

function oneStep(terminated: number, truncated: number): Transitions {
  return {
    count: 1,
    obsSize: 2,
    observations: Int8Array.from([0, 0]),
    actions: Int32Array.from([0]),
    rewards: Float64Array.from([-1]),
    nextObservations: Int8Array.from([1, 0]),
    terminated: Uint8Array.from([terminated]),
    truncated: Uint8Array.from([truncated]),
  };
}

describe('tabular-q refuses what a table cannot hold', () => {
  it('a float Box observation (CartPole-like) is refused with a clear error', () => {
    const spec: AgentSpec = { ...SPEC, observationSpace: { type: 'Box', low: -1, high: 1, shape: [4], dtype: 'float32' } };
    expect(() => tabularQPlugin.create(spec, tabularQPlugin.resolveOptions({}), { seed: 1 })).toThrow(/tabular-q needs a Discrete or integer Box observation space .* got Box\(shape \[4\], float32, -1\.\.1\): continuous observations never repeat; use --agent dqn/);
  });
});

describe('tabular Q-learning update', () => {
  // Q(s) = [2, 0], Q(s') = [1, 3], alpha 0.5, gamma 0.9, r = -1.
  function prepared(): TabularQAgent {
    const agent = agentWith({ learningRate: 0.5, gamma: 0.9 });
    agent.valuesOf(Int8Array.from([0, 0])).set([2, 0]);
    agent.valuesOf(Int8Array.from([1, 0])).set([1, 3]);
    return agent;
  }

  it('continuing: Q(s,a) += alpha * (r + gamma * max Q(s\') - Q(s,a)) = 2 + 0.5 * (-1 + 2.7 - 2) = 1.85', () => {
    const agent = prepared();
    agent.learn(oneStep(0, 0));
    expect(agent.valuesOf(Int8Array.from([0, 0]))[0]).toBeCloseTo(1.85, 12);
    expect(agent.valuesOf(Int8Array.from([0, 0]))[1]).toBe(0);
  });

  it('terminal: no bootstrap, 2 + 0.5 * (-1 - 2) = 0.5', () => {
    const agent = prepared();
    agent.learn(oneStep(1, 0));
    expect(agent.valuesOf(Int8Array.from([0, 0]))[0]).toBeCloseTo(0.5, 12);
  });

  it('truncated by the time limit: bootstraps like a continuing step (1.85)', () => {
    const agent = prepared();
    agent.learn(oneStep(0, 1));
    expect(agent.valuesOf(Int8Array.from([0, 0]))[0]).toBeCloseTo(1.85, 12);
  });

  it('a batch updates each row in order (vector sessions)', () => {
    const agent = prepared();
    const t = oneStep(0, 0);
    const batch: Transitions = {
      ...t,
      count: 2,
      observations: Int8Array.from([0, 0, 0, 0]),
      actions: Int32Array.from([0, 0]),
      rewards: Float64Array.from([-1, -1]),
      nextObservations: Int8Array.from([1, 0, 1, 0]),
      terminated: Uint8Array.from([0, 1]),
      truncated: Uint8Array.from([0, 0]),
    };
    agent.learn(batch);
    // 2 -> 1.85 (continuing), then 1.85 + 0.5 * (-1 - 1.85) = 0.425 (terminal)
    expect(agent.valuesOf(Int8Array.from([0, 0]))[0]).toBeCloseTo(0.425, 12);
  });

  it('breaks ties with its seeded generator, not by index order', () => {
    const agent = agentWith({});
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(agent.act(Int8Array.from([2, 2]), 1, false)[0]!);
    expect(seen).toEqual(new Set([0, 1]));
    // The same seed breaks the same ties the same way.
    const sequence = (a: TabularQAgent) => Array.from({ length: 30 }, () => a.act(Int8Array.from([2, 2]), 1, false)[0]);
    expect(sequence(agentWith({}))).toEqual(sequence(agentWith({})));
  });

  it('epsilon decays with the steps learned', () => {
    const agent = agentWith({ epsilonStart: 1, epsilonEnd: 0.1, epsilonDecaySteps: 10, epsilonSchedule: 'linear' });
    expect(agent.epsilon).toBe(1);
    for (let i = 0; i < 5; i++) agent.learn(oneStep(0, 0));
    expect(agent.epsilon).toBeCloseTo(0.55, 12);
  });
});

describe('tabular Q-learning on GridWorld', () => {
  it('learns the optimal path on a fixed 5x5 layout (deterministic by seed)', async () => {
    const options = { layout: ['A....', '.....', '.###.', '.....', '....G'] };
    const env = makeEnv('GridWorld-v0', options);
    const run = async () => {
      const agent = await tabularQPlugin.create(env.spec, tabularQPlugin.resolveOptions({ epsilonDecaySteps: 3000 }), { seed: 3 });
      const result = await train({ agent, source: inProcessSource({ env: 'GridWorld-v0', options }), steps: 5000, seed: 3 });
      const greedy = await evaluate(agent, makeEnv('GridWorld-v0', options), { episodes: 1, seed: 0 });
      return { result, greedy };
    };
    const { result, greedy } = await run();
    expect(result.steps).toBe(5000);
    // From (0,0) to (4,4) the shortest path is 8 moves; the greedy policy takes exactly that.
    expect(greedy.successRate).toBe(1);
    expect(greedy.meanGap).toBe(0);
    expect(greedy.meanLength).toBe(8);
    const twice = await run();
    expect(twice.result.episodes).toBe(result.episodes);
  });
});
