/**
 * The in-process floor of CartPole-v1 (`inproc-floor`, env CartPole-v1): the same work as the env's vector step with
 * default options, as one plain loop over typed arrays: each action checked to be 0 or 1, Gymnasium's Euler update
 * in float64 (same expressions, same order), termination at |x| > 2.4 or |theta| > 12 degrees, reward 1, truncation
 * at 500 steps, the float32 observation written; at autoreset the final observation, index, return, length and
 * terminated recorded (preallocated arrays, not objects) and four xoshiro128** floats (inline) drawn for the new
 * state. Its outputs equal the env's bit for bit for the same seeds (test/floors.test.ts).
 */

const GRAVITY = 9.8;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + 1.0;
const LENGTH = 0.5;
const POLEMASS_LENGTH = MASS_POLE * LENGTH;
const FORCE = 10.0;
const TAU = 0.02;
const X_LIMIT = 2.4;
const THETA_LIMIT = (12 * 2 * Math.PI) / 360;
const MAX_STEPS = 500;
const BOUND = 0.05;

export class CartPoleFloor {
  readonly numEnvs: number;
  /** Observations as float32, sub-env i at `4 * i`. */
  readonly obs: Float32Array;
  readonly reward: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  endedCount = 0;
  readonly endedIndex: Int32Array;
  readonly endedReturn: Float64Array;
  readonly endedLength: Float64Array;
  readonly endedTerminated: Uint8Array;
  readonly finalObs: Float32Array;
  /** float64 state, sub-env i at `4 * i`: x, xDot, theta, thetaDot. */
  private readonly state: Float64Array;
  private readonly ret: Float64Array;
  private readonly len: Float64Array;
  private readonly s: Uint32Array;

  constructor(numEnvs: number, seed: number) {
    const n = numEnvs;
    this.numEnvs = n;
    this.obs = new Float32Array(4 * n);
    this.reward = new Float64Array(n);
    this.terminated = new Uint8Array(n);
    this.truncated = new Uint8Array(n);
    this.endedIndex = new Int32Array(n);
    this.endedReturn = new Float64Array(n);
    this.endedLength = new Float64Array(n);
    this.endedTerminated = new Uint8Array(n);
    this.finalObs = new Float32Array(4 * n);
    this.state = new Float64Array(4 * n);
    this.ret = new Float64Array(n);
    this.len = new Float64Array(n);
    this.s = new Uint32Array(4 * n);
    for (let i = 0; i < n; i++) {
      let x = (seed + i) >>> 0;
      for (let k = 0; k < 4; k++) {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
        z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
        this.s[4 * i + k] = (z ^ (z >>> 15)) >>> 0;
      }
      this.newEpisode(i);
    }
  }

  step(actions: ArrayLike<number>): void {
    const n = this.numEnvs;
    if (actions.length !== n) throw new Error(`expected ${n} actions, got ${actions.length}`);
    for (let i = 0; i < n; i++) {
      const a = actions[i]!;
      if ((a & 1) !== a) throw new Error(`action[${i}]: expected 0 or 1, got ${a}`);
    }
    const { state, obs, reward, terminated, truncated, ret, len } = this;
    this.endedCount = 0;
    for (let i = 0; i < n; i++) {
      const o = 4 * i;
      const x = state[o]!;
      const xDot = state[o + 1]!;
      const theta = state[o + 2]!;
      const thetaDot = state[o + 3]!;
      const force = actions[i] === 1 ? FORCE : -FORCE;
      const cos = Math.cos(theta);
      const sin = Math.sin(theta);
      const temp = (force + POLEMASS_LENGTH * thetaDot ** 2 * sin) / TOTAL_MASS;
      const thetaAcc = (GRAVITY * sin - cos * temp) / (LENGTH * (4.0 / 3.0 - (MASS_POLE * cos ** 2) / TOTAL_MASS));
      const xAcc = temp - (POLEMASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
      const x1 = x + TAU * xDot;
      const theta1 = theta + TAU * thetaDot;
      state[o] = x1;
      state[o + 1] = xDot + TAU * xAcc;
      state[o + 2] = theta1;
      state[o + 3] = thetaDot + TAU * thetaAcc;
      obs[o] = x1;
      obs[o + 1] = state[o + 1]!;
      obs[o + 2] = theta1;
      obs[o + 3] = state[o + 3]!;
      const done = x1 < -X_LIMIT || x1 > X_LIMIT || theta1 < -THETA_LIMIT || theta1 > THETA_LIMIT;
      const length = len[i]! + 1;
      len[i] = length;
      ret[i] += 1;
      reward[i] = 1;
      terminated[i] = done ? 1 : 0;
      const cut = !done && length >= MAX_STEPS;
      truncated[i] = cut ? 1 : 0;
      if (done || cut) {
        const k = this.endedCount++;
        this.finalObs.set(obs.subarray(o, o + 4), 4 * k);
        this.endedIndex[k] = i;
        this.endedReturn[k] = ret[i]!;
        this.endedLength[k] = length;
        this.endedTerminated[k] = done ? 1 : 0;
        this.newEpisode(i);
      }
    }
  }

  /** state[k] = -0.05 + 0.1 * float(), k = x, xDot, theta, thetaDot (the env's documented draw order). */
  private newEpisode(i: number): void {
    const o = 4 * i;
    for (let k = 0; k < 4; k++) {
      const v = -BOUND + 2 * BOUND * (this.u32(i) / 4294967296);
      this.state[o + k] = v;
      this.obs[o + k] = v;
    }
    this.ret[i] = 0;
    this.len[i] = 0;
  }

  /** xoshiro128** of sub-env i. */
  private u32(i: number): number {
    const s = this.s;
    const o = 4 * i;
    const s0 = s[o]!;
    const s1 = s[o + 1]!;
    const s2 = s[o + 2]!;
    const s3 = s[o + 3]!;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[o] = s0 ^ n3;
    s[o + 1] = s1 ^ n2;
    s[o + 2] = n2 ^ t;
    s[o + 3] = (n3 << 11) | (n3 >>> 21);
    return result;
  }
}
