/**
 * The server's fast paths (the packed reply and the episode counts read from the env's ended columns when nobody
 * watches) give what the plain session and the in-process env give, watched or not, GridWorld and CartPole.
 */
import { makeVectorEnv, Rng } from '@rlfs/envs';
import type { Client, EndedEpisode, EpisodeEvent, PackedArray, StepInfo } from '@rlfs/protocol';
import { unpack } from '@rlfs/protocol';
import { useLiveServer } from './live-server';

const live = useLiveServer();
const N = 4;

const CASES = [
  ['GridWorld-v0, walled layout', 'GridWorld-v0', { layout: ['..#.', '.#..', '...#', '#...'], maxEpisodeSteps: 12 }, 4],
  ['GridWorld-v0, 5x5 open grid, 10-step episodes', 'GridWorld-v0', { maxEpisodeSteps: 10 }, 4],
  ['CartPole-v1, short episodes', 'CartPole-v1', { maxEpisodeSteps: 20 }, 2],
] as const;

async function made(env: string, options: Record<string, unknown>, encoding: 'plain' | 'packed'): Promise<{ client: Client; session: string }> {
  const client = await live.open('agent');
  const { session } = await client.make({ env, options, numEnvs: N, encoding });
  await client.reset({ seed: 31 });
  return { client, session };
}

describe.each(CASES)('%s', (_name, env, options, numActions) => {
  it('packed equals plain and the in-process env, step by step, ended list included; sessions counts the episodes', async () => {
    const packed = await made(env, options, 'packed');
    const plain = await made(env, options, 'plain');
    const local = makeVectorEnv(env, options, N);
    local.reset({ seed: 31 });
    const rng = new Rng(17);
    let endedTotal = 0;
    for (let t = 0; t < 60; t++) {
      const actions = Array.from({ length: N }, () => rng.int(numActions));
      const ps = await packed.client.step(actions);
      const ls = await plain.client.step(actions);
      local.step(actions);
      expect(Array.from(unpack(ps.observation as PackedArray))).toEqual(Array.from(local.observations));
      expect((ls.observation as number[][]).flat()).toEqual(Array.from(local.observations));
      expect(Array.from(unpack(ps.reward as PackedArray))).toEqual(ls.reward);
      expect(ls.reward).toEqual(Array.from(local.rewards));
      expect(Array.from(unpack(ps.terminated as PackedArray))).toEqual((ls.terminated as boolean[]).map(Number));
      expect(Array.from(unpack(ps.truncated as PackedArray))).toEqual((ls.truncated as boolean[]).map(Number));
      const infos = ls.info as StepInfo[];
      const fromPlain = infos.flatMap((info, index) => (info.episode ? [{ index, finalObservation: info.finalObservation, episode: info.episode }] : []));
      const fromPacked = (ps.ended as EndedEpisode[]).map((e) => ({ index: e.index, finalObservation: Array.from(unpack(e.finalObservation as PackedArray)), episode: e.episode }));
      expect(fromPacked).toEqual(fromPlain);
      expect(fromPacked).toEqual(local.ended.map((e) => ({ index: e.index, finalObservation: Array.from(e.finalObservation), episode: e.episode })));
      endedTotal += fromPacked.length;
    }
    expect(endedTotal).toBeGreaterThan(3);
    const spectator = await live.open('spectator');
    const list = await spectator.sessions();
    for (const s of [packed.session, plain.session]) expect(list.find((x) => x.session === s)).toMatchObject({ episodes: endedTotal, steps: 60 * N });
  });

  it('a watched packed session sends the same step_results as an unwatched one, and its episode events match the ended lists', async () => {
    const watched = await made(env, options, 'packed');
    const alone = await made(env, options, 'packed');
    const spectator = await live.open('spectator');
    const episodes: EpisodeEvent[] = [];
    spectator.onEvent((e) => {
      if (e.type === 'episode') episodes.push(e);
    });
    await spectator.subscribe(watched.session);
    const rng = new Rng(23);
    const expected: Array<{ index: number; return: number; length: number }> = [];
    for (let t = 0; t < 40; t++) {
      const actions = Array.from({ length: N }, () => rng.int(numActions));
      const { id: _a, ...w } = await watched.client.step(actions);
      const { id: _b, ...a } = await alone.client.step(actions);
      expect(w).toEqual(a);
      for (const e of w.ended as EndedEpisode[]) expect(e.episode).toBeDefined();
      expected.push(...(w.ended as EndedEpisode[]).map((e) => ({ index: e.index, return: e.episode.return, length: e.episode.length })));
    }
    expect(expected.length).toBeGreaterThan(3);
    const deadline = Date.now() + 5000;
    while (episodes.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(episodes.map((e) => ({ index: e.index, return: e.return, length: e.length }))).toEqual(expected);
    expect(episodes.map((e) => e.episode)).toEqual(expected.map((_, k) => k + 1));
  });
});
