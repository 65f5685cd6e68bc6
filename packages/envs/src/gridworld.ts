/**
 * GridWorld-v0's rules, written once for a batch of N sub-environments held as a struct of typed arrays.
 * The scalar env (`GridWorld`, N = 1) and the vector env (`GridWorldVector`) both drive this class, so sub-env i
 * seeded `seed + i` equals a scalar env seeded `seed + i` by construction.
 *
 * Reset: the order of random draws (each "int(n)" is one call of the sub-env's generator, see rng.ts), so that
 * another implementation reproduces the episodes exactly. Cells are row-major indices `row * size + col`.
 *
 *   No layout, obstacles = 0 (C = size*size):
 *     agent = int(C); j = int(C - 1); goal = j >= agent ? j + 1 : j
 *   No layout, obstacles = k > 0 (a random connected free region of C - k cells grown from the agent):
 *     agent = int(C)
 *     region = [agent]; frontier = []; push the neighbours of agent
 *     while len(region) < C - k:
 *       j = int(len(frontier)); cell = frontier[j]
 *       frontier[j] = frontier[last]; pop the last element      (swap-remove)
 *       append cell to region; push the neighbours of cell
 *     "push the neighbours of x": for action 0 up, 1 down, 2 left, 3 right, the cell that move leads to
 *       (wrapping under wrap, none off the grid under walls) is appended to frontier unless it is already in
 *       region or frontier.
 *     Cells outside region are obstacles. goal = region[1 + int(len(region) - 1)] (region in order of joining).
 *   Layout (its # cells are the obstacles; "component" = free cells connected under the boundary):
 *     A and G fixed: no draw.
 *     A fixed only: goal = L[int(len(L))], L = the free cells of A's component except A, row-major.
 *     G fixed only: agent = L[int(len(L))], L = the free cells of G's component except G, row-major.
 *     neither: agent = L[int(len(L))], L = the free cells in components of at least 2 cells, row-major;
 *       then M = the cells of the agent's component, row-major, p = agent's position in M:
 *       j = int(len(M) - 1); goal = M[j >= p ? j + 1 : j].
 *
 * Distances are `sqrt(dr*dr + dc*dc)` (correctly rounded), with `dr = min(dr, size - dr)` (same for dc) under wrap.
 */
import type { BoxSpace, Cell, GridState, StepInfo } from '@rlfs/protocol';
import type { Observation } from './core';
import { buildMoves, labelComponents, NUM_MOVES } from './gridworld-geometry';
import { type GridWorldOptions, parseLayout } from './gridworld-options';
import { nextInt, RNG_WORDS, seedRng } from './rng';
import { box } from './spaces';

const GRID = 0;
const ONEHOT = 1;
const COORDS = 2;
/** Size of the slabs that observation copies are carved from. */
const SLAB_BYTES = 16384;
/** Largest grid (cells) whose cell-pair distance table is kept: 16x16, 512 KiB. */
const PAIR_TABLE_CELLS = 256;
/**
 * The cell-pair distance tables by `size:boundary`, shared by every batch of that shape (they depend on nothing
 * else), so a session costs no table of its own: at most 3.9 MB in all, were every size up to 16 used with both boundaries.
 */
const PAIR_TABLES = new Map<string, Float64Array>();
/** V8 keeps typed arrays up to this many bytes on its heap (V8_TYPED_ARRAY_MAX_SIZE_IN_HEAP). */
const ON_HEAP_BYTES = 64;

/** The observation space of resolved options. */
export function gridWorldObservationSpace(o: GridWorldOptions): BoxSpace {
  const cells = o.size * o.size;
  if (o.observation === 'onehot') return box(0, 1, [3 * cells], 'uint8');
  if (o.observation === 'coords') return box(0, o.size - 1, [4], 'int8');
  return box(-1, 2, [cells], 'int8');
}

