/**
 * A spectator that never reads holds nothing for long: once its socket has stayed above its high-water mark for
 * --spectator-stall it is closed, while a spectator that reads beside it keeps every episode event.
 */
import { connect } from '@rlfs/protocol/node';
import type { SpectatorEvent } from '@rlfs/protocol';
import { startServer } from '../src';
import { RawSocket } from '../src/checker';

it('closes a spectator that does not read after --spectator-stall; the reading one loses no episode', async () => {
  const server = await startServer({ port: 0, host: '127.0.0.1', spectatorStall: 300, spectatorHighWater: 4096, warn: () => undefined });
  try {
    const agent = await connect(server.url, { role: 'agent' });
    const { session } = await agent.make({ env: 'GridWorld-v0', numEnvs: 16, options: { size: 6, obstacles: 4, maxEpisodeSteps: 20, observation: 'coords' } });
    await agent.reset({ seed: 3 });
    const slow = await RawSocket.hello(server.url, 'spectator');
    await slow.request({ type: 'subscribe', id: 1, session });
    slow.socket.pause(); // never reads again
    const reader = await connect(server.url, { role: 'spectator' });
    const episodes: number[] = [];
    reader.onEvent((e: SpectatorEvent) => {
      if (e.type === 'episode') episodes.push(e.episode);
    });
    await reader.subscribe(session);
    const actions = new Array<number>(16).fill(0);
    expect(server.health()).toMatchObject({ connections: 3, spectators: 2 });
    // step until the server has let the silent spectator go (a paused client cannot see its close; the server can),
    // bounded at 20000 steps
    // Telemetry of 250 long metric names (about 50 KB) with each step fills the silent socket's buffers quickly.
    const metrics = Object.fromEntries(Array.from({ length: 250 }, (_, k) => [`metric/${k}/${'x'.repeat(180)}`, k]));
    let steps = 0;
    for (; steps < 20_000 && server.health().connections === 3; steps++) {
      for (let i = 0; i < 16; i++) actions[i] = (steps + i) % 4;
      agent.telemetry(metrics);
      await agent.step(actions);
    }
    expect(server.health()).toMatchObject({ connections: 2, spectators: 1 });
    if (process.env.STALL_VERBOSE) console.log(`steps until the silent spectator went: ${steps}`);
    slow.socket.terminate();
    const ended = (await reader.sessions()).find((s) => s.session === session)!.episodes;
    const deadline = Date.now() + 5000;
    while (episodes.length < ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(episodes).toEqual(Array.from({ length: ended }, (_, i) => i + 1));
    await Promise.all([agent.close(), reader.close()]);
  } finally {
    await server.close();
  }
});
