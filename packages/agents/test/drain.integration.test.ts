/**
 * A trainer whose server drains finishes its episode there, reconnects, and continues on the server it is given next,
 * with no error, only a reconnect notice; one refused with UNAVAILABLE (server full) tries again the same way.
 * The "load balancer" here hands out two real servers in turn.
 */
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import { makeEnv } from '@rlfs/envs';
import { connect } from '@rlfs/protocol/node';
import type { Agent } from '../src/plugin';
import { randomPlugin } from '../src/random';
import { train } from '../src/runner';
import type { EpisodeRecord } from '../src/runner';
import { remoteSource } from '../src/sources';
import type { EnvSource } from '../src/sources';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(maxSessions?: number): Promise<RunningServer> {
  const server = await startServer({ port: 0, warn: () => undefined, ...(maxSessions ? { maxSessions } : {}) });
  servers.push(server);
  return server;
}

/** Each opening goes to the next server in turn, as a round-robin load balancer would send a new connection. */
function roundRobin(urls: string[], opened: string[]): EnvSource {
  let next = 0;
  return {
    where: 'the test balancer',
    open() {
      const url = urls[next++ % urls.length]!;
      opened.push(url);
      return remoteSource({ env: 'GridWorld-v0', options: { maxEpisodeSteps: 30 }, url, name: 'drain-test' }).open();
    },
  };
}

let agent: Agent;
beforeAll(async () => {
  agent = await randomPlugin.create(makeEnv('GridWorld-v0', { maxEpisodeSteps: 30 }).spec, {}, { seed: 3 });
});

it('a scalar trainer on a draining server finishes its episode, reconnects elsewhere and finishes its budget', async () => {
  const a = await serve();
  const b = await serve();
  const opened: string[] = [];
  const episodes: EpisodeRecord[] = [];
  const log: string[] = [];
  let drained: Promise<void> | undefined;
  let acts = 0;
  let episodeAtDrain = 0;
  // The drain begins just before the 50th step is sent: in the middle of an episode (every act is).
  const draining: Agent = {
    ...agent,
    act: (observations, count, explore) => {
      if (++acts === 50) {
        episodeAtDrain = episodes.length + 1;
        drained = a.drain(20_000);
      }
      return agent.act(observations, count, explore);
    },
  };
  const result = await train({
    agent: draining,
    source: roundRobin([a.url, b.url], opened),
    episodes: 12,
    seed: 5,
    onEpisode: (e) => void episodes.push(e),
    log: (line) => log.push(line),
  });
  await drained;
  expect(episodeAtDrain).toBeGreaterThan(1);
  expect(result).toMatchObject({ episodes: 12, stoppedBy: 'budget', reconnects: 1 });
  expect(opened).toEqual([a.url, b.url]);
  // No episode was cut: each one ended by reaching the goal or by the time limit, and the steps add up.
  for (const e of episodes) expect(e.success || e.length === 30).toBe(true);
  expect(episodes.map((e) => e.episode)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  expect(result.steps).toBe(episodes.reduce((sum, e) => sum + e.length, 0));
  expect(log).toHaveLength(1);
  expect(log[0]).toMatch(/^server the test balancer is draining or full \(.*1001.*\); reconnecting in 250 ms$/);
});

it('a trainer refused with UNAVAILABLE (server full) tries the next server', async () => {
  const full = await serve(1);
  const b = await serve();
  const holder = await connect(full.url, { role: 'agent' });
  await holder.make({ env: 'GridWorld-v0' });
  const opened: string[] = [];
  const log: string[] = [];
  const result = await train({ agent, source: roundRobin([full.url, b.url], opened), episodes: 3, seed: 5, log: (line) => log.push(line), sleep: async () => undefined });
  expect(result).toMatchObject({ episodes: 3, reconnects: 1 });
  expect(opened).toEqual([full.url, b.url]);
  expect(log[0]).toMatch(/UNAVAILABLE.*--max-sessions/);
  await holder.close();
});
