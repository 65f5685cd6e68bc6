import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import { makeEnv } from '@rlfs/envs';
import { connect } from '@rlfs/protocol/node';
import type { Client, SpectatorEvent } from '@rlfs/protocol';
import { initBackend } from '../src/backend';
import { resolvePlugin } from '../src/registry';
import { train } from '../src/runner';
import type { EpisodeRecord } from '../src/runner';
import { inProcessSource, remoteSource } from '../src/sources';
import type { EnvSource } from '../src/sources';
import { evaluate } from '../src/evaluate';
import type { TabularQAgent } from '../src/tabular-q';
import { isVectorEnv } from '../src/env-like';

let server: RunningServer;
const quiet = { warn: () => undefined };

beforeAll(async () => {
  await initBackend('wasm');
  server = await startServer({ port: 0, host: '127.0.0.1', ...quiet });
});
afterAll(async () => {
  await server.close();
});

/** Trains a fresh agent and returns the episode returns (and the agent). */
async function returnsOf(agentName: string, agentOptions: object, source: EnvSource, steps: number) {
  const { plugin } = await resolvePlugin(agentName);
  const spec = makeEnv('GridWorld-v0', {}).spec;
  const agent = await plugin.create(spec, plugin.resolveOptions(agentOptions), { seed: 11 });
  const episodes: EpisodeRecord[] = [];
  const result = await train({ agent, source, steps, seed: 11, onEpisode: (e) => void episodes.push(e) });
  return { agent, result, returns: episodes.map((e) => e.return), episodes };
}

describe('training over the socket equals training in-process (same seed, same backend)', () => {
  it.each([
    ['tabular-q', {}, 'plain', 3000],
    ['tabular-q', {}, 'packed', 3000],
    ['dqn', { hiddenSizes: [32], learningStarts: 200 }, 'packed', 1000],
  ] as const)('%s %j, scalar session, %s encoding', async (name, options, encoding, steps) => {
    const local = await returnsOf(name, options, inProcessSource({ env: 'GridWorld-v0' }), steps);
    const remote = await returnsOf(name, options, remoteSource({ env: 'GridWorld-v0', url: server.url, encoding, name: 'test' }), steps);
    expect(local.returns.length).toBeGreaterThan(10);
    expect(remote.returns).toEqual(local.returns);
    expect(remote.episodes.map((e) => e.shortestPath)).toEqual(local.episodes.map((e) => e.shortestPath));
    local.agent.dispose?.();
    remote.agent.dispose?.();
  }, 60_000);

  it.each(['plain', 'packed'] as const)('tabular-q, vector session of 4, %s encoding', async (encoding) => {
    const local = await returnsOf('tabular-q', {}, inProcessSource({ env: 'GridWorld-v0', numEnvs: 4 }), 4000);
    const remote = await returnsOf('tabular-q', {}, remoteSource({ env: 'GridWorld-v0', url: server.url, encoding, numEnvs: 4 }), 4000);
    expect(remote.returns.length).toBeGreaterThan(50);
    expect(remote.returns).toEqual(local.returns);
  });

  it('evaluation gives the same figures over the socket', async () => {
    // Two identical agents: greedy ties are broken by the agent's generator, so one agent evaluated twice would differ.
    const a = await returnsOf('tabular-q', {}, inProcessSource({ env: 'GridWorld-v0' }), 3000);
    const b = await returnsOf('tabular-q', {}, inProcessSource({ env: 'GridWorld-v0' }), 3000);
    const local = await evaluate(a.agent, makeEnv('GridWorld-v0', {}), { episodes: 30, seed: 5 });
    const opened = await remoteSource({ env: 'GridWorld-v0', url: server.url }).open();
    if (isVectorEnv(opened.env)) throw new Error('expected a scalar session');
    const remote = await evaluate(b.agent, opened.env, { episodes: 30, seed: 5 });
    await opened.close();
    expect(remote).toEqual(local);
  });
});

describe('over a real server', () => {
  it('streams telemetry with the fixed metric names to a spectator', async () => {
    const spectator: Client = await connect(server.url, { role: 'spectator' });
    const events: SpectatorEvent[] = [];
    spectator.onEvent((e) => void events.push(e));
    let subscribed = false;
    // Subscribing needs a live session: subscribe as soon as the first episode ends.
    const { plugin } = await resolvePlugin('tabular-q');
    const agent = await plugin.create(makeEnv('GridWorld-v0', {}).spec, plugin.resolveOptions({}), { seed: 1 });
    await train({
      agent, source: remoteSource({ env: 'GridWorld-v0', url: server.url, name: 'telemetry-test-2' }), steps: 2000, seed: 1, reportEvery: 100,
      onEpisode: async () => {
        if (subscribed) return;
        subscribed = true;
        const mine = (await spectator.sessions()).find((s) => s.name === 'telemetry-test-2');
        await spectator.subscribe(mine!.session);
      },
    });
    await new Promise((r) => setTimeout(r, 200));
    await spectator.close();
    const names = new Set(events.filter((e) => e.type === 'telemetry').flatMap((e) => Object.keys((e as { metrics: object }).metrics)));
    expect(names).toEqual(new Set(['episode/return', 'episode/length', 'train/epsilon', 'perf/steps_per_second']));
  }, 30_000);

  it('resumes on a new session after the server drops the connection, without losing the agent state', async () => {
    const port = server.port;
    let dropped = false;
    const { plugin } = await resolvePlugin('tabular-q');
    const agent = (await plugin.create(makeEnv('GridWorld-v0', {}).spec, plugin.resolveOptions({}), { seed: 3 })) as TabularQAgent;
    const logs: string[] = [];
    const result = await train({
      agent, source: remoteSource({ env: 'GridWorld-v0', url: server.url }), steps: 3000, seed: 3,
      reconnect: { retries: 10, baseDelayMs: 50, maxDelayMs: 400 },
      log: (m) => void logs.push(m),
      onEpisode: async (e) => {
        if (dropped || e.episode !== 20) return;
        dropped = true;
        // The server goes away (every connection closed with 1001) and comes back on the same port a little later.
        await server.close();
        setTimeout(() => void startServer({ port, host: '127.0.0.1', ...quiet }).then((s) => (server = s)), 300);
      },
    });
    expect(result.steps).toBe(3000);
    expect(result.reconnects).toBeGreaterThanOrEqual(1);
    expect(logs[0]).toMatch(/connection lost/);
    // The agent's own step counter saw every step, before and after the drop: nothing was lost or reset.
    expect((await agent.snapshot()).state.steps).toBe(3000);
  }, 30_000);
});
