/**
 * The vector envs' fast paths (GridWorld's folded move table and cell-pair distance table, the ended episodes kept
 * as columns and listed on demand, defineEnv's state reuse at reset) give exactly what the rules say and what the
 * scalar envs give, for seeded random actions.
 */
import type { GridState } from '@rlfs/protocol';
import type { EnvDefinition, OptionsSchema, VectorEnv } from '../src';
import { cartPoleEntry, defineEnv, discrete, box, GridWorld, GridWorldVector, Rng } from '../src';

/** The documented rules of one GridWorld step, computed from the render state before it (protocol-v1 "GridWorld-v0"). */
function expectedStep(state: GridState, action: number, wrap: boolean, rewards = { step: -1, goal: 100, wall: -1, shaping: 1 }) {
  const { size, agent, goal, obstacles } = state;
  const [dr, dc] = [[-1, 0], [1, 0], [0, -1], [0, 1]][action]!;
  let row = agent[0] + dr!;
  let col = agent[1] + dc!;
  let bumped = false;
  if (wrap) {
    row = (row + size) % size;
    col = (col + size) % size;
  } else if (row < 0 || row >= size || col < 0 || col >= size) bumped = true;
  if (!bumped && obstacles.some(([r, c]) => r === row && c === col)) bumped = true;
  const to = bumped ? agent : [row, col];
  const axis = (a: number, b: number): number => {
    const d = Math.abs(a - b);
    return wrap ? Math.min(d, size - d) : d;
  };
  const dist = (p: number[]): number => Math.sqrt(axis(p[0]!, goal[0]) ** 2 + axis(p[1]!, goal[1]) ** 2);
  const reached = to[0] === goal[0] && to[1] === goal[1];
  const reward = rewards.step + (rewards.shaping * (dist(agent) - dist(to))) / size + (bumped ? rewards.wall : 0) + (reached ? rewards.goal : 0);
  return { agent: to, reward, bumped, reached };
}

describe('GridWorld vector step equals the documented rules', () => {
  test.each([
    ['default (5x5, walls, pair table, open map)', {}],
    ['wrap (pair table under wrap)', { size: 6, boundary: 'wrap' }],
    ['a layout with walls inside (one shared map: walls folded into the move table)', { layout: ['..#..', '.#...', '...#.', '#....', '..#..'], maxEpisodeSteps: 40 }],
    ['a layout under wrap', { layout: ['.#...', '...#.', '#....', '..#..', '....#'], boundary: 'wrap', maxEpisodeSteps: 40 }],
    ['random obstacles (a map per sub-env)', { size: 6, obstacles: 6, maxEpisodeSteps: 40 }],
    ['17x17 (past the pair table: distances computed)', { size: 17, maxEpisodeSteps: 60 }],
    ['17x17 under wrap with obstacles', { size: 17, boundary: 'wrap', obstacles: 20, observation: 'coords', maxEpisodeSteps: 60 }],
  ])('%s', (_name, options) => {
    const N = 6;
    const vec = new GridWorldVector(options, N);
    const wrap = vec.options.boundary === 'wrap';
    vec.reset({ seed: 11 });
    const rng = new Rng(5);
    const actions = new Int32Array(N);
    let bumps = 0;
    let goals = 0;
    for (let t = 0; t < 200; t++) {
      const before = Array.from({ length: N }, (_, i) => vec.stateAt(i));
      for (let i = 0; i < N; i++) actions[i] = rng.int(4);
      vec.step(actions);
      for (let i = 0; i < N; i++) {
        const want = expectedStep(before[i]!, actions[i]!, wrap);
        expect(vec.rewards[i]).toBe(want.reward);
        expect(vec.terminated[i]).toBe(want.reached ? 1 : 0);
        const info = vec.infoAt(i);
        expect(info.hitWall).toBe(want.bumped);
        if (!vec.terminated[i] && !vec.truncated[i]) expect(info.agent).toEqual(want.agent);
        bumps += want.bumped ? 1 : 0;
        goals += want.reached ? 1 : 0;
      }
    }
    // (a wrapped open grid has nothing to bump into)
    if (!wrap || vec.options.obstacles > 0 || vec.options.layout) expect(bumps).toBeGreaterThan(10);
    else expect(bumps).toBe(0);
    expect(goals).toBeGreaterThan(0);
  });
});

/** A user's environment that allocates a new state at every reset and draws from its generator while stepping. */
const plainWalk = defineEnv({
  id: 'PlainWalk-v0',
  maxEpisodeSteps: 30,
  observationSpace: box(-10, 10, [3], 'float64'),
  actionSpace: discrete(3),
  reset: (rng) => ({ x: rng.int(5) - 2, t: 0 }),
  step(state, action, rng) {
    state.x += action - 1 + (rng.float() < 0.1 ? 1 : 0);
    state.t += 1;
    const terminated = Math.abs(state.x) >= 6;
    return { reward: terminated ? 5 : -0.5, terminated };
  },
  observe: (state) => [state.x, state.t, state.x * state.t],
  info: (state) => ({ x: state.x }),
});

