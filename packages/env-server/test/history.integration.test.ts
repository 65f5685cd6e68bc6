/** History for late viewers over the wire: a spectator who subscribes late first gets the run so far. */
import type { Client, HistoryEvent, SpectatorEvent, TelemetryEvent } from '@rlfs/protocol';
import { useLiveServer } from './live-server';

const live = useLiveServer();

function record(spectator: Client): SpectatorEvent[] {
  const events: SpectatorEvent[] = [];
  spectator.onEvent((e) => events.push(e));
  return events;
}

it('a spectator who subscribes after 500 episodes gets all 500 in the history, before any live event', async () => {
  const agent = await live.open('agent', 'late-viewer-run');
  // 2x2 grid, agent left of the goal: every episode is one step right
  const { session } = await agent.make({ env: 'GridWorld-v0', options: { layout: ['AG', '..'] } });
  for (let i = 0; i < 500; i++) {
    await agent.reset();
    await agent.step(3);
  }
  agent.telemetry({ 'train/epsilon': 0.5 });
  const spectator = await live.open('spectator');
  const events = record(spectator);
  await spectator.subscribe(session);
  await agent.reset();
  await agent.step(3); // episode 501, live
  await spectator.sessions(); // a round trip: everything sent before it has arrived
  await new Promise((r) => setTimeout(r, 50)); // events of the agent's step are sent on the agent's turn
  const history = events[0] as HistoryEvent;
  expect(history.type).toBe('history');
  expect(history).toMatchObject({ session, episodes: 500, steps: 500, width: 1 });
  expect(history.episode).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  expect(history.step).toEqual(Array.from({ length: 500 }, (_, i) => i + 1)); // one env step per episode
  // one step onto the goal: -1 step + 100 goal + shaping 1 * (1 - 0) / 2 = 99.5
  expect(new Set(history.return)).toEqual(new Set([99.5]));
  expect(new Set(history.length)).toEqual(new Set([1]));
  expect(new Set(history.shortestPath)).toEqual(new Set([1]));
  expect(history.telemetry['train/epsilon']).toEqual({ step: [500], value: [0.5] });
  expect(history.latest).toEqual({ 'train/epsilon': 0.5 });
  expect(events.filter((e) => e.type === 'history')).toHaveLength(1);
  const live501 = events.find((e) => e.type === 'episode');
  expect(live501).toMatchObject({ episode: 501 });
  expect(events.indexOf(live501!)).toBeGreaterThan(0);
});

it('telemetry events carry the env step; a value map is forwarded, a malformed one drops its telemetry', async () => {
  const agent = await live.open('agent');
  const { session } = await agent.make({ env: 'GridWorld-v0', numEnvs: 2, options: { size: 2 } });
  const spectator = await live.open('spectator');
  const events = record(spectator);
  await spectator.subscribe(session);
  await agent.reset({ seed: 1 });
  await agent.step([0, 0]);
  await agent.step([0, 0]); // 4 env steps, both sub-envs together
  const valueMap = { size: 2, goal: [0, 1] as [number, number], values: [90, null, 80.5, 91], actions: [3, -1, 0, 0] };
  agent.telemetry({ 'train/loss': 0.5 }, { valueMap });
  agent.send({ type: 'telemetry', metrics: { 'train/loss': 9 }, valueMap: { ...valueMap, actions: [3, -1, 0, 7] } }); // action 7: dropped
  agent.send({ type: 'telemetry', metrics: { 'train/loss': 8 }, valueMap: { ...valueMap, values: [1, 2, 3] } }); // 3 of 4 values: dropped
  agent.telemetry({ 'train/loss': 0.25 });
  await agent.reset();
  await spectator.sessions();
  await new Promise((r) => setTimeout(r, 50));
  const telemetry = events.filter((e): e is TelemetryEvent => e.type === 'telemetry');
  expect(telemetry).toEqual([
    { type: 'telemetry', session, step: 4, metrics: { 'train/loss': 0.5 }, valueMap },
    { type: 'telemetry', session, step: 4, metrics: { 'train/loss': 0.25 } },
  ]);
  // a later subscriber gets the latest value map in the history
  const late = await live.open('spectator');
  const lateEvents = record(late);
  await late.subscribe(session);
  await late.sessions();
  expect(lateEvents[0]).toMatchObject({ type: 'history', steps: 4, valueMap, latest: { 'train/loss': 0.25 }, telemetry: { 'train/loss': { step: [4, 4], value: [0.5, 0.25] } } });
});
