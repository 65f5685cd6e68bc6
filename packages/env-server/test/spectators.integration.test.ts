/** Spectators over the wire: sessions, subscribe, frames and episodes in order, telemetry, session_closed. */
import type { Client, EpisodeEvent, FrameEvent, SpectatorEvent } from '@rlfs/protocol';
import { useLiveServer } from './live-server';
import { RawSocket } from '../src/checker';

const live = useLiveServer();

async function open(role: 'agent' | 'spectator', name?: string): Promise<Client> {
  const client = await live.open(role, name);
  return client;
}

/** Collects a spectator's events; `until` resolves once one matches. */
function collect(spectator: Client): { events: SpectatorEvent[]; until: (match: (e: SpectatorEvent) => boolean) => Promise<void> } {
  const events: SpectatorEvent[] = [];
  const waiting: Array<[(e: SpectatorEvent) => boolean, () => void]> = [];
  spectator.onEvent((event) => {
    if (event.type === 'history') return; // this server's addition, tested in history.integration.test.ts
    events.push(event);
    for (const [match, done] of waiting.slice()) if (match(event)) done();
  });
  return {
    events,
    until: (match) => new Promise((resolve) => {
      if (events.some(match)) return resolve();
      waiting.push([match, resolve]);
    }),
  };
}

it('sessions lists live sessions with env, name, numEnvs, ended episodes and env-steps', async () => {
  const scalar = await open('agent', 'scalar-agent');
  const vector = await open('agent', 'vector-agent');
  const s = (await scalar.make({ env: 'GridWorld-v0', options: { layout: ['AG', '..'] } })).session;
  const v = (await vector.make({ env: 'GridWorld-v0', numEnvs: 3, options: { layout: ['AG', '..'] } })).session;
  await scalar.reset();
  await scalar.step(1);
  await scalar.step(0);
  await scalar.step(3); // the goal: one ended episode, three steps
  await vector.reset();
  await vector.step([3, 3, 1]); // two ended episodes, three env-steps
  await vector.step([3, 3, 0]); // two more, six env-steps
  const spectator = await open('spectator');
  const list = await spectator.sessions();
  expect(list.find((x) => x.session === s)).toEqual({ session: s, env: 'GridWorld-v0', name: 'scalar-agent', episodes: 1, steps: 3 });
  expect(list.find((x) => x.session === v)).toEqual({ session: v, env: 'GridWorld-v0', name: 'vector-agent', numEnvs: 3, episodes: 4, steps: 6 });
  await scalar.closeSession();
  expect((await spectator.sessions()).find((x) => x.session === s)).toBeUndefined();
});

it('a scalar session: frames in order with step counters, reset frames with nil action and reward, the last frame before its episode', async () => {
  const agent = await open('agent');
  const { session } = await agent.make({ env: 'GridWorld-v0', options: { layout: ['A..', '...', '..G'], maxEpisodeSteps: 3 } });
  const spectator = await open('spectator');
  const log = collect(spectator);
  expect(await spectator.subscribe(session)).toMatchObject({ type: 'subscribed', session });
  await agent.reset();
  await agent.step(3);
  await agent.step(1);
  await agent.step(1); // truncated at the 3rd step: episode 1
  await agent.reset();
  await agent.step(1);
  await agent.step(3);
  await agent.step(1); // truncated again: episode 2
  await log.until((e) => e.type === 'episode' && e.episode === 2);
  const summary = log.events.map((e) => (e.type === 'frame' ? `f${e.step}:${e.action ?? '-'}` : e.type === 'episode' ? `e${e.episode}` : e.type));
  expect(summary).toEqual(['f0:-', 'f1:3', 'f2:1', 'f3:1', 'e1', 'f0:-', 'f1:1', 'f2:3', 'f3:1', 'e2']);
  const frames = log.events.filter((e): e is FrameEvent => e.type === 'frame');
  expect(frames[0]).toEqual({ type: 'frame', session, index: 0, step: 0, action: null, reward: null, terminated: false, truncated: false, state: { size: 3, agent: [0, 0], goal: [2, 2], obstacles: [] } });
  expect(frames[3]).toMatchObject({ step: 3, truncated: true, terminated: false, state: { agent: [2, 1] } });
  expect(frames[1]!.reward).toBeCloseTo(-1 + (Math.sqrt(8) - Math.sqrt(5)) / 3, 9);
  const episodes = log.events.filter((e): e is EpisodeEvent => e.type === 'episode');
  expect(episodes[0]).toEqual({ type: 'episode', session, index: 0, episode: 1, return: expect.any(Number), length: 3, terminated: false, shortestPath: 4, step: 3 }); // step: env steps at its end (this server's addition)
  expect(episodes[0]!.return).toBeCloseTo(frames.slice(1, 4).reduce((sum, f) => sum + (f.reward ?? 0), 0), 9);
  await agent.closeSession();
});

