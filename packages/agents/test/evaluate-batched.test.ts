import { makeEnv } from '@rlfs/envs';
import { initBackend } from '../src/backend';
import { dqnPlugin } from '../src/dqn';
import { train } from '../src/runner';
import { inProcessSource } from '../src/sources';
import { evaluate } from '../src/evaluate';
import type { EvalEpisode } from '../src/evaluate';
import { evaluateBatched } from '../src/evaluate-batched';
import type { Agent } from '../src/plugin';

beforeAll(async () => {
  await initBackend('wasm');
});

/** Counts the agent's calls and the rows it was asked for. */
function counting(agent: Agent): { agent: Agent; calls: number; rows: number } {
  const c = {
    calls: 0,
    rows: 0,
    agent: {
      ...agent,
      act: (observations: Parameters<Agent['act']>[0], count: number, explore: boolean) => {
        c.calls++;
        c.rows += count;
        return agent.act(observations, count, explore);
      },
    } as Agent,
  };
  return c;
}

/** A DQN agent trained a little (a policy that wins some episodes and loses others), the same for a given seed. */
async function partlyTrained(env: string, options: Record<string, unknown>, steps: number): Promise<Agent> {
  const spec = makeEnv(env, options).spec;
  const agent = await dqnPlugin.create(spec, dqnPlugin.resolveOptions({ learningStarts: 100 }), { seed: 3 });
  await train({ agent, source: inProcessSource({ env, options }), steps, seed: 3 });
  return agent;
}

describe('batched greedy evaluation plays the sequential evaluation\'s episodes, one agent call per step', () => {
  const worlds: Array<[string, Record<string, unknown>]> = [
    ['6x6 walls, 3 obstacles, grid', { size: 6, obstacles: 3, maxEpisodeSteps: 30 }],
    ['5x5 wrap, 2 obstacles, onehot', { size: 5, boundary: 'wrap', obstacles: 2, observation: 'onehot', maxEpisodeSteps: 30 }],
  ];
  it.each(worlds)('%s: same episodes (return, length, success, shortest path, in order) and figures', async (_name, options) => {
    const agent = await partlyTrained('GridWorld-v0', options, 600);
    const seq: EvalEpisode[] = [];
    const sequential = await evaluate(agent, makeEnv('GridWorld-v0', options), { episodes: 40, seed: 11, onEpisode: (e, k) => seq.push({ ...e, length: e.length + 1000 * k }) });
    for (const batch of [undefined, 7]) {
      const got: EvalEpisode[] = [];
      const counted = counting(agent);
      const batched = await evaluateBatched(counted.agent, () => makeEnv('GridWorld-v0', options), { episodes: 40, seed: 11, ...(batch ? { batch } : {}), onEpisode: (e, k) => got.push({ ...e, length: e.length + 1000 * k }) });
      expect(batched).toEqual(sequential);
      expect(got).toEqual(seq);
      const lengths = seq.map((e, k) => e.length - 1000 * k);
      // Every agent call serves every live episode: the sum of the rows is the steps played.
      expect(counted.rows).toBe(lengths.reduce((a, b) => a + b, 0));
      // All 40 at once: the calls are the longest episode's steps, not the 40 episodes' steps.
      if (batch === undefined) expect(counted.calls).toBe(Math.max(...lengths));
    }
    // The policy both wins and loses here, so success, gap and return are all compared on a real mix.
    expect(sequential.successRate).toBeGreaterThan(0);
    expect(sequential.successRate).toBeLessThan(1);
    agent.dispose?.();
  }, 300_000);

  it('CartPole-v1: same mean return and length, no success figures', async () => {
    const agent = await partlyTrained('CartPole-v1', {}, 400);
    const sequential = await evaluate(agent, makeEnv('CartPole-v1', {}), { episodes: 12, seed: 5 });
    const batched = await evaluateBatched(agent, () => makeEnv('CartPole-v1', {}), { episodes: 12, seed: 5, batch: 5 });
    expect(batched).toEqual(sequential);
    expect(batched).not.toHaveProperty('successRate');
    agent.dispose?.();
  }, 300_000);

  it('a stop keeps the episodes finished before the first unfinished one; a bad batch size is refused', async () => {
    // Always "up" on an empty 2x2 world of 3 steps: an episode lasts 1 step (goal above) or 3 (truncated).
    const up: Agent = { act: (_o, count) => new Int32Array(count), snapshot: () => ({ state: {}, tensors: {} }), restore: () => undefined };
    const options = { size: 2, maxEpisodeSteps: 3 };
    const lengths: number[] = [];
    const returns: number[] = [];
    const sequential = await evaluate(up, makeEnv('GridWorld-v0', options), { episodes: 20, seed: 2, onEpisode: (e) => (lengths.push(e.length), returns.push(e.return)) });
    expect(await evaluateBatched(up, () => makeEnv('GridWorld-v0', options), { episodes: 20, seed: 2 })).toEqual(sequential);
    let calls = 0;
    const stopped = await evaluateBatched({ ...up, act: (o, n) => (calls++, up.act(o, n, false)) }, () => makeEnv('GridWorld-v0', options), { episodes: 20, seed: 2, shouldStop: () => calls >= 1 });
    // After one step only the 1-step episodes have ended: the result holds those before the first 3-step one.
    const leading = lengths.indexOf(3);
    expect(leading).toBeGreaterThan(0);
    expect(stopped).toEqual({ meanReturn: returns.slice(0, leading).reduce((a, b) => a + b, 0) / leading, episodes: leading, meanLength: 1, successRate: 1, meanGap: 0, seed: 2 });
    await expect(evaluateBatched(up, () => makeEnv('GridWorld-v0', options), { episodes: 4, seed: 2, batch: 0 })).rejects.toThrow('batch must be a whole number >= 1, got 0');
  });
});