/**
 * Bytes one sub-env holds: its obstacle map (random obstacles only; a layout's map is shared), its observation
 * twice (the live buffer and a final-observation copy at autoreset) and about 100 bytes of state.
 */
export function gridWorldBytesPerEnv(o: GridWorldOptions): number {
  const cells = o.size * o.size;
  const obsBytes = o.observation === 'onehot' ? 3 * cells : o.observation === 'coords' ? 4 : cells;
  return (o.obstacles > 0 ? cells : 0) + 2 * obsBytes + 100;
}

/** N GridWorld sub-envs as parallel typed arrays. Public fields are read by the env wrappers; treat as read-only. */
export class GridWorldBatch {
  readonly numEnvs: number;
  readonly size: number;
  readonly cells: number;
  readonly obsSize: number;
  readonly maxEpisodeSteps: number;
  /** Observations, sub-env i at `i * obsSize`. */
  readonly obs: Int8Array | Uint8Array;
  readonly agent: Int32Array;
  readonly goal: Int32Array;
  /** Obstacle maps, sub-env i at `i * blockedStride` (stride 0: one map shared by all). */
  readonly blocked: Uint8Array;
  readonly blockedStride: number;
  /** Generator states, 4 words per sub-env. */
  readonly rng: Uint32Array;
  readonly episodeReturn: Float64Array;
  readonly episodeLength: Float64Array;
  /** Agent-goal distance now, so a step computes one distance, not two. */
  readonly dist: Float64Array;
  readonly shortestPath: Int32Array;
  /** Outputs of the last step of each sub-env (untouched by reset). */
  readonly reward: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly hitWall: Uint8Array;

  private readonly kind: number;
  /** `moves` with the moves into a shared map's obstacles made -1 (used when all sub-envs share one map). */
  private readonly openMoves: Int32Array;
  /** `pairDist[a * cells + b]` = distance(a, b) for grids of at most PAIR_TABLE_CELLS cells, else empty (shared). */
  private readonly pairDist: Float64Array;
  private readonly wrap: boolean;
  private readonly obstacles: number;
  private readonly rStep: number;
  private readonly rGoal: number;
  private readonly rWall: number;
  private readonly rShaping: number;
  private readonly moves: Int32Array;
  private readonly rowOf: Int32Array;
  private readonly colOf: Int32Array;
  /** `distTable[dr * size + dc]` = sqrt(dr^2 + dc^2) for folded axis differences. */
  private readonly distTable: Float64Array;
  // Layout: fixed cells (-1 when random) and the candidate lists of the draws documented above.
  private readonly fixedAgent: number = -1;
  private readonly fixedGoal: number = -1;
  private readonly hasLayout: boolean;
  private readonly candidates: Int32Array = new Int32Array(0);
  private readonly compCells: Int32Array[] = [];
  private readonly compOf: Int32Array = new Int32Array(0);
  private readonly posInComp: Int32Array = new Int32Array(0);
  // Scratch for region growth and BFS: `mark[cell] === stamp` means "seen in the current pass".
  private readonly mark: Uint32Array;
  private stamp = 0;
  private readonly queue: Int32Array;
  private readonly frontier: Int32Array;
  private slab: Int8Array | Uint8Array;
  private slabUsed = 0;