it('a vector session: per sub-env frames, the autoreset frame after the episode event, episodes numbered across sub-envs', async () => {
  const agent = await open('agent');
  const { session } = await agent.make({ env: 'GridWorld-v0', numEnvs: 2, options: { layout: ['AG', '..'] } });
  const spectator = await open('spectator');
  const log = collect(spectator);
  await spectator.subscribe(session);
  await agent.reset();
  await agent.step([3, 1]); // sub-env 0 reaches the goal
  await agent.step([1, 3]);
  await agent.step([0, 0]); // sub-env 1 goes up from (1,1) to the goal (0,1)
  await log.until((e) => e.type === 'episode' && e.episode === 2);
  const summary = log.events.map((e) => (e.type === 'frame' ? `${e.index}f${e.step}` : e.type === 'episode' ? `${e.index}e${e.episode}` : e.type));
  expect(summary).toEqual(['0f0', '1f0', '0f1', '0e1', '0f0', '1f1', '0f1', '1f2', '0f2', '1f3', '1e2', '1f0']);
  const last0 = log.events[2] as FrameEvent;
  expect(last0).toMatchObject({ index: 0, step: 1, action: 3, reward: 99.5, terminated: true, truncated: false });
  // the last frame of an episode shows where it ended: the agent on the goal
  expect(last0.state).toEqual({ size: 2, agent: [0, 1], goal: [0, 1], obstacles: [] });
  expect(log.events[3]).toEqual({ type: 'episode', session, index: 0, episode: 1, return: 99.5, length: 1, terminated: true, shortestPath: 1, step: 2 }); // both sub-envs' first step
  expect(log.events[4]).toMatchObject({ type: 'frame', index: 0, step: 0, action: null, reward: null, state: { agent: [0, 0] } });
});

it('forwards telemetry to subscribers; malformed telemetry is dropped; no reply ever', async () => {
  const agent = await open('agent');
  const { session } = await agent.make({ env: 'GridWorld-v0' });
  const spectator = await open('spectator');
  const log = collect(spectator);
  await spectator.subscribe(session);
  agent.send({ type: 'telemetry', id: 77, metrics: { 'train/loss': 'high' } });
  agent.send({ type: 'telemetry', metrics: [1, 2] });
  agent.telemetry({ 'train/loss': 0.25, 'train/epsilon': 1 });
  await log.until((e) => e.type === 'telemetry');
  expect(log.events).toEqual([{ type: 'telemetry', session, step: 0, metrics: { 'train/loss': 0.25, 'train/epsilon': 1 } }]);
  expect(agent.inFlight).toBe(0);
  await agent.reset(); // the agent's next reply is its own, not an answer to telemetry
});

it('session_closed on close and on disconnect; unsubscribe is idempotent; no events after it', async () => {
  const spectator = await open('spectator');
  const log = collect(spectator);
  const a = await open('agent');
  const b = await open('agent');
  const sa = (await a.make({ env: 'GridWorld-v0' })).session;
  const sb = (await b.make({ env: 'GridWorld-v0' })).session;
  await spectator.subscribe(sa);
  await spectator.subscribe(sb);
  await a.closeSession();
  await b.close();
  await log.until((e) => e.type === 'session_closed' && e.session === sb);
  expect(log.events.filter((e) => e.type === 'session_closed').map((e) => e.session).sort()).toEqual([sa, sb].sort());
  await expect(spectator.subscribe(sa)).rejects.toMatchObject({ code: 'UNKNOWN_SESSION' });

  const c = await open('agent');
  const sc = (await c.make({ env: 'GridWorld-v0' })).session;
  await spectator.subscribe(sc);
  expect(await spectator.unsubscribe(sc)).toMatchObject({ type: 'unsubscribed', session: sc });
  expect(await spectator.unsubscribe(sc)).toMatchObject({ type: 'unsubscribed', session: sc });
  expect(await spectator.unsubscribe('never-was')).toMatchObject({ type: 'unsubscribed', session: 'never-was' });
  const count = log.events.length;
  await c.reset();
  await c.step(0);
  await c.closeSession();
  await spectator.sessions(); // a round trip: anything sent before it has arrived
  expect(log.events.length).toBe(count);
});

it('events carry no id', async () => {
  const agent = await open('agent');
  const { session } = await agent.make({ env: 'GridWorld-v0' });
  const raw = await RawSocket.hello(live.server.url, 'spectator');
  expect(await raw.request({ type: 'subscribe', id: 3, session })).toEqual({ type: 'subscribed', id: 3, session });
  const history = await raw.next(); // this server's addition, first after subscribed
  expect(history.type).toBe('history');
  expect('id' in history).toBe(false);
  await agent.reset();
  const event = await raw.next();
  expect(event.type).toBe('frame');
  expect('id' in event).toBe(false);
  await raw.close();
});
