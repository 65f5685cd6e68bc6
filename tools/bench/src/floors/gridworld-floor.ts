/**
 * The in-process floor of GridWorld-v0 (`inproc-floor`): the same work as `GridWorldVector.step` with the default
 * options (5x5, walls, grid observation, no random obstacles, 100 steps, rewards -1/+100/-1, shaping 1), written as
 * one plain loop over typed arrays, without the batch class, the generator module or the `ended` objects:
 *
 *   - every action checked to be 0..3 (a bad one throws, as the env does);
 *   - the move from a table, a bump off the grid or into an obstacle (the obstacle map is read on every move, as
 *     the env reads its shared map), the observation updated by two writes;
 *   - the reward with its shaping term (the Euclidean distance to the goal before and after), the episode's return
 *     and length, terminated (goal reached) and truncated (100 steps);
 *   - autoreset in the same step: the final observation copied, the episode's index, return, length, terminated and
 *     shortest path recorded (into preallocated arrays, not objects), then two draws of xoshiro128** (written inline)
 *     for the new agent and goal, the distance and Manhattan shortest path, and the observation's marks moved.
 *
 * Its outputs equal the env's bit for bit for the same seeds (test/floors.test.ts), so it cannot do less work.
 */

const SIZE = 5;
const CELLS = SIZE * SIZE;
const MAX_STEPS = 100;
const R_STEP = -1;
const R_GOAL = 100;
const R_WALL = -1;
const R_SHAPING = 1;

export class GridWorldFloor {
  readonly numEnvs: number;
  /** Observations, sub-env i at `i * 25`: 0 free, 1 agent, 2 goal, -1 obstacle. */
  readonly obs: Int8Array;
  readonly reward: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** Episodes that ended in the last step: `endedCount` of them, in sub-env order. */
  endedCount = 0;
  readonly endedIndex: Int32Array;
  readonly endedReturn: Float64Array;
  readonly endedLength: Float64Array;
  readonly endedTerminated: Uint8Array;
  readonly endedShortestPath: Int32Array;
  /** Final observations of the ended episodes, item k at `k * 25`. */
  readonly finalObs: Int8Array;
  private readonly agent: Int32Array;
  private readonly goal: Int32Array;
  private readonly dist: Float64Array;
  private readonly shortest: Int32Array;
  private readonly ret: Float64Array;
  private readonly len: Float64Array;
  private readonly s: Uint32Array;
  private readonly moves = new Int32Array(4 * CELLS);
  private readonly blocked = new Uint8Array(CELLS);
  private readonly row = new Int32Array(CELLS);
  private readonly col = new Int32Array(CELLS);

  /** Sub-env i seeded `seed + i` (splitmix32, as the env seeds), every sub-env reset. */
  constructor(numEnvs: number, seed: number) {
    const n = numEnvs;
    this.numEnvs = n;
    this.obs = new Int8Array(n * CELLS);
    this.reward = new Float64Array(n);
    this.terminated = new Uint8Array(n);
    this.truncated = new Uint8Array(n);
    this.endedIndex = new Int32Array(n);
    this.endedReturn = new Float64Array(n);
    this.endedLength = new Float64Array(n);
    this.endedTerminated = new Uint8Array(n);
    this.endedShortestPath = new Int32Array(n);
    this.finalObs = new Int8Array(n * CELLS);
    this.agent = new Int32Array(n);
    this.goal = new Int32Array(n);
    this.dist = new Float64Array(n);
    this.shortest = new Int32Array(n);
    this.ret = new Float64Array(n);
    this.len = new Float64Array(n);
    this.s = new Uint32Array(4 * n);
    for (let c = 0; c < CELLS; c++) {
      const r = (this.row[c] = Math.floor(c / SIZE));
      const k = (this.col[c] = c % SIZE);
      this.moves[c] = r > 0 ? c - SIZE : -1;
      this.moves[CELLS + c] = r < SIZE - 1 ? c + SIZE : -1;
      this.moves[2 * CELLS + c] = k > 0 ? c - 1 : -1;
      this.moves[3 * CELLS + c] = k < SIZE - 1 ? c + 1 : -1;
    }
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
      const base = i * CELLS;
      this.obs[base + this.agent[i]!] = 1;
      this.obs[base + this.goal[i]!] = 2;
    }
  }

  step(actions: ArrayLike<number>): void {
    const n = this.numEnvs;
    if (actions.length !== n) throw new Error(`expected ${n} actions, got ${actions.length}`);
    for (let i = 0; i < n; i++) {
      const a = actions[i]!;
      if ((a & 3) !== a) throw new Error(`action[${i}]: expected 0..3, got ${a}`);
    }
    const { obs, agent, goal, dist, moves, blocked, reward, terminated, truncated, ret, len } = this;
    this.endedCount = 0;
    for (let i = 0; i < n; i++) {
      const cell = agent[i]!;
      const g = goal[i]!;
      const dBefore = dist[i]!;
      const next = moves[actions[i]! * CELLS + cell]!;
      const bumped = next < 0 || blocked[next] !== 0;
      let dAfter = dBefore;
      if (!bumped) {
        dAfter = this.distance(next, g);
        agent[i] = next;
        dist[i] = dAfter;
        obs[i * CELLS + cell] = 0;
        obs[i * CELLS + next] = next === g ? 2 : 1;
      }
      const reached = next === g;
      const r = R_STEP + (R_SHAPING * (dBefore - dAfter)) / SIZE + (bumped ? R_WALL : 0) + (reached ? R_GOAL : 0);
      const length = len[i]! + 1;
      len[i] = length;
      ret[i] += r;
      reward[i] = r;
      terminated[i] = reached ? 1 : 0;
      const cut = !reached && length >= MAX_STEPS;
      truncated[i] = cut ? 1 : 0;
      if (reached || cut) this.autoreset(i, reached);
    }
  }

  private autoreset(i: number, reached: boolean): void {
    const k = this.endedCount++;
    const base = i * CELLS;
    this.finalObs.set(this.obs.subarray(base, base + CELLS), k * CELLS);
    this.endedIndex[k] = i;
    this.endedReturn[k] = this.ret[i]!;
    this.endedLength[k] = this.len[i]!;
    this.endedTerminated[k] = reached ? 1 : 0;
    this.endedShortestPath[k] = this.shortest[i]!;
    this.obs[base + this.agent[i]!] = 0;
    this.obs[base + this.goal[i]!] = 0;
    this.newEpisode(i);
    this.obs[base + this.agent[i]!] = 1;
    this.obs[base + this.goal[i]!] = 2;
  }

  /** agent = int(25); j = int(24); goal = j >= agent ? j + 1 : j (the env's documented draw order). */
  private newEpisode(i: number): void {
    const agent = Math.floor((this.u32(i) * CELLS) / 4294967296);
    const j = Math.floor((this.u32(i) * (CELLS - 1)) / 4294967296);
    const goal = j >= agent ? j + 1 : j;
    this.agent[i] = agent;
    this.goal[i] = goal;
    this.ret[i] = 0;
    this.len[i] = 0;
    this.dist[i] = this.distance(agent, goal);
    this.shortest[i] = Math.abs(this.row[agent]! - this.row[goal]!) + Math.abs(this.col[agent]! - this.col[goal]!);
  }

  private distance(a: number, b: number): number {
    const dr = this.row[a]! - this.row[b]!;
    const dc = this.col[a]! - this.col[b]!;
    return Math.sqrt(dr * dr + dc * dc);
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
