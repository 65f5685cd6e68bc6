/** Many agents at once, and a spectator that never reads while an agent steps at full speed. */
import { connect } from '@rlfs/protocol/node';
import type { Client, StepInfo, SpectatorEvent } from '@rlfs/protocol';
import { startServer } from '../src';
import type { RunningServer } from '../src';
import { GridWorld } from '@rlfs/envs';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', maxSpectatorQueue: 2000 });
});
afterAll(() => server.close());

it('50 concurrent agents each play their episodes exactly as the in-process env does', async () => {
  const options = { size: 4, obstacles: 2, maxEpisodeSteps: 15 };
  const play = async (k: number): Promise<void> => {
    const client = await connect(server.url, { role: 'agent', name: `agent-${k}` });
    await client.make({ env: 'GridWorld-v0', options, seed: 500 + k });
    const local = new GridWorld(options);
    const expectObs = (remote: unknown, localObs: ArrayLike<number>): void => expect(remote).toEqual(Array.from(localObs));
    expectObs((await client.reset()).observation, local.reset({ seed: 500 + k }).observation);
    let episodes = 0;
    for (let t = 0; episodes < 3; t++) {
      const action = (t * (k + 1) + (t >> 1)) % 4;
      const r = await client.step(action);
      const l = local.step(action);
      expectObs(r.observation, l.observation);
      expect([r.reward, r.terminated, r.truncated]).toEqual([l.reward, l.terminated, l.truncated]);
      if (r.terminated || r.truncated) {
        episodes++;
        expect((r.info as StepInfo).episode).toEqual(l.info.episode);
        expectObs((await client.reset()).observation, local.reset().observation);
      }
    }
    await client.close();
  };
  await Promise.all(Array.from({ length: 50 }, (_, k) => play(k)));
  await new Promise((r) => setTimeout(r, 50));
  expect(server.health().connections).toBe(0);
});

it('a spectator that never reads does not slow the agent, memory stays bounded, a reading spectator loses no episode', async () => {
  // two identical agents; only the first is watched, by a spectator that never reads. Timed in alternating rounds,
  // best round of each, so that a burst of load on a shared CI machine does not decide the comparison.
  const options = { size: 8, obstacles: 20, maxEpisodeSteps: 30 };
  const watchedAgent = await connect(server.url, { role: 'agent' });
  const aloneAgent = await connect(server.url, { role: 'agent' });
  const { session } = await watchedAgent.make({ env: 'GridWorld-v0', numEnvs: 16, options });
  await aloneAgent.make({ env: 'GridWorld-v0', numEnvs: 16, options });
  await watchedAgent.reset({ seed: 1 });
  await aloneAgent.reset({ seed: 1 });
  const actions: number[] = new Array(16).fill(0);
  const run = async (agent: Client, steps: number): Promise<number> => {
    const start = performance.now();
    for (let t = 0; t < steps; t++) {
      for (let i = 0; i < 16; i++) actions[i] = (t + i * 5 + (t >> 3)) % 4;
      await agent.step(actions);
    }
    return steps / ((performance.now() - start) / 1000);
  };
  await run(aloneAgent, 200); // warm up
  await run(watchedAgent, 200);

  const slow = await connect(server.url, { role: 'spectator', name: 'slow' });
  let slowFrames = 0;
  slow.onEvent((e) => {
    if (e.type === 'frame') slowFrames++;
  });
  await slow.subscribe(session);
  // the test stops reading this spectator's socket: the server sees a client that never reads
  const slowSocket = (slow as unknown as { socket: { _socket: { pause(): void; resume(): void } } }).socket._socket;
  slowSocket.pause();
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const alone: number[] = [];
  const watched: number[] = [];
  for (let round = 0; round < 4; round++) {
    alone.push(await run(aloneAgent, 400));
    watched.push(await run(watchedAgent, 400));
  }
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  // A blocked spectator does not stall the agent: every watched round above finished. How fast, compared with the
  // agent alone, is the bench's business (its watched row), never a test's.
  // 1600 steps x 16 frames of ~300 bytes would be 7.7 MB queued if nothing were dropped; the queue is capped
  expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);

  // a spectator that reads, beside the blocked one, gets every episode event, numbered without gaps
  const reader = await connect(server.url, { role: 'spectator', name: 'reader' });
  const episodes: number[] = [];
  reader.onEvent((e: SpectatorEvent) => {
    if (e.type === 'episode') episodes.push(e.episode);
  });
  await reader.subscribe(session);
  const before = await sessionsEpisodes(reader, session);
  await run(watchedAgent, 600);
  const ended = (await sessionsEpisodes(reader, session)) - before;
  expect(ended).toBeGreaterThan(100);
  const deadline = Date.now() + 5000;
  while (episodes.length < ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(episodes).toEqual(Array.from({ length: ended }, (_, i) => before + i + 1));
  await Promise.all([watchedAgent.close(), aloneAgent.close(), reader.close()]);
  // once it reads again it gets what the server kept: fewer frames than the 35200 the agent made while it was watched
  slowSocket.resume();
  if (!slow.closed) await slow.sessions().catch(() => undefined);
  expect(slowFrames).toBeLessThan(2200 * 16);
  await slow.close();
});

async function sessionsEpisodes(spectator: Client, session: string): Promise<number> {
  return (await spectator.sessions()).find((s) => s.session === session)!.episodes;
}
