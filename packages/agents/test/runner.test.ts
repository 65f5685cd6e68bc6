import { makeEnv, makeVectorEnv } from '@rlfs/envs';
import { ConnectionClosedError, RemoteError } from '@rlfs/protocol';
import { train } from '../src/runner';
import type { EpisodeRecord } from '../src/runner';
import { inProcessSource } from '../src/sources';
import type { EnvSource, OpenedEnv } from '../src/sources';
import { tabularQPlugin } from '../src/tabular-q';
import { randomPlugin } from '../src/random';
import type { EnvLike } from '../src/env-like';
import type { Agent, Transitions } from '../src/plugin';

/** An agent that records what the runner hands it and acts by a fixed rule. */
function recordingAgent(action = 3): Agent & { seen: Transitions[] } {
  const seen: Transitions[] = [];
  return {
    seen,
    act: (_o, count) => new Int32Array(count).fill(action),
    learn: (t) => {
      seen.push({ ...t, observations: t.observations.slice(), nextObservations: t.nextObservations.slice(), terminated: t.terminated.slice(), truncated: t.truncated.slice(), rewards: t.rewards.slice(), actions: t.actions.slice() });
    },
    metrics: () => ({ 'train/epsilon': 0.5 }),
    snapshot: () => ({ state: {}, tensors: {} }),
    restore: () => undefined,
  };
}