/** Steps a vector env and N scalar envs seeded seed+i with the same random actions; compares every output. */
function compareDefined(entry: { make(o?: Record<string, unknown>): ReturnType<typeof cartPoleEntry.make>; makeVector(o: Record<string, unknown> | undefined, n: number): VectorEnv }, options: Record<string, unknown> | undefined, numActions: number): number {
  const N = 5;
  const vec = entry.makeVector(options, N);
  const scalars = Array.from({ length: N }, () => entry.make(options));
  const space = vec.spec.observationSpace;
  const size = space.type === 'Box' ? space.shape[0]! : 0;
  const row = (i: number): number[] => Array.from(vec.observations.subarray(i * size, (i + 1) * size));
  vec.reset({ seed: 40 });
  scalars.forEach((env, i) => expect(row(i)).toEqual(Array.from((env.reset({ seed: 40 + i }) as { observation: ArrayLike<number> }).observation)));
  const rng = new Rng(9);
  const actions = new Int32Array(N);
  const kept: Array<{ copy: number[]; array: ArrayLike<number> }> = [];
  let endedCount = 0;
  for (let t = 0; t < 400; t++) {
    for (let i = 0; i < N; i++) actions[i] = rng.int(numActions);
    vec.step(actions);
    // infoAt first (reads the columns), then the list: both agree with the scalar envs.
    const infos = Array.from({ length: N }, (_, i) => vec.infoAt(i));
    const ended = vec.ended;
    const endedIndices: number[] = [];
    for (let i = 0; i < N; i++) {
      const r = scalars[i]!.step(actions[i]!) as { observation: ArrayLike<number>; reward: number; terminated: boolean; truncated: boolean; info: Record<string, unknown> };
      expect(vec.rewards[i]).toBe(r.reward);
      expect(vec.terminated[i]).toBe(r.terminated ? 1 : 0);
      expect(vec.truncated[i]).toBe(r.truncated ? 1 : 0);
      if (!r.terminated && !r.truncated) {
        expect(row(i)).toEqual(Array.from(r.observation));
        expect(infos[i]).toEqual(r.info);
        continue;
      }
      endedIndices.push(i);
      const e = ended.find((x) => x.index === i)!;
      expect(Array.from(e.finalObservation)).toEqual(Array.from(r.observation));
      expect(Array.from(infos[i]!.finalObservation as ArrayLike<number>)).toEqual(Array.from(r.observation));
      expect(e.episode).toEqual(r.info.episode);
      expect(infos[i]!.episode).toEqual(r.info.episode);
      expect(e.terminated).toBe(r.terminated);
      kept.push({ copy: Array.from(e.finalObservation), array: e.finalObservation });
      const next = scalars[i]!.reset() as { observation: ArrayLike<number> };
      expect(row(i)).toEqual(Array.from(next.observation));
    }
    expect(ended.map((e) => e.index)).toEqual(endedIndices);
    expect(vec.endedRecords?.count).toBe(endedIndices.length);
    endedCount += endedIndices.length;
  }
  // final observations handed out earlier are copies: later steps (and reused states) did not touch them
  for (const k of kept) expect(Array.from(k.array)).toEqual(k.copy);
  return endedCount;
}

describe('defineEnv vector env equals the scalar env (state reuse, columns, the ended list on demand)', () => {
  test('CartPole-v1 (reuses its state at reset)', () => {
    expect(compareDefined(cartPoleEntry, undefined, 2)).toBeGreaterThan(20);
  });
  test('CartPole-v1, Sutton-Barto reward, short episodes (truncation)', () => {
    expect(compareDefined(cartPoleEntry, { suttonBartoReward: true, maxEpisodeSteps: 15 }, 2)).toBeGreaterThan(20);
  });
  test('a user environment with a new state per reset, info and float64 observations', () => {
    expect(compareDefined(plainWalk, undefined, 3)).toBeGreaterThan(20);
  });

  test('reset hands the rules the sub-env\'s previous state: undefined at the first reset, then the last one', () => {
    const seen: Array<unknown> = [];
    const def: EnvDefinition<OptionsSchema, { n: number }> = {
      id: 'Counter-v0',
      maxEpisodeSteps: 2,
      observationSpace: box(0, 10, [1], 'int32'),
      actionSpace: discrete(1),
      reset: (_rng, _o, previous) => {
        seen.push(previous);
        return { n: 0 };
      },
      step: (state) => ({ reward: ++state.n, terminated: false }),
      observe: (state) => [state.n],
    };
    const vec = defineEnv(def).makeVector(undefined, 1);
    vec.reset({ seed: 1 });
    vec.step([0]);
    vec.step([0]); // truncated at 2 steps: autoreset
    expect(seen).toEqual([undefined, { n: 2 }]);
  });
});

test('a bad action in a defineEnv vector env is INVALID_ACTION naming its index, and nothing changes', () => {
  const vec = cartPoleEntry.makeVector(undefined, 3);
  vec.reset({ seed: 3 });
  const before = Array.from(vec.observations);
  for (const bad of [[0, 2, 1], [0, 1, -1], [0, 0.5, 1], [0, '1', 1], [0, NaN, 1], [0, 2 ** 32, 1]]) {
    expect(() => vec.step(bad as number[])).toThrow(/action\[[12]\]: expected an integer from 0 to 1/);
    expect(Array.from(vec.observations)).toEqual(before);
  }
  vec.step([1, 0, 1]);
  expect(Array.from(vec.rewards)).toEqual([1, 1, 1]);
});

test('GridWorld scalar env equals the documented rules on a walled layout', () => {
  const env = new GridWorld({ layout: ['A.#', '.#.', '..G'] });
  env.reset({ seed: 1 });
  // right: free; right again: into '#' at [0,2], a bump; down from [0,1]: into '#' at [1,1], a bump
  expect(env.step(3).info).toEqual({ agent: [0, 1], goal: [2, 2], hitWall: false });
  const bump = env.step(3);
  expect(bump.info.hitWall).toBe(true);
  expect(bump.info.agent).toEqual([0, 1]);
  // d_before = d_after, so the reward is step + wall = -2
  expect(bump.reward).toBe(-2);
  expect(env.step(1).info.hitWall).toBe(true);
});
