/**
 * The value map over a real server: a tabular-q agent trained through the server sends it every K env steps, and a
 * spectator receives it in the session's telemetry events (h13-viewer's server validates and forwards it).
 */
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import { makeEnv } from '@rlfs/envs';
import * as protocol from '@rlfs/protocol';
import { connect } from '@rlfs/protocol/node';
import type { Client, SpectatorEvent } from '@rlfs/protocol';
import { tabularQPlugin } from '../src/tabular-q';
import type { TabularQAgent } from '../src/tabular-q';
import { train } from '../src/runner';
import { remoteSource } from '../src/sources';
import { valueMapTask } from '../src/value-map';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', warn: () => undefined });
});
afterAll(async () => server.close());

/** The server forwards value maps once the protocol package knows them (its value-map check is exported). */
const serverForwardsValueMaps = 'isValueMap' in protocol;

async function trainWatched(): Promise<{ events: SpectatorEvent[]; agent: TabularQAgent }> {
  const spectator: Client = await connect(server.url, { role: 'spectator' });
  const events: SpectatorEvent[] = [];
  spectator.onEvent((e) => void events.push(e));
  const spec = makeEnv('GridWorld-v0', { size: 4 }).spec;
  const agent = (await tabularQPlugin.create(spec, tabularQPlugin.resolveOptions({}), { seed: 1 })) as TabularQAgent;
  let subscribed = false;
  await train({
    agent, source: remoteSource({ env: 'GridWorld-v0', options: { size: 4 }, url: server.url, name: 'value-map-test' }), steps: 3000, seed: 1,
    // Subscribe once the session exists (at its first episode), before the first value map at step 500.
    onEpisode: async () => {
      if (subscribed) return;
      subscribed = true;
      const mine = (await spectator.sessions()).find((s) => s.name === 'value-map-test');
      await spectator.subscribe(mine!.session);
    },
    periodic: [valueMapTask(agent, spec, 500)!],
  });
  await new Promise((r) => setTimeout(r, 300));
  await spectator.close();
  return { events, agent };
}

describe('value map telemetry over a real server', () => {
  it('is sent as a valid telemetry request every 500 steps (the server forwards its metrics)', async () => {
    const { events } = await trainWatched();
    // The value map goes in a telemetry of its own with no metrics: one per 500 steps, 6 in 3,000 steps.
    const bare = events.filter((e) => e.type === 'telemetry' && Object.keys((e as { metrics: object }).metrics).length === 0);
    expect(bare).toHaveLength(6);
  }, 60_000);

  (serverForwardsValueMaps ? it : it.skip)('reaches a spectator: 4x4, the goal of the session, values and actions where the agent can stand', async () => {
    const { events, agent } = await trainWatched();
    const maps = events.filter((e) => e.type === 'telemetry' && 'valueMap' in e).map((e) => (e as unknown as { valueMap: { size: number; goal: [number, number]; values: Array<number | null>; actions: number[] } }).valueMap);
    expect(maps).toHaveLength(6);
    for (const map of maps) {
      expect(map.size).toBe(4);
      expect(map.values).toHaveLength(16);
      expect(map.actions).toHaveLength(16);
      const goal = map.goal[0] * 4 + map.goal[1];
      // No obstacles: the goal is the only cell without a value.
      map.values.forEach((v, i) => expect(v === null).toBe(i === goal));
      map.actions.forEach((a, i) => expect(a === -1).toBe(i === goal));
    }
    // The last map (step 3,000, the end of training) holds the agent's own Q: check one cell beside the goal.
    const last = maps[maps.length - 1]!;
    const g = last.goal[0] * 4 + last.goal[1];
    const grid = new Float32Array(16);
    grid[g] = 2;
    const besideGoal = [g - 4, g + 4, g % 4 ? g - 1 : -1, g % 4 < 3 ? g + 1 : -1].find((c) => c >= 0 && c < 16)!;
    grid[besideGoal] = 1;
    expect(last.values[besideGoal]).toBeCloseTo(Math.max(...agent.actionValues(grid, 1)), 6);
  }, 60_000);
});
