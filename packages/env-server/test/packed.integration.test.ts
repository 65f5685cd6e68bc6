/** The packed encoding over the wire: packed observations, the packed vector step_result, packed actions. */
import { pack, unpack } from '@rlfs/protocol';
import type { Client, EndedEpisode, PackedArray, StepInfo } from '@rlfs/protocol';
import { useLiveServer } from './live-server';

const live = useLiveServer();

async function session(args: Omit<Parameters<Client['make']>[0], 'env'>): Promise<Client> {
  const client = await live.open('agent');
  const made = await client.make({ env: 'GridWorld-v0', ...args });
  expect(made.spec.encoding).toBe(args.encoding ?? 'plain');
  return client;
}

/** Checks the packed array's form exactly and returns its values. */
function values(value: unknown, dtype: string, shape: number[]): number[] {
  const p = value as PackedArray;
  expect(Object.keys(p).sort()).toEqual(['data', 'dtype', 'shape']);
  expect(p.dtype).toBe(dtype);
  expect(p.shape).toEqual(shape);
  expect(p.data).toBeInstanceOf(Uint8Array);
  const itemSize = { int8: 1, uint8: 1, int16: 2, int32: 4, float32: 4, float64: 8 }[dtype]!;
  expect(p.data.byteLength).toBe(shape.reduce((a, b) => a * b, 1) * itemSize);
  return Array.from(unpack(p));
}

it.each([
  ['grid', 'int8', [36]],
  ['onehot', 'uint8', [108]],
  ['coords', 'int8', [4]],
])('scalar %s: packed observations with the space dtype and shape, equal to the plain ones; the rest plain', async (observation, dtype, shape) => {
  const options = { size: 6, obstacles: 5, observation, maxEpisodeSteps: 10 };
  const packed = await session({ options, encoding: 'packed' });
  const plain = await session({ options });
  const pr = await packed.reset({ seed: 3 });
  const lr = await plain.reset({ seed: 3 });
  expect(values(pr.observation, dtype, shape as number[])).toEqual(lr.observation);
  expect(pr.info).toEqual(lr.info);
  for (let t = 0; t < 25; t++) {
    const ps = await packed.step(t % 4);
    const ls = await plain.step(t % 4);
    expect(values(ps.observation, dtype, shape as number[])).toEqual(ls.observation);
    const { observation: _a, ...restPacked } = ps;
    const { observation: _b, ...restPlain } = ls;
    expect(restPacked).toEqual(restPlain);
    if (ls.terminated || ls.truncated) {
      await packed.reset();
      await plain.reset();
    }
  }
});

it('the default encoding is plain', async () => {
  const client = await session({});
  expect(Array.isArray((await client.reset()).observation)).toBe(true);
});