  constructor(o: GridWorldOptions, numEnvs: number) {
    const size = o.size;
    const cells = size * size;
    this.numEnvs = numEnvs;
    this.size = size;
    this.cells = cells;
    this.maxEpisodeSteps = o.maxEpisodeSteps;
    this.kind = o.observation === 'onehot' ? ONEHOT : o.observation === 'coords' ? COORDS : GRID;
    this.obsSize = this.kind === ONEHOT ? 3 * cells : this.kind === COORDS ? 4 : cells;
    this.obs = this.newObs(numEnvs * this.obsSize);
    this.slab = this.newObs(0);
    this.wrap = o.boundary === 'wrap';
    this.obstacles = o.obstacles;
    this.rStep = o.rewards.step;
    this.rGoal = o.rewards.goal;
    this.rWall = o.rewards.wall;
    this.rShaping = o.rewards.shaping;
    this.moves = buildMoves(size, this.wrap);
    this.rowOf = new Int32Array(cells);
    this.colOf = new Int32Array(cells);
    for (let c = 0; c < cells; c++) {
      this.rowOf[c] = Math.floor(c / size);
      this.colOf[c] = c % size;
    }
    this.distTable = new Float64Array(cells);
    for (let dr = 0; dr < size; dr++) for (let dc = 0; dc < size; dc++) this.distTable[dr * size + dc] = Math.sqrt(dr * dr + dc * dc);
    const pairKey = `${size}:${o.boundary}`;
    let pairDist = PAIR_TABLES.get(pairKey);
    if (!pairDist) {
      pairDist = new Float64Array(cells <= PAIR_TABLE_CELLS ? cells * cells : 0);
      for (let a = 0; a < pairDist.length / cells; a++) for (let b = 0; b < cells; b++) pairDist[a * cells + b] = this.distance(a, b);
      PAIR_TABLES.set(pairKey, pairDist);
    }
    this.pairDist = pairDist;
    this.agent = new Int32Array(numEnvs).fill(-1); // -1: no episode yet
    this.goal = new Int32Array(numEnvs).fill(-1);
    this.rng = new Uint32Array(RNG_WORDS * numEnvs);
    this.episodeReturn = new Float64Array(numEnvs);
    this.episodeLength = new Float64Array(numEnvs);
    this.dist = new Float64Array(numEnvs);
    this.shortestPath = new Int32Array(numEnvs);
    this.reward = new Float64Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    this.hitWall = new Uint8Array(numEnvs);
    this.mark = new Uint32Array(cells);
    this.queue = new Int32Array(cells);
    this.frontier = new Int32Array(cells);
    this.hasLayout = o.layout !== undefined;
    this.blockedStride = o.obstacles > 0 ? cells : 0;
    const parsed = o.layout ? parseLayout(o.layout) : undefined;
    this.blocked = parsed ? parsed.blocked : new Uint8Array(Math.max(cells, this.blockedStride * numEnvs));
    this.openMoves = this.blockedStride === 0 ? foldWalls(this.moves, this.blocked) : this.moves;
    if (!parsed) return;
    this.fixedAgent = parsed.agent;
    this.fixedGoal = parsed.goal;
    const { label, sizes } = labelComponents(this.moves, cells, parsed.blocked);
    const rowMajor = (keep: (cell: number) => boolean): Int32Array => {
      const out: number[] = [];
      for (let c = 0; c < cells; c++) if (label[c]! >= 0 && keep(c)) out.push(c);
      return Int32Array.from(out);
    };
    const fixed = parsed.agent >= 0 ? parsed.agent : parsed.goal;
    if (parsed.agent >= 0 && parsed.goal >= 0) return;
    if (fixed >= 0) {
      this.candidates = rowMajor((c) => label[c] === label[fixed] && c !== fixed);
      return;
    }
    this.candidates = rowMajor((c) => sizes[label[c]!]! >= 2);
    this.compOf = label;
    this.compCells = sizes.map((_, id) => rowMajor((c) => label[c] === id));
    this.posInComp = new Int32Array(cells);
    for (const list of this.compCells) list.forEach((c, p) => (this.posInComp[c] = p));
  }

  /** Seeds sub-env i's generator. */
  seed(i: number, seed: number): void {
    seedRng(this.rng, RNG_WORDS * i, seed);
  }

