/** CartPole-v1 over the wire: listed in welcome, per-element Box bounds in the spec, float32 packed vector sessions. */
import { CARTPOLE_OBSERVATION_SPACE, makeEnv, makeVectorEnv } from '@rlfs/envs';
import type { PackedArray } from '@rlfs/protocol';
import { unpack } from '@rlfs/protocol';
import { useLiveServer } from './live-server';

const live = useLiveServer();

it('welcome lists CartPole-v1 beside GridWorld-v0; made carries the per-element bounds', async () => {
  const client = await live.open('agent');
  expect(client.welcome.envs).toEqual(expect.arrayContaining(['GridWorld-v0', 'CartPole-v1']));
  const made = await client.make({ env: 'CartPole-v1', options: { maxEpisodeSteps: 50 } });
  expect(made.spec).toEqual({
    id: 'CartPole-v1',
    options: { suttonBartoReward: false, maxEpisodeSteps: 50 },
    observationSpace: CARTPOLE_OBSERVATION_SPACE,
    actionSpace: { type: 'Discrete', n: 2 },
    maxEpisodeSteps: 50,
    encoding: 'plain',
  });
});

it('a bad option is INVALID_OPTIONS naming it', async () => {
  const client = await live.open('agent');
  await expect(client.make({ env: 'CartPole-v1', options: { suttonBartoReward: 'yes' } })).rejects.toMatchObject({
    code: 'INVALID_OPTIONS',
    message: expect.stringContaining('suttonBartoReward'),
  });
});

it('plain scalar episodes equal the in-process env seeded alike (float32 values sent as numbers)', async () => {
  const client = await live.open('agent');
  await client.make({ env: 'CartPole-v1' });
  const local = makeEnv('CartPole-v1');
  const remote = await client.reset({ seed: 9 });
  expect(remote.observation).toEqual(Array.from(local.reset({ seed: 9 }).observation));
  for (let t = 0; t < 60; t++) {
    const r = await client.step(t % 3 === 0 ? 0 : 1);
    const l = local.step(t % 3 === 0 ? 0 : 1);
    expect(r.observation).toEqual(Array.from(l.observation));
    expect([r.reward, r.terminated, r.truncated]).toEqual([l.reward, l.terminated, l.truncated]);
    if (l.terminated || l.truncated) {
      expect(r.info).toEqual({ episode: l.info.episode });
      break;
    }
  }
});

it('packed vector sessions carry float32 observations [numEnvs, 4] and the ended list', async () => {
  const N = 3;
  const client = await live.open('agent');
  await client.make({ env: 'CartPole-v1', numEnvs: N, encoding: 'packed', options: { maxEpisodeSteps: 5 } });
  const local = makeVectorEnv('CartPole-v1', { maxEpisodeSteps: 5 }, N);
  const reset = await client.reset({ seed: 2 });
  local.reset({ seed: 2 });
  const obs = reset.observation as PackedArray;
  expect([obs.dtype, obs.shape]).toEqual(['float32', [N, 4]]);
  expect(unpack(obs)).toEqual(local.observations);
  for (let t = 0; t < 5; t++) {
    const actions = [t % 2, 1, 0];
    const r = await client.step(actions);
    local.step(actions);
    expect(unpack(r.observation as PackedArray)).toEqual(local.observations);
    expect(r.ended ?? []).toHaveLength(t === 4 ? N : 0);
  }
});
