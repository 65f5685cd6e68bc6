/**
 * The spectator fan-out over real sockets: a step's events, encoded once and written to each spectator that keeps
 * up in one socket write, arrive as one WebSocket message per event, each exactly one MessagePack map, in the order
 * the contract gives; a spectator that falls behind and catches up again still gets every episode, in order.
 */
import type { Message, SpectatorEvent, StepInfo } from '@rlfs/protocol';
import { connect } from '@rlfs/protocol/node';
import { startServer } from '../src';
import { RawSocket } from '../src/checker';
import { useLiveServer } from './live-server';

const live = useLiveServer();

interface GridState {
  size: number;
  agent: number[];
  goal: number[];
  obstacles: number[][];
}

/** Takes messages until `count` have come (or none comes for 5 s). */
async function take(raw: RawSocket, count: number): Promise<Message[]> {
  const out: Message[] = [];
  while (out.length < count) {
    const message = await raw.nextWithin(5000);
    if (!message) break;
    // the history a subscriber gets first (this server's addition) is tested in history.integration.test.ts
    if ((message as { type?: unknown }).type === 'history') continue;
    out.push(message);
  }
  return out;
}

/** xorshift32 actions, so the run is the same every time. */
function actions(n: number, seed: number): () => number[] {
  let x = seed;
  return () =>
    Array.from({ length: n }, () => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x % 4;
    });
}

it('a vector session: every frame and episode event, one map per message, exactly as worked out from the agent\'s replies', async () => {
  const n = 6;
  const agent = await live.open('agent');
  const { session } = await agent.make({ env: 'GridWorld-v0', numEnvs: n, options: { size: 5, obstacles: 3, maxEpisodeSteps: 8, observation: 'coords' } });
  const spectators = [await RawSocket.hello(live.server.url, 'spectator'), await RawSocket.hello(live.server.url, 'spectator')];
  for (const s of spectators) expect(await s.request({ type: 'subscribe', id: 1, session })).toEqual({ type: 'subscribed', id: 1, session });

  // The events the contract asks for, worked out from the replies: after each step, the render states are the sub-envs'
  // states (an ended one's already the next episode's), and an ended episode's last state is the one before with the
  // agent where the final observation (coords) puts it.
  const expected: Array<Record<string, unknown>> = [];
  const reset = await agent.reset({ seed: 21 });
  let states = (await agent.render('state')).frame as GridState[];
  const shortest = (reset.info as StepInfo[]).map((info) => info.shortestPath);
  const resetFrame = (i: number): Record<string, unknown> => ({ type: 'frame', session, index: i, step: 0, action: null, reward: null, terminated: false, truncated: false, state: states[i] });
  for (let i = 0; i < n; i++) expected.push(resetFrame(i));
  const steps = new Array<number>(n).fill(0);
  let episodes = 0;
  const next = actions(n, 99);
  for (let t = 0; t < 40; t++) {
    const action = next();
    const reply = await agent.step(action);
    const before = states;
    states = (await agent.render('state')).frame as GridState[];
    const infos = reply.info as StepInfo[];
    const terminated = reply.terminated as boolean[];
    const truncated = reply.truncated as boolean[];
    for (let i = 0; i < n; i++) {
      steps[i]!++;
      const ended = terminated[i]! || truncated[i]!;
      const final = infos[i]!.finalObservation as number[] | undefined;
      const state = ended ? { ...before[i]!, agent: [final![0], final![1]] } : states[i];
      expected.push({ type: 'frame', session, index: i, step: steps[i], action: action[i], reward: (reply.reward as number[])[i], terminated: terminated[i], truncated: truncated[i], state });
      if (!ended) continue;
      const { return: ret, length } = infos[i]!.episode!;
      expected.push({ type: 'episode', session, index: i, episode: ++episodes, return: ret, length, terminated: terminated[i], step: (t + 1) * n, shortestPath: shortest[i] });
      expected.push(resetFrame(i));
      shortest[i] = infos[i]!.shortestPath;
      steps[i] = 0;
    }
  }
  expect(episodes).toBeGreaterThan(10); // the run covers many episodes, terminated and truncated
  expect(expected.some((e) => e.type === 'episode' && e.terminated === false)).toBe(true);
  expect(expected.some((e) => e.type === 'episode' && e.terminated === true)).toBe(true);
  await agent.closeSession();
  expected.push({ type: 'session_closed', session });
  for (const s of spectators) {
    expect(await take(s, expected.length)).toEqual(expected);
    expect(s.undecodable).toEqual([]); // each message was exactly one map
    expect(await s.nextWithin(100)).toBeUndefined();
    await s.close();
  }
});

it('a spectator that stops reading, then reads again, gets every episode in order and no frame out of order', async () => {
  // A small high-water mark, and a stall longer than the test, so that the spectator falls behind but stays.
  const server = await startServer({ port: 0, host: '127.0.0.1', spectatorHighWater: 4096, spectatorStall: 60_000, warn: () => undefined });
  try {
    const n = 16;
    const agent = await connect(server.url, { role: 'agent' });
    const { session } = await agent.make({ env: 'GridWorld-v0', numEnvs: n, options: { size: 6, obstacles: 4, maxEpisodeSteps: 20, observation: 'coords' } });
    await agent.reset({ seed: 5 });
    const slow = await RawSocket.hello(server.url, 'spectator');
    expect((await slow.request({ type: 'subscribe', id: 1, session })).type).toBe('subscribed');
    slow.socket.pause();
    // About 50 KB of telemetry with each step fills the paused socket's kernel buffers within a few hundred steps.
    const metrics = Object.fromEntries(Array.from({ length: 250 }, (_, k) => [`metric/${k}/${'x'.repeat(180)}`, k]));
    const next = actions(n, 7);
    let episodes = 0;
    const steps = 600;
    for (let t = 0; t < steps; t++) {
      agent.telemetry(metrics);
      const reply = await agent.step(next());
      episodes += (reply.info as StepInfo[]).filter((info) => info.episode !== undefined).length;
      if (t === steps / 2) slow.socket.resume(); // reads again halfway: it catches up, then keeps up
    }
    await agent.close();
    const events: SpectatorEvent[] = [];
    for (;;) {
      const message = (await slow.nextWithin(5000)) as SpectatorEvent | undefined;
      if (!message) break;
      events.push(message);
      if (message.type === 'session_closed') break;
    }
    const episodeNumbers = events.filter((e) => e.type === 'episode').map((e) => (e.type === 'episode' ? e.episode : 0));
    expect(episodeNumbers).toEqual(Array.from({ length: episodes }, (_, i) => i + 1));
    expect(events[events.length - 1]).toEqual({ type: 'session_closed', session });
    // frames were dropped while it was behind (the test did take the slow path) ...
    const frames = events.filter((e) => e.type === 'frame');
    expect(frames.length).toBeLessThan(steps * n);
    // ... and those it got are in order: per sub-env, steps rise within an episode, and a frame after an episode's end
    // (its episode event) starts the next one at step 0 or later
    const lastStep = new Map<number, number>();
    for (const e of events) {
      if (e.type === 'frame') {
        const before = lastStep.get(e.index) ?? -1;
        expect(e.step === 0 || e.step > before).toBe(true);
        lastStep.set(e.index, e.step);
      } else if (e.type === 'episode') {
        lastStep.set(e.index, -1);
      }
    }
    expect(slow.undecodable).toEqual([]);
    await slow.close();
  } finally {
    await server.close();
  }
});