  /** Starts a new episode in sub-env i with draws from its own generator (order documented at the top). */
  reset(i: number): void {
    const r = RNG_WORDS * i;
    const cells = this.cells;
    const previousAgent = this.agent[i]!;
    const previousGoal = this.goal[i]!;
    let agent: number;
    let goal: number;
    if (this.hasLayout) {
      agent = this.fixedAgent;
      goal = this.fixedGoal;
      if (agent < 0 && goal >= 0) agent = this.candidates[nextInt(this.rng, r, this.candidates.length)]!;
      else if (agent >= 0 && goal < 0) goal = this.candidates[nextInt(this.rng, r, this.candidates.length)]!;
      else if (agent < 0) {
        agent = this.candidates[nextInt(this.rng, r, this.candidates.length)]!;
        const comp = this.compCells[this.compOf[agent]!]!;
        const j = nextInt(this.rng, r, comp.length - 1);
        goal = comp[j >= this.posInComp[agent]! ? j + 1 : j]!;
      }
    } else if (this.obstacles === 0) {
      agent = nextInt(this.rng, r, cells);
      const j = nextInt(this.rng, r, cells - 1);
      goal = j >= agent ? j + 1 : j;
    } else {
      agent = nextInt(this.rng, r, cells);
      goal = this.growRegion(i, agent);
    }
    this.agent[i] = agent;
    this.goal[i] = goal;
    this.episodeReturn[i] = 0;
    this.episodeLength[i] = 0;
    this.dist[i] = this.distance(agent, goal);
    this.shortestPath[i] = this.hasLayout || this.obstacles > 0 ? this.bfs(i, agent, goal) : this.manhattan(agent, goal);
    this.writeObservation(i, previousAgent, previousGoal);
  }

  /**
   * One step of every sub-env, sub-env i with `actions[i]` (valid: 0..3). Writes reward, terminated, truncated and
   * hitWall of each, and the indices of the sub-envs whose episode ended into `ended` (in order); returns their count.
   * reward = step + shaping * (d_before - d_after) / size + (bumped ? wall : 0) + (reached ? goal : 0).
   * One loop over the batch with the arrays and options in locals: the hot path of vector envs.
   */
  stepAll(actions: ArrayLike<number>, ended: Int32Array): number {
    const { numEnvs, agent, goal, dist, blocked, blockedStride, cells, size, maxEpisodeSteps, obs, obsSize, kind } = this;
    const { episodeLength, episodeReturn, reward, hitWall, terminated, truncated, pairDist, rowOf, colOf } = this;
    const { rStep, rShaping, rWall, rGoal } = this;
    // With one obstacle map for all sub-envs its walls are folded into the move table (-1: a bump).
    const moves = blockedStride === 0 ? this.openMoves : this.moves;
    const perEnvMap = blockedStride !== 0;
    const pairs = pairDist.length !== 0;
    let count = 0;
    for (let i = 0; i < numEnvs; i++) {
      const cell = agent[i]!;
      const g = goal[i]!;
      const dBefore = dist[i]!;
      let next = moves[actions[i]! * cells + cell]!;
      const bumped = next < 0 || (perEnvMap && blocked[i * blockedStride + next] !== 0);
      let dAfter = dBefore;
      if (bumped) next = cell;
      else {
        dAfter = pairs ? pairDist[next * cells + g]! : this.distance(next, g);
        agent[i] = next;
        dist[i] = dAfter;
        const base = i * obsSize;
        if (kind === GRID) {
          obs[base + cell] = 0;
          obs[base + next] = next === g ? 2 : 1;
        } else if (kind === ONEHOT) {
          obs[base + cell] = 0;
          obs[base + next] = 1;
        } else {
          obs[base] = rowOf[next]!;
          obs[base + 1] = colOf[next]!;
        }
      }
      const reached = next === g;
      const r = rStep + (rShaping * (dBefore - dAfter)) / size + (bumped ? rWall : 0) + (reached ? rGoal : 0);
      const length = episodeLength[i]! + 1;
      episodeLength[i] = length;
      episodeReturn[i] += r;
      reward[i] = r;
      hitWall[i] = bumped ? 1 : 0;
      const cut = !reached && length >= maxEpisodeSteps;
      terminated[i] = reached ? 1 : 0;
      truncated[i] = cut ? 1 : 0;
      if (reached || cut) ended[count++] = i;
    }
    return count;
  }