describe('vector', () => {
  const N = 4;
  const options = { size: 3, maxEpisodeSteps: 6, obstacles: 1 };

  it('reset: packed [numEnvs, ...shape] observation and the plain info list', async () => {
    const packed = await session({ numEnvs: N, options, encoding: 'packed' });
    const plain = await session({ numEnvs: N, options });
    const pr = await packed.reset({ seed: 8 });
    const lr = await plain.reset({ seed: 8 });
    expect(values(pr.observation, 'int8', [N, 9])).toEqual((lr.observation as number[][]).flat());
    expect(pr.info).toEqual(lr.info);
  });

  it('step_result is {observation, reward float64, terminated and truncated uint8, ended} and equals the plain session', async () => {
    const packed = await session({ numEnvs: N, options, encoding: 'packed' });
    const plain = await session({ numEnvs: N, options });
    await packed.reset({ seed: 21 });
    await plain.reset({ seed: 21 });
    let endedSeen = 0;
    for (let t = 0; t < 40; t++) {
      const actions = Array.from({ length: N }, (_, i) => (t + i * 3 + (t >> 1)) % 4);
      const ps = await packed.step(actions);
      const ls = await plain.step(actions);
      expect(Object.keys(ps).sort()).toEqual(['ended', 'id', 'observation', 'reward', 'terminated', 'truncated', 'type']);
      expect(values(ps.observation, 'int8', [N, 9])).toEqual((ls.observation as number[][]).flat());
      expect(values(ps.reward, 'float64', [N])).toEqual(ls.reward);
      expect(values(ps.terminated, 'uint8', [N])).toEqual((ls.terminated as boolean[]).map(Number));
      expect(values(ps.truncated, 'uint8', [N])).toEqual((ls.truncated as boolean[]).map(Number));
      const infos = ls.info as StepInfo[];
      const expected = infos.flatMap((info, index) => (info.episode ? [{ index, finalObservation: info.finalObservation, episode: info.episode }] : []));
      const ended = ps.ended as EndedEpisode[];
      expect(Array.isArray(ended)).toBe(true);
      expect(ended.map((e) => ({ index: e.index, finalObservation: values(e.finalObservation, 'int8', [9]), episode: e.episode }))).toEqual(expected);
      endedSeen += ended.length;
    }
    expect(endedSeen).toBeGreaterThan(5);
  });

  it.each([
    ['int8', new Int8Array([0, 1, 2, 3])],
    ['uint8', new Uint8Array([0, 1, 2, 3])],
    ['int16', new Int16Array([0, 1, 2, 3])],
    ['int32', new Int32Array([0, 1, 2, 3])],
  ])('accepts packed %s actions, in packed and plain sessions alike', async (_dtype, actions) => {
    for (const encoding of ['packed', 'plain'] as const) {
      const a = await session({ numEnvs: N, options, encoding });
      const b = await session({ numEnvs: N, options, encoding });
      await a.reset({ seed: 2 });
      await b.reset({ seed: 2 });
      const { id: _x, ...withPacked } = await a.step(pack(actions));
      const { id: _y, ...withList } = await b.step([0, 1, 2, 3]);
      expect(withPacked).toEqual(withList);
    }
  });

  it('refuses bad packed actions with INVALID_ACTION, and nothing changes', async () => {
    const client = await session({ numEnvs: N, options, encoding: 'packed' });
    const twin = await session({ numEnvs: N, options, encoding: 'packed' });
    await client.reset({ seed: 4 });
    await twin.reset({ seed: 4 });
    const before = (await client.render('state')).frame;
    const bytes = (n: number): Uint8Array => new Uint8Array(n);
    const bad: unknown[] = [
      pack(new Float32Array([0, 1, 2, 3])),
      pack(new Float64Array([0, 1, 2, 3])),
      pack(new Int32Array([0, 1, 2])),
      pack(new Int32Array([0, 1, 2, 3, 0])),
      pack(new Int32Array([0, 1, 2, 3]), [2, 2]),
      pack(new Int32Array([0, 1, 2, 3]), [4, 1]),
      { dtype: 'int32', shape: [4], data: bytes(15) },
      { dtype: 'int32', shape: [4], data: bytes(17) },
      { dtype: 'int32', shape: [5], data: bytes(16) },
      { dtype: 'uint8', shape: [4], data: [0, 1, 2, 3] },
      { dtype: 'int64', shape: [4], data: bytes(32) },
      { dtype: 'int8', shape: 4, data: bytes(4) },
      { dtype: 'int8', shape: [4] },
      pack(new Int8Array([0, 1, 4, 3])),
      pack(new Int8Array([0, -1, 2, 3])),
      pack(new Int16Array([0, 1, 2, 256])),
      pack(new Uint8Array([255, 0, 0, 0])),
    ];
    for (const action of bad) await expect(client.step(action)).rejects.toMatchObject({ code: 'INVALID_ACTION' });
    expect((await client.render('state')).frame).toEqual(before);
    const { id: _x, ...after } = await client.step(pack(new Int32Array([3, 2, 1, 0])));
    const { id: _y, ...expected } = await twin.step([3, 2, 1, 0]);
    expect(after).toEqual(expected);
  });
});
