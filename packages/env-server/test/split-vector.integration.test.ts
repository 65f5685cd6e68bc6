/**
 * One learner's sub-envs split over three real servers step exactly as one vector session on one server with the
 * same seed: same observations, rewards, terminated/truncated, infos and ended episodes, both encodings.
 */
import { connect, connectVectorEnv } from '@rlfs/protocol/node';
import { RemoteVectorEnv, splitSizes } from '@rlfs/protocol';
import type { Client, Encoding, SplitVectorEnv, VectorEnv } from '@rlfs/protocol';
import { startServer } from '../src';
import type { RunningServer } from '../src';

const servers: RunningServer[] = [];
const clients: Client[] = [];
let urls: string[];

beforeAll(async () => {
  for (let k = 0; k < 3; k++) servers.push(await startServer({ port: 0, host: '127.0.0.1', warn: () => undefined }));
  urls = servers.map((s) => s.url);
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Polls `check` until it is true (the server's side of a close lands after the client's). */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

/** The reference: one vector session of N on the first server. */
async function single(args: Parameters<typeof RemoteVectorEnv.make>[1]): Promise<RemoteVectorEnv> {
  const client = await connect(urls[0]!, { role: 'agent', name: 'single' });
  clients.push(client);
  return RemoteVectorEnv.make(client, args);
}

/** Mulberry32: the same seeded actions for both sides. */
function actionsFrom(seed: number, n: number, count: number): () => number[] {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Array.from({ length: count }, () => Math.floor(next() * n));
}

function snapshot(env: VectorEnv) {
  return {
    observations: Array.from(env.observations),
    rewards: Array.from(env.rewards),
    terminated: Array.from(env.terminated),
    truncated: Array.from(env.truncated),
    ended: env.ended.map((e) => ({ ...e, finalObservation: Array.from(e.finalObservation) })),
    infos: Array.from({ length: env.numEnvs }, (_, i) => env.infoAt(i)),
  };
}

it('splitSizes shares sub-envs as evenly as possible, larger shares first, and refuses fewer sub-envs than servers', () => {
  expect(splitSizes(10, 3)).toEqual([4, 3, 3]);
  expect(splitSizes(7, 3)).toEqual([3, 2, 2]);
  expect(splitSizes(6, 3)).toEqual([2, 2, 2]);
  expect(splitSizes(5, 1)).toEqual([5]);
  expect(() => splitSizes(2, 3)).toThrow('numEnvs 2 cannot be split over 3 servers');
});

describe.each([
  ['GridWorld-v0', { size: 4, obstacles: 2, maxEpisodeSteps: 12 }, 4],
  ['CartPole-v1', { maxEpisodeSteps: 40 }, 2],
] as const)('%s split 3/2/2 over three servers equals one server', (env, options, numActions) => {
  it.each(['plain', 'packed'] as Encoding[])('%s encoding: 300 seeded random steps, a reseed, an invalid batch refused', async (encoding) => {
    const args = { env, options: { ...options }, numEnvs: 7, seed: 123, encoding };
    const one = await single(args);
    const split = await connectVectorEnv(urls, { role: 'agent', name: 'split' }, args);
    try {
      expect(split.numEnvs).toBe(7);
      expect(split.offsets).toEqual([0, 3, 5]);
      expect(split.spec).toEqual(one.spec);
      // one vector session per server, 3 + 2 + 2 sub-envs
      const listed = await Promise.all(urls.map(async (url) => {
        const spectator = await connect(url, { role: 'spectator' });
        const sessions = await spectator.sessions();
        spectator.close();
        return sessions.filter((s) => s.name === 'split').map((s) => s.numEnvs);
      }));
      expect(listed).toEqual([[3], [2], [2]]);

      await one.reset();
      await split.reset();
      expect(snapshot(split)).toEqual(snapshot(one));
      const next = actionsFrom(7, numActions, 7);
      const endedAt = new Set<number>();
      for (let t = 0; t < 300; t++) {
        if (t === 150) {
          // reset with a seed of its own: sub-env i is seeded 999 + i on either side
          await one.reset({ seed: 999 });
          await split.reset({ seed: 999 });
          expect(snapshot(split)).toEqual(snapshot(one));
        }
        if (t === 200) {
          // an action out of range anywhere refuses the whole batch: neither side steps
          const bad = next();
          bad[6] = numActions;
          await expect(one.step(bad)).rejects.toMatchObject({ code: 'INVALID_ACTION' });
          await expect(split.step(bad)).rejects.toMatchObject({ code: 'INVALID_ACTION', message: `action 6: expected an integer in 0..${numActions - 1}, got ${numActions}` });
        }
        const actions = next();
        await one.step(actions);
        await split.step(actions);
        expect(snapshot(split)).toEqual(snapshot(one));
        for (const e of split.ended) endedAt.add(e.index);
      }
      // episodes ended in every part, so autoreset was exercised on each server
      expect([...endedAt].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(await split.render('ansi')).toEqual(await one.render('ansi'));
    } finally {
      await split.close();
    }
    // closing closes every part's session and connection
    await eventually(() => servers[0]!.health().sessions === 1 && servers[1]!.health().connections === 0 && servers[2]!.health().connections === 0);
  }, 60_000);
});

it('the same seed at make (no seed at reset) seeds sub-env i with seed + i across the split', async () => {
  const args = { env: 'GridWorld-v0', options: { size: 6 }, numEnvs: 5, seed: 40 };
  const one = await single(args);
  const split = await connectVectorEnv(urls, { role: 'agent' }, args);
  try {
    await one.reset();
    await split.reset();
    expect(snapshot(split)).toEqual(snapshot(one));
  } finally {
    await split.close();
  }
});

it('a server that cannot be reached is named in the error, and the connections already opened are closed', async () => {
  const gone = await startServer({ port: 0, host: '127.0.0.1' });
  const goneUrl = gone.url;
  await gone.close();
  const opening = connectVectorEnv([urls[1]!, goneUrl, urls[2]!], { role: 'agent', connectTimeoutMs: 2000 }, { env: 'GridWorld-v0', numEnvs: 3 });
  await expect(opening).rejects.toThrow(goneUrl);
  await eventually(() => servers[1]!.health().connections === 0 && servers[2]!.health().connections === 0);
});

it('an error from one server names its URL; sessions made on the others are closed', async () => {
  const secured = await startServer({ port: 0, host: '127.0.0.1', token: 's3cret' });
  try {
    const opening = connectVectorEnv([urls[1]!, secured.url], { role: 'agent' }, { env: 'GridWorld-v0', numEnvs: 4 });
    await expect(opening).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining(secured.url) as string });
    await eventually(() => servers[1]!.health().connections === 0);
  } finally {
    await secured.close();
  }
});

it('a server lost mid-run fails the step with its URL', async () => {
  const doomed = await startServer({ port: 0, host: '127.0.0.1' });
  let split: SplitVectorEnv | undefined;
  try {
    split = await connectVectorEnv([urls[1]!, doomed.url], { role: 'agent' }, { env: 'GridWorld-v0', numEnvs: 4, seed: 1 });
    await split.reset();
    await split.step([0, 1, 2, 3]);
    await doomed.close();
    await expect(split.step([0, 1, 2, 3])).rejects.toMatchObject({ code: 'CONNECTION_CLOSED', message: expect.stringContaining(doomed.url) as string });
  } finally {
    await split?.close();
    await doomed.close().catch(() => undefined);
  }
  await eventually(() => servers[1]!.health().connections === 0);
});

it('fewer sub-envs than servers is refused before any connection opens', async () => {
  await expect(connectVectorEnv(urls, { role: 'agent' }, { env: 'GridWorld-v0', numEnvs: 2 })).rejects.toThrow('numEnvs 2 cannot be split over 3 servers');
});