  /** A copy of sub-env i's observation. */
  copyObservation(i: number): Observation {
    // Small copies live on V8's heap and are cheap. Middle-sized ones are carved from a slab: a typed array of its
    // own past 64 bytes costs a backing-store allocation, several times the cost of a step; a view of a slab does
    // not. Large ones are sliced: there the copy itself dominates and a slab would hold few.
    const size = this.obsSize;
    if (size <= ON_HEAP_BYTES || size > SLAB_BYTES / 8) return this.obs.slice(i * size, (i + 1) * size);
    if (this.slabUsed + size > this.slab.length) {
      this.slab = this.newObs(Math.max(SLAB_BYTES, size));
      this.slabUsed = 0;
    }
    const slab = this.slab;
    const start = this.slabUsed;
    const obs = this.obs;
    const base = i * size;
    for (let k = 0; k < size; k++) slab[start + k] = obs[base + k]!;
    this.slabUsed = start + size;
    return slab.subarray(start, start + size);
  }

  cellOf(index: number): Cell {
    return [this.rowOf[index]!, this.colOf[index]!];
  }

  /** info of a reset: agent, goal, shortestPath. */
  resetInfo(i: number): StepInfo {
    return { agent: this.cellOf(this.agent[i]!), goal: this.cellOf(this.goal[i]!), shortestPath: this.shortestPath[i]! };
  }

  /** The render state of sub-env i: `{size, agent, goal, obstacles}` with obstacles row-major. */
  state(i: number): GridState {
    const obstacles: Cell[] = [];
    const base = i * this.blockedStride;
    for (let c = 0; c < this.cells; c++) if (this.blocked[base + c]) obstacles.push(this.cellOf(c));
    return { size: this.size, agent: this.cellOf(this.agent[i]!), goal: this.cellOf(this.goal[i]!), obstacles };
  }

  /** `size` lines of `size` characters `A G # .` joined by "\n" (`A` where the agent stands on the goal). */
  ansi(i: number): string {
    const lines: string[] = [];
    const base = i * this.blockedStride;
    for (let r = 0; r < this.size; r++) {
      let line = '';
      for (let c = r * this.size; c < (r + 1) * this.size; c++) {
        line += c === this.agent[i] ? 'A' : c === this.goal[i] ? 'G' : this.blocked[base + c] ? '#' : '.';
      }
      lines.push(line);
    }
    return lines.join('\n');
  }

  private distance(a: number, b: number): number {
    let dr = this.rowOf[a]! - this.rowOf[b]!;
    let dc = this.colOf[a]! - this.colOf[b]!;
    if (dr < 0) dr = -dr;
    if (dc < 0) dc = -dc;
    if (this.wrap) {
      if (2 * dr > this.size) dr = this.size - dr;
      if (2 * dc > this.size) dc = this.size - dc;
    }
    return this.distTable[dr * this.size + dc]!;
  }

  /** Moves on an open grid (no obstacles): |dr| + |dc|, each the shorter way round under wrap. */
  private manhattan(a: number, b: number): number {
    let dr = Math.abs(this.rowOf[a]! - this.rowOf[b]!);
    let dc = Math.abs(this.colOf[a]! - this.colOf[b]!);
    if (this.wrap) {
      dr = Math.min(dr, this.size - dr);
      dc = Math.min(dc, this.size - dc);
    }
    return dr + dc;
  }

  /** BFS moves from `from` to `to` around sub-env i's obstacles; -1 if unreachable (never, by construction). */
  private bfs(i: number, from: number, to: number): number {
    if (from === to) return 0;
    const base = i * this.blockedStride;
    const stamp = this.nextStamp();
    const { mark, queue, moves, cells } = this;
    // queue holds cells; distances ride along by processing level by level.
    let head = 0;
    let tail = 0;
    queue[tail++] = from;
    mark[from] = stamp;
    for (let depth = 1; head < tail; depth++) {
      const levelEnd = tail;
      while (head < levelEnd) {
        const cell = queue[head++]!;
        for (let a = 0; a < NUM_MOVES; a++) {
          const next = moves[a * cells + cell]!;
          if (next < 0 || mark[next] === stamp || this.blocked[base + next]) continue;
          if (next === to) return depth;
          mark[next] = stamp;
          queue[tail++] = next;
        }
      }
    }
    return -1;
  }

