/**
 * The agents' own seeded generator (sfc32). Agents never use Math.random: the same seed must give the
 * same run, and the generator's state goes into checkpoints so that a resumed run continues the stream.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads a small integer seed over the four words of state.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = (this.b ^ (this.b >>> 9)) >>> 0;
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** The four words of state, for checkpoints. */
  getState(): [number, number, number, number] {
    return [this.a, this.b, this.c, this.d];
  }

  setState(state: readonly number[]): void {
    if (state.length !== 4 || !state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      throw new Error('rng state must be four unsigned 32-bit integers');
    }
    [this.a, this.b, this.c, this.d] = state as [number, number, number, number];
  }
}

/**
 * The index of the largest of `values[offset .. offset + n)`, ties broken uniformly by `rng`
 * (index order would bias an untrained agent towards action 0 forever).
 */
export function argmaxRandomTie(values: ArrayLike<number>, offset: number, n: number, rng: Rng): number {
  let best = -Infinity;
  let count = 0;
  let choice = 0;
  for (let i = 0; i < n; i++) {
    const v = values[offset + i]!;
    if (v > best) {
      best = v;
      count = 1;
      choice = i;
    } else if (v === best) {
      // Reservoir sampling over the tied indices: each is kept with probability 1/count.
      count++;
      if (rng.int(count) === 0) choice = i;
    }
  }
  return choice;
}
