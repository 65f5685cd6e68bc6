/**
 * The packed vector step_result written by the server's reused-buffer writer, and RemoteVectorEnv over it:
 * the bytes equal the generic codec's for the same reply (large N, many ended episodes, negative and fractional
 * returns, every id size), and a packed RemoteVectorEnv hands agents the same typed arrays as a plain one.
 */
import { RemoteVectorEnv, connect, dtypeOf, encode, pack } from '@rlfs/protocol/node';
import type { Client } from '@rlfs/protocol/node';
import { makeVectorEnv } from '@rlfs/envs';
import type { VectorEnv } from '@rlfs/envs';
import { PackedStepWriter } from '../src/server/packed-reply';
import { startServer } from '../src';
import type { RunningServer } from '../src';

/** The reply as the generic codec encodes it: the form the writer must reproduce byte for byte. */
function genericReply(vec: VectorEnv, shape: number[], id: number | undefined): Uint8Array {
  const body: Record<string, unknown> = {
    type: 'step_result',
    observation: pack(vec.observations, [vec.numEnvs, ...shape]),
    reward: pack(vec.rewards),
    terminated: pack(vec.terminated),
    truncated: pack(vec.truncated),
    ended: vec.ended.map((e) => ({ index: e.index, finalObservation: pack(e.finalObservation, shape), episode: e.episode })),
  };
  if (id !== undefined) body.id = id;
  return encode(body);
}

describe('PackedStepWriter', () => {
  it.each([
    // n, options: small bins; bin16 observations; bin32 observations with all 1000 ending every other step (array16)
    [4, { size: 3, maxEpisodeSteps: 3, obstacles: 1 }],
    [1024, { size: 5 }],
    [1000, { size: 8, maxEpisodeSteps: 2, observation: 'onehot', rewards: { step: -0.37, goal: 3 } }],
    [64, { size: 4, observation: 'coords', maxEpisodeSteps: 4 }],
  ])('n=%i %j: the same bytes as the generic codec, with and without id', (n, options) => {
    const vec = makeVectorEnv('GridWorld-v0', options, n);
    vec.reset({ seed: 11 });
    const space = vec.spec.observationSpace;
    const shape = space.type === 'Box' ? space.shape : [];
    const writer = new PackedStepWriter(n, dtypeOf(vec.observations), shape, vec.observations.BYTES_PER_ELEMENT);
    const ids = [undefined, 0, 127, 128, 255, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 40];
    let ended = 0;
    for (let t = 0; t < 30; t++) {
      vec.step(Array.from({ length: n }, (_, i) => (i * 7 + t * 3 + (t >> 2)) % 4));
      ended += vec.ended.length;
      const id = ids[t % ids.length];
      const bytes = writer.write(vec).finish(id);
      expect(Buffer.from(bytes).equals(Buffer.from(genericReply(vec, shape, id)))).toBe(true);
      if (t % 5 === 0) writer.detach();
    }
    expect(ended).toBeGreaterThan(0);
  });
});

describe('RemoteVectorEnv over the packed encoding', () => {
  let server: RunningServer;
  const clients: Client[] = [];
  beforeAll(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  });

  async function make(numEnvs: number, encoding: 'plain' | 'packed', options: Record<string, unknown>): Promise<RemoteVectorEnv> {
    const client = await connect(server.url, { role: 'agent' });
    clients.push(client);
    return RemoteVectorEnv.make(client, { env: 'GridWorld-v0', numEnvs, encoding, options });
  }

  it.each([
    [8, { size: 3, maxEpisodeSteps: 5, obstacles: 2 }],
    [300, { size: 5, maxEpisodeSteps: 7 }],
  ])('n=%i: packed equals plain for the same seed and actions, as typed arrays', async (n, options) => {
    const packed = await make(n, 'packed', options);
    const plain = await make(n, 'plain', options);
    expect(packed.packed).toBe(true);
    await packed.reset({ seed: 5 });
    await plain.reset({ seed: 5 });
    expect(packed.observations).toBeInstanceOf(Int8Array);
    expect(Array.from(packed.observations)).toEqual(Array.from(plain.observations));
    let ended = 0;
    for (let t = 0; t < 20; t++) {
      const actions = Int32Array.from({ length: n }, (_, i) => (i + t * 5 + (i >> 1)) % 4);
      await packed.step(actions);
      await plain.step(actions);
      expect(packed.observations).toBeInstanceOf(Int8Array);
      expect(packed.rewards).toBeInstanceOf(Float64Array);
      expect(Array.from(packed.observations)).toEqual(Array.from(plain.observations));
      expect(Array.from(packed.rewards)).toEqual(Array.from(plain.rewards));
      expect(Array.from(packed.terminated)).toEqual(Array.from(plain.terminated));
      expect(Array.from(packed.truncated)).toEqual(Array.from(plain.truncated));
      const view = (env: RemoteVectorEnv) => env.ended.map((e) => ({ ...e, finalObservation: Array.from(e.finalObservation) }));
      expect(view(packed)).toEqual(view(plain));
      for (const e of packed.ended) expect(e.finalObservation).toBeInstanceOf(Int8Array);
      ended += packed.ended.length;
    }
    expect(ended).toBeGreaterThan(0);
  });

  it('actions that do not fit the packed uint8 array are not wrapped: the server refuses them', async () => {
    const env = await make(3, 'packed', { size: 3 });
    await env.reset({ seed: 1 });
    const before = await env.render('state');
    for (const bad of [[0, 256, 1], [0, -1, 1], [0, 1.5, 1], [0, 1], [0, 4, 1]]) {
      await expect(env.step(bad)).rejects.toMatchObject({ code: 'INVALID_ACTION' });
    }
    expect(await env.render('state')).toEqual(before);
  });
});