  /** Random frontier growth of a connected free region from the agent; the rest become obstacles. Returns the goal. */
  private growRegion(i: number, agent: number): number {
    const { mark, queue: region, frontier, moves, cells } = this;
    const r = RNG_WORDS * i;
    const target = cells - this.obstacles;
    const stamp = this.nextStamp();
    let regionLength = 0;
    let frontierLength = 0;
    let cell = agent;
    mark[cell] = stamp;
    while (true) {
      region[regionLength++] = cell;
      for (let a = 0; a < NUM_MOVES; a++) {
        const next = moves[a * cells + cell]!;
        if (next < 0 || mark[next] === stamp) continue;
        mark[next] = stamp;
        frontier[frontierLength++] = next;
      }
      if (regionLength >= target) break;
      const j = nextInt(this.rng, r, frontierLength);
      cell = frontier[j]!;
      frontier[j] = frontier[--frontierLength]!;
    }
    const base = i * cells;
    this.blocked.fill(1, base, base + cells);
    for (let k = 0; k < regionLength; k++) this.blocked[base + region[k]!] = 0;
    return region[1 + nextInt(this.rng, r, regionLength - 1)]!;
  }

  private newObs(length: number): Int8Array | Uint8Array {
    return this.kind === ONEHOT ? new Uint8Array(length) : new Int8Array(length);
  }

  private nextStamp(): number {
    if (this.stamp === 0xffffffff) {
      this.mark.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  /**
   * Writes sub-env i's observation at reset. With a map shared by all episodes (no random obstacles) only the
   * previous episode's agent and goal marks are cleared, not the whole map rewritten: large grids reset cheaply.
   */
  private writeObservation(i: number, previousAgent: number, previousGoal: number): void {
    const { obs, cells } = this;
    const base = i * this.obsSize;
    const agent = this.agent[i]!;
    const goal = this.goal[i]!;
    if (this.kind !== COORDS && this.blockedStride === 0 && previousAgent >= 0) {
      const goalPlane = this.kind === ONEHOT ? cells : 0;
      obs[base + previousAgent] = 0;
      obs[base + goalPlane + previousGoal] = 0;
      obs[base + agent] = 1;
      obs[base + goalPlane + goal] = this.kind === ONEHOT ? 1 : 2;
      return;
    }
    if (this.kind === COORDS) {
      obs[base] = this.rowOf[agent]!;
      obs[base + 1] = this.colOf[agent]!;
      obs[base + 2] = this.rowOf[goal]!;
      obs[base + 3] = this.colOf[goal]!;
      return;
    }
    const blockedBase = i * this.blockedStride;
    if (this.kind === ONEHOT) {
      obs.fill(0, base, base + 2 * cells);
      for (let c = 0; c < cells; c++) obs[base + 2 * cells + c] = this.blocked[blockedBase + c]!;
      obs[base + agent] = 1;
      obs[base + cells + goal] = 1;
      return;
    }
    for (let c = 0; c < cells; c++) obs[base + c] = this.blocked[blockedBase + c] ? -1 : 0;
    obs[base + agent] = 1;
    obs[base + goal] = 2;
  }
}

/** The move table with every move into an obstacle of `blocked` (one map) made -1, so a bump is `next < 0`. */
function foldWalls(moves: Int32Array, blocked: Uint8Array): Int32Array {
  const out = moves.slice();
  for (let k = 0; k < out.length; k++) if (out[k]! >= 0 && blocked[out[k]!] !== 0) out[k] = -1;
  return out;
}