describe('train (scalar)', () => {
  it('hands the agent s, a, r, s\' and the end flags, and counts episodes and steps', async () => {
    // Always "right" on a 1x3 corridor-like layout: A . G reaches the goal in 2 steps.
    const options = { layout: ['A.G', '...', '...'] };
    const agent = recordingAgent(3);
    const episodes: EpisodeRecord[] = [];
    const result = await train({ agent, source: inProcessSource({ env: 'GridWorld-v0', options }), episodes: 3, seed: 1, onEpisode: (e) => void episodes.push(e) });
    expect(result).toMatchObject({ steps: 6, episodes: 3, stoppedBy: 'budget', reconnects: 0 });
    expect(episodes.map((e) => [e.episode, e.length, e.shortestPath, e.success, e.steps])).toEqual([[1, 2, 2, true, 2], [2, 2, 2, true, 4], [3, 2, 2, true, 6]]);
    const [first, second] = agent.seen;
    expect(Array.from(first!.observations.subarray(0, 3))).toEqual([1, 0, 2]);
    expect(Array.from(first!.nextObservations.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(first!.terminated[0]).toBe(0);
    expect(second!.terminated[0]).toBe(1);
    // The final observation of the episode, not the reset one: the agent stands on the goal.
    expect(Array.from(second!.nextObservations.subarray(0, 3))).toEqual([0, 0, 2]);
    expect(episodes[0]!.return).toBeCloseTo(second!.rewards[0]! + first!.rewards[0]!, 12);
  });

  it('marks the time limit as truncated, not terminated', async () => {
    const agent = recordingAgent(0); // "up" from the top row only bumps the wall
    await train({ agent, source: inProcessSource({ env: 'GridWorld-v0', options: { layout: ['A.G', '...', '...'], maxEpisodeSteps: 4 } }), episodes: 1, seed: 1 });
    expect(agent.seen.map((t) => [t.terminated[0], t.truncated[0]])).toEqual([[0, 0], [0, 0], [0, 0], [0, 1]]);
  });

  it('checkpoints every M episodes and once at the end; stops when asked', async () => {
    const saved: number[] = [];
    let stop = false;
    const result = await train({
      agent: recordingAgent(3), source: inProcessSource({ env: 'GridWorld-v0', options: { layout: ['A.G', '...', '...'] } }), steps: 1000, seed: 1,
      checkpointEvery: 2, onCheckpoint: (p) => void saved.push(p.episodes),
      onEpisode: (e) => void (stop = e.episode === 5),
      shouldStop: () => stop,
    });
    expect(result.stoppedBy).toBe('signal');
    expect(saved).toEqual([2, 4, 5]);
  });

  it('reports figures with the fixed metric names and streams them as telemetry', async () => {
    const sent: Array<Record<string, number>> = [];
    const inner = inProcessSource({ env: 'GridWorld-v0' });
    const source: EnvSource = { where: 'test', open: async () => ({ ...(await inner.open()), telemetry: (m) => void sent.push(m) }) };
    let clock = 0;
    const reports: number[] = [];
    await train({ agent: recordingAgent(1), source, steps: 400, seed: 1, reportEvery: 100, now: () => (clock += 10), onReport: (r) => void reports.push(r.stepsPerSecond) });
    const keys = new Set(sent.flatMap((m) => Object.keys(m)));
    expect(keys).toEqual(new Set(['episode/return', 'episode/length', 'train/epsilon', 'perf/steps_per_second']));
    expect(reports.length).toBe(4);
    expect(reports.every((sps) => sps > 0)).toBe(true);
  });
});

describe('train (vector)', () => {
  it('steps N sub-envs together, passes final observations of ended episodes, and learns', async () => {
    const agent = recordingAgent(3);
    const episodes: EpisodeRecord[] = [];
    const result = await train({ agent, source: inProcessSource({ env: 'GridWorld-v0', options: { layout: ['A.G', '...', '...'] }, numEnvs: 3 }), steps: 12, seed: 1, onEpisode: (e) => void episodes.push(e) });
    expect(result.steps).toBe(12);
    expect(result.episodes).toBe(6);
    expect(episodes.every((e) => e.length === 2 && e.success && e.shortestPath === 2)).toBe(true);
    const ending = agent.seen[1]!;
    expect(ending.count).toBe(3);
    expect(Array.from(ending.terminated)).toEqual([1, 1, 1]);
    for (let i = 0; i < 3; i++) expect(Array.from(ending.nextObservations.subarray(i * 9, i * 9 + 3))).toEqual([0, 0, 2]);
    // After the autoreset the next step starts from the reset observation again.
    expect(Array.from(agent.seen[2]!.observations.subarray(0, 3))).toEqual([1, 0, 2]);
  });

  it('tabular Q learns as well from 4 sub-envs as from one environment', async () => {
    const env = makeVectorEnv('GridWorld-v0', {}, 4);
    const agent = await tabularQPlugin.create(env.spec, tabularQPlugin.resolveOptions({ epsilonDecaySteps: 15_000 }), { seed: 2 });
    await train({ agent, source: inProcessSource({ env: 'GridWorld-v0', numEnvs: 4 }), steps: 20_000, seed: 2 });
    const { evaluate } = await import('../src/evaluate');
    const greedy = await evaluate(agent, makeEnv('GridWorld-v0', {}), { episodes: 100, seed: 77 });
    expect(greedy.successRate).toBeGreaterThanOrEqual(0.95);
  });
});

describe('train reconnects', () => {
  /** A source whose sessions drop after `dropAfter` steps, the first `drops` times. */
  function flakySource(dropAfter: number, drops: number): EnvSource & { opened: number } {
    const source = {
      where: 'flaky',
      opened: 0,
      async open(): Promise<OpenedEnv> {
        const n = ++source.opened;
        const env = makeEnv('GridWorld-v0', {});
        let steps = 0;
        const wrapped: EnvLike = {
          spec: env.spec,
          reset: (a) => env.reset(a),
          step: (action) => {
            if (n <= drops && ++steps > dropAfter) throw new ConnectionClosedError('connection closed (1006) before step', 1006);
            return env.step(action);
          },
          render: (mode) => env.render(mode),
          close: () => env.close(),
        };
        return { env: wrapped, close: async () => undefined };
      },
    };
    return source;
  }

  it('reopens with exponential backoff and keeps training the same agent to the full budget', async () => {
    const source = flakySource(150, 2);
    const agent = await randomPlugin.create(makeEnv('GridWorld-v0', {}).spec, {}, { seed: 1 });
    const delays: number[] = [];
    const logs: string[] = [];
    const result = await train({ agent, source, steps: 500, seed: 1, sleep: async (ms) => void delays.push(ms), log: (m) => void logs.push(m), reconnect: { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 } });
    expect(result.steps).toBe(500);
    expect(result.reconnects).toBe(2);
    expect(source.opened).toBe(3);
    // The failure count resets after a successful step, so each drop starts the backoff over.
    expect(delays).toEqual([100, 100]);
    expect(logs[0]).toMatch(/connection lost .*reconnecting in 100 ms \(attempt 1 of 3\)/);
  });

  it('gives up after the retries, doubling the delay each time, and rethrows', async () => {
    const source: EnvSource = { where: 'down', open: async () => { throw new ConnectionClosedError('could not connect'); } };
    const delays: number[] = [];
    const agent = await randomPlugin.create(makeEnv('GridWorld-v0', {}).spec, {}, { seed: 1 });
    await expect(train({ agent, source, steps: 10, seed: 1, sleep: async (ms) => void delays.push(ms), reconnect: { retries: 4, baseDelayMs: 100, maxDelayMs: 500 } })).rejects.toThrow(/could not connect/);
    expect(delays).toEqual([100, 200, 400, 500]);
  });

  it('does not retry errors of the request itself', async () => {
    const source: EnvSource = { where: 'bad', open: async () => { throw new RemoteError('INVALID_OPTIONS', 'size: expected an integer'); } };
    const agent = await randomPlugin.create(makeEnv('GridWorld-v0', {}).spec, {}, { seed: 1 });
    const sleep = jest.fn(async () => undefined);
    await expect(train({ agent, source, steps: 10, seed: 1, sleep })).rejects.toThrow(/size/);
    expect(sleep).not.toHaveBeenCalled();
  });
});
