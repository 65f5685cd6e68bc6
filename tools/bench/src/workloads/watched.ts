/**
 * Watched vector agent, client side: does watching a session cost its agent? Two vector sessions of N sub-envs; in
 * alternating rounds one is stepped alone, then the other with five spectators subscribed that never read their
 * socket (fresh ones each round, so that none has been closed for stalling). Env-steps per second of each.
 */
import WebSocket from 'ws';
import { RemoteVectorEnv, connect } from '@rlfs/protocol/node';
import { decode, encode } from '@rlfs/protocol';
import { actionBatches, nowUs } from '../stats';

export interface WatchedConfig {
  url: string;
  numEnvs: number;
  spectators: number;
  rounds: number;
  /** Each timed window, ms (shorter than the server's spectator stall, 5 s by default). */
  roundMs: number;
  warmupMs: number;
}

export interface WatchedResult {
  /** Env-steps per second of each round, alone and watched. */
  alone: number[];
  watched: number[];
}

export async function measureWatched(config: WatchedConfig): Promise<WatchedResult> {
  const aloneClient = await connect(config.url, { role: 'agent', name: 'bench-alone' });
  const watchedClient = await connect(config.url, { role: 'agent', name: 'bench-watched' });
  try {
    const alone = await RemoteVectorEnv.make(aloneClient, { env: 'GridWorld-v0', numEnvs: config.numEnvs, seed: 1 });
    const watched = await RemoteVectorEnv.make(watchedClient, { env: 'GridWorld-v0', numEnvs: config.numEnvs, seed: 1 });
    await alone.reset();
    await watched.reset();
    const batches = actionBatches(config.numEnvs, 16, 4, 4242);
    let k = 0;
    const run = async (env: RemoteVectorEnv, ms: number): Promise<number> => {
      const start = nowUs();
      const end = start + ms * 1000;
      let steps = 0;
      let now = start;
      while (now < end) {
        await env.step(batches[k++ & 15]!);
        steps++;
        now = nowUs();
      }
      return (steps * config.numEnvs) / ((now - start) / 1e6);
    };
    await run(alone, config.warmupMs);
    await run(watched, config.warmupMs);
    const session = watched.session;
    const result: WatchedResult = { alone: [], watched: [] };
    // one watched round first, not counted: the server's frame path warms up as its step path just did
    for (let round = -1; round < config.rounds; round++) {
      const aloneRate = await run(alone, config.roundMs);
      const silent = await Promise.all(Array.from({ length: config.spectators }, () => silentSpectator(config.url, session)));
      const watchedRate = await run(watched, config.roundMs);
      for (const ws of silent) ws.terminate();
      if (round < 0) continue;
      result.alone.push(aloneRate);
      result.watched.push(watchedRate);
    }
    return result;
  } finally {
    await Promise.all([aloneClient.close(), watchedClient.close()]);
  }
}

/** A spectator subscribed to `session` that then stops reading its socket. */
async function silentSpectator(url: string, session: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const replies: Array<(m: Record<string, unknown>) => void> = [];
  ws.on('message', (data) => replies.shift()?.(decode(data as Buffer) as Record<string, unknown>));
  const request = (message: Record<string, unknown>): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      replies.push(resolve);
      ws.send(encode(message));
    });
  await request({ type: 'hello', id: 1, protocol: 1, role: 'spectator', name: 'bench-silent' });
  const subscribed = await request({ type: 'subscribe', id: 2, session });
  if (subscribed.type !== 'subscribed') throw new Error(`subscribe was answered with ${JSON.stringify(subscribed)}`);
  ws.pause();
  return ws;
}
