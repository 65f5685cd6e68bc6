import { nextInt, nextU32, randomSeed, Rng, RNG_WORDS, seedRng } from '../src';

// Reference values from an independent Python port of the algorithm documented in packages/envs/src/rng.ts.
describe('xoshiro128** seeded by splitmix32', () => {
  test('seeding gives the documented state', () => {
    expect(Array.from(new Rng(0).state)).toEqual([0x64625032, 0xd9c0799c, 0xaf362e10, 0x7fa88912]);
    expect(Array.from(new Rng(42).state)).toEqual([0x20e44818, 0x0895a923, 0x1339a01f, 0xb4e3841a]);
    expect(Array.from(new Rng(0xffffffff).state)).toEqual([0xeb721c8a, 0xffe8bd34, 0x4da2a8ce, 0xa4a5cc85]);
  });

  test('outputs match the reference port', () => {
    const draw = (seed: number): number[] => {
      const r = new Rng(seed);
      return [r.u32(), r.u32(), r.u32(), r.u32()];
    };
    expect(draw(0)).toEqual([1789933344, 44971166, 2521387044, 3848737593]);
    expect(draw(42)).toEqual([660444221, 3652823732, 77672526, 910233633]);
    expect(draw(0xffffffff)).toEqual([4104197751, 1825856343, 1152209388, 2427537429]);
  });

  test('int(n) = floor(u32 * n / 2^32)', () => {
    const r = new Rng(7);
    expect(Array.from({ length: 8 }, () => r.int(10))).toEqual([0, 1, 9, 9, 3, 6, 3, 1]);
    const a = new Rng(123);
    const b = new Rng(123);
    for (let k = 0; k < 100; k++) expect(a.int(4096)).toBe(Math.floor((b.u32() * 4096) / 2 ** 32));
  });

  test('generators packed 4 words each in one Uint32Array are independent and equal standalone ones', () => {
    const states = new Uint32Array(RNG_WORDS * 3);
    for (let i = 0; i < 3; i++) seedRng(states, RNG_WORDS * i, 100 + i);
    const standalone = [new Rng(100), new Rng(101), new Rng(102)];
    for (let k = 0; k < 20; k++) {
      for (const i of [2, 0, 1]) expect(nextU32(states, RNG_WORDS * i)).toBe(standalone[i]!.u32());
    }
    expect(nextInt(states, 0, 6)).toBe(standalone[0]!.int(6));
  });

  test('outputs are unsigned 32-bit and spread over their range', () => {
    const r = new Rng(1);
    const counts = new Array(8).fill(0);
    for (let k = 0; k < 8000; k++) {
      const v = r.u32();
      expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
      counts[v >>> 29]++;
    }
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });

  test('randomSeed leaves room for count sub-env seeds', () => {
    for (let k = 0; k < 100; k++) {
      const s = randomSeed(1000);
      expect(Number.isInteger(s) && s >= 0 && s + 999 < 2 ** 32).toBe(true);
    }
  });
});
