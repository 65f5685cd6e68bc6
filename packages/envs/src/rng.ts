/**
 * The environments' own seeded generator: xoshiro128** (Blackman & Vigna), 32-bit words, seeded by splitmix32.
 * Its state lives in a Uint32Array, 4 words per generator, so a batch of N sub-environments keeps all its
 * generators in one `Uint32Array(4 * N)` and no object per sub-env.
 *
 * To reproduce it elsewhere (all arithmetic on unsigned 32-bit integers, i.e. modulo 2^32):
 *
 *   seeding from a 32-bit seed `x` (splitmix32):
 *     for k in 0..3:
 *       x = x + 0x9E3779B9
 *       z = x
 *       z = (z ^ (z >> 16)) * 0x21F0AAAD
 *       z = (z ^ (z >> 15)) * 0x735A2D97
 *       z =  z ^ (z >> 15)
 *       s[k] = z
 *     (z is a bijection of x and the four x differ, so at most one word is 0: the state is never all zero.)
 *
 *   next u32 (xoshiro128**):
 *     result = rotl(s[1] * 5, 7) * 9
 *     t = s[1] << 9
 *     s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
 *     s[2] ^= t
 *     s[3] = rotl(s[3], 11)
 *     return result
 *
 *   int(n), uniform in 0..n-1 for 1 <= n <= 2^21: floor(u32 * n / 2^32), one u32 per call
 *   (u32 * n < 2^53, so the product is exact in a double).
 *   float(): u32 / 2^32, in [0, 1).
 *
 * `>>` above is the logical (unsigned) shift. Reference values (also in test/rng.test.ts):
 *   seed 0:  state [0x64625032, 0xd9c0799c, 0xaf362e10, 0x7fa88912], u32s 1789933344, 44971166, 2521387044, 3848737593
 *   seed 42: u32s 660444221, 3652823732, 77672526, 910233633
 *   seed 7:  int(10) x 8 = 0, 1, 9, 9, 3, 6, 3, 1
 */

/** Words of state per generator. */
export const RNG_WORDS = 4;

/** Seeds the generator stored at `state[offset .. offset+3]` from a 32-bit seed (splitmix32). */
export function seedRng(state: Uint32Array, offset: number, seed: number): void {
  let x = seed >>> 0;
  for (let k = 0; k < RNG_WORDS; k++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z = z ^ (z >>> 15);
    state[offset + k] = z >>> 0;
  }
}

/** Next unsigned 32-bit output of the generator at `state[offset .. offset+3]` (xoshiro128**). */
export function nextU32(state: Uint32Array, offset: number): number {
  const s0 = state[offset]!;
  const s1 = state[offset + 1]!;
  const s2 = state[offset + 2]!;
  const s3 = state[offset + 3]!;
  const m = Math.imul(s1, 5);
  const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  const n1 = s1 ^ n2;
  const n0 = s0 ^ n3;
  state[offset] = n0;
  state[offset + 1] = n1;
  state[offset + 2] = n2 ^ t;
  state[offset + 3] = (n3 << 11) | (n3 >>> 21);
  return result;
}

/** Uniform integer in `0 .. n-1` (1 <= n <= 2^21): `floor(u32 * n / 2^32)`, consuming one u32. */
export function nextInt(state: Uint32Array, offset: number, n: number): number {
  return Math.floor((nextU32(state, offset) * n) / 4294967296);
}

/** Uniform float in [0, 1): `u32 / 2^32`, consuming one u32. */
export function nextFloat(state: Uint32Array, offset: number): number {
  return nextU32(state, offset) / 4294967296;
}

/** A standalone generator (one 4-word state), for agents, checkers and tests. */
export class Rng {
  readonly state = new Uint32Array(RNG_WORDS);
  constructor(seed: number) {
    seedRng(this.state, 0, seed);
  }
  /** Re-seeds in place. */
  seed(seed: number): void {
    seedRng(this.state, 0, seed);
  }
  u32(): number {
    return nextU32(this.state, 0);
  }
  /** Uniform integer in `0 .. n-1` (1 <= n <= 2^21). */
  int(n: number): number {
    return nextInt(this.state, 0, n);
  }
  /** Uniform float in [0, 1). */
  float(): number {
    return nextFloat(this.state, 0);
  }
}

/**
 * A fresh seed for when none was ever given: an integer in `0 .. 2^32 - count`, so that `seed + count - 1`
 * (the seed of the last of `count` sub-envs) stays below 2^32. The only non-determinism of the core.
 */
export function randomSeed(count = 1): number {
  return Math.floor(Math.random() * (4294967296 - count + 1));
}
