import type { GridState } from '@rlfs/protocol';
import { GridWorld, InvalidActionError, InvalidOptionsError, ResetNeededError, Rng } from '../src';

const UP = 0;
const DOWN = 1;
const LEFT = 2;
const RIGHT = 3;

/** A size-5 layout with the agent at (0,0) and the goal at (0,2). */
const A_DOT_G = ['A.G..', '.....', '.....', '.....', '.....'];

function make(options: Record<string, unknown>): GridWorld {
  const env = new GridWorld(options);
  env.reset({ seed: 1 });
  return env;
}

describe('rewards and moves', () => {
  test('a move toward the goal earns step + shaping * (d_before - d_after) / size', () => {
    const env = make({ layout: A_DOT_G });
    // (0,0) -> (0,1), goal (0,2): d 2 -> 1, reward -1 + 1 * (2 - 1) / 5 = -0.8
    const r = env.step(RIGHT);
    expect(r.reward).toBeCloseTo(-0.8, 12);
    expect(r.info).toEqual({ agent: [0, 1], goal: [0, 2], hitWall: false });
    expect(r.terminated).toBe(false);
    expect(r.truncated).toBe(false);
  });

  test('a move away from the goal is penalised by the shaping term', () => {
    const env = make({ layout: A_DOT_G });
    // (0,0) -> (1,0): d 2 -> sqrt(1 + 4) = 2.2360679..., reward -1 + (2 - sqrt 5) / 5 = -1.0472135955
    expect(env.step(DOWN).reward).toBeCloseTo(-1 + (2 - Math.sqrt(5)) / 5, 12);
    expect(env.step(DOWN).reward).toBeCloseTo(-1 + (Math.sqrt(5) - Math.sqrt(8)) / 5, 12);
  });

  test('reaching the goal terminates with the goal reward and info.episode', () => {
    const env = make({ layout: A_DOT_G });
    const first = env.step(RIGHT); // -0.8
    // (0,1) -> (0,2): d 1 -> 0, reward -1 + 1 * (1 - 0) / 5 + 100 = 99.2
    const r = env.step(RIGHT);
    expect(r.reward).toBeCloseTo(99.2, 12);
    expect(r.terminated).toBe(true);
    expect(r.truncated).toBe(false);
    expect(r.info.episode).toEqual({ return: first.reward + r.reward, length: 2 });
    expect(r.info.episode!.return).toBeCloseTo(98.4, 12);
    expect(r.info.agent).toEqual([0, 2]);
  });

  test('a step after the episode ended needs a reset', () => {
    const env = make({ layout: ['AG', '..'] });
    expect(env.step(RIGHT).terminated).toBe(true);
    expect(() => env.step(RIGHT)).toThrow(ResetNeededError);
    env.reset();
    expect(env.step(LEFT).info.hitWall).toBe(true);
  });

  test('under walls a move off the grid bumps: the agent stays, hitWall, reward step + wall', () => {
    const env = make({ layout: A_DOT_G });
    // d unchanged (2 -> 2): reward -1 + 0 + -1 = -2
    for (const action of [UP, LEFT]) {
      const r = env.step(action);
      expect(r.reward).toBe(-2);
      expect(r.info).toEqual({ agent: [0, 0], goal: [0, 2], hitWall: true });
    }
  });

  test('a move into an obstacle bumps', () => {
    const env = make({ layout: ['A#G..', '.....', '.....', '.....', '.....'] });
    const r = env.step(RIGHT);
    expect(r.reward).toBe(-2);
    expect(r.info.hitWall).toBe(true);
    expect(r.info.agent).toEqual([0, 0]);
  });

  test('under wrap a move off the grid comes back on the other side, with torus distances', () => {
    const env = make({ layout: A_DOT_G, boundary: 'wrap' });
    // (0,0) -> (4,0): torus d before 2, after sqrt(min(4,1)^2 + 2^2) = sqrt 5: reward -1 + (2 - sqrt 5) / 5
    const r = env.step(UP);
    expect(r.info).toEqual({ agent: [4, 0], goal: [0, 2], hitWall: false });
    expect(r.reward).toBeCloseTo(-1 + (2 - Math.sqrt(5)) / 5, 12);
    // (4,0) -> (0,0) again: sqrt 5 -> 2
    expect(env.step(DOWN).reward).toBeCloseTo(-1 + (Math.sqrt(5) - 2) / 5, 12);
  });

  test('under wrap the distance takes the shorter way round each axis', () => {
    const env = make({ layout: ['A...G', '.....', '.....', '.....', '.....'], boundary: 'wrap' });
    // goal (0,4) is 1 column away round the edge: d 1 -> 0, reward -1 + 1/5 + 100 = 99.2
    const r = env.step(LEFT);
    expect(r.reward).toBeCloseTo(99.2, 12);
    expect(r.terminated).toBe(true);
    const walls = make({ layout: ['A...G', '.....', '.....', '.....', '.....'] });
    expect(walls.step(LEFT).reward).toBe(-2);
  });

  test('reward terms use the configured rewards', () => {
    const env = make({ layout: A_DOT_G, rewards: { step: 0, goal: 10, wall: -5, shaping: 2 } });
    expect(env.step(UP).reward).toBe(-5); // 0 + 0 + -5
    // d 2 -> 1: 0 + 2 * (2 - 1) / 5 = 0.4
    expect(env.step(RIGHT).reward).toBeCloseTo(0.4, 12);
    // d 1 -> 0: 0 + 2 * 1 / 5 + 10 = 10.4
    expect(env.step(RIGHT).reward).toBeCloseTo(10.4, 12);
  });
});

describe('truncation', () => {
  test('truncated when maxEpisodeSteps steps pass without the goal', () => {
    const env = make({ layout: A_DOT_G, maxEpisodeSteps: 3 });
    expect(env.step(UP).truncated).toBe(false);
    expect(env.step(UP).truncated).toBe(false);
    const r = env.step(UP);
    expect(r.truncated).toBe(true);
    expect(r.terminated).toBe(false);
    expect(r.info.episode).toEqual({ return: -6, length: 3 });
    expect(() => env.step(UP)).toThrow(ResetNeededError);
  });

  test('terminated wins over truncated on the same step', () => {
    const env = make({ layout: A_DOT_G, maxEpisodeSteps: 2 });
    env.step(RIGHT);
    const r = env.step(RIGHT);
    expect(r.terminated).toBe(true);
    expect(r.truncated).toBe(false);
  });

  test('a reset starts the count again', () => {
    const env = make({ layout: A_DOT_G, maxEpisodeSteps: 2 });
    env.step(UP);
    expect(env.step(UP).truncated).toBe(true);
    env.reset();
    expect(env.step(UP).truncated).toBe(false);
    expect(env.step(UP).info.episode).toEqual({ return: -4, length: 2 });
  });
});

describe('observations', () => {
  const layout = ['A.G..', '.#...', '.....', '.....', '....#'];

  test('grid: row-major int8, 0 empty, 1 agent, 2 goal, -1 obstacle; the goal shows when the agent is on it', () => {
    const env = new GridWorld({ layout });
    const { observation } = env.reset({ seed: 3 });
    expect(observation).toBeInstanceOf(Int8Array);
    const expected = new Array(25).fill(0);
    expected[0] = 1;
    expected[2] = 2;
    expected[6] = -1;
    expected[24] = -1;
    expect(Array.from(observation)).toEqual(expected);
    expected[0] = 0;
    expected[1] = 1;
    expect(Array.from(env.step(RIGHT).observation)).toEqual(expected);
    expected[1] = 0;
    expect(Array.from(env.step(RIGHT).observation)).toEqual(expected); // agent on goal: 2 stays, no 1
  });

  test('onehot: three uint8 planes agent, goal, obstacles', () => {
    const env = new GridWorld({ layout, observation: 'onehot' });
    const { observation } = env.reset({ seed: 3 });
    expect(observation).toBeInstanceOf(Uint8Array);
    const expected = new Array(75).fill(0);
    expected[0] = 1; // agent (0,0)
    expected[25 + 2] = 1; // goal (0,2)
    expected[50 + 6] = 1; // obstacle (1,1)
    expected[50 + 24] = 1; // obstacle (4,4)
    expect(Array.from(observation)).toEqual(expected);
    env.step(RIGHT);
    expected[0] = 0;
    expected[2] = 1; // agent on the goal
    expect(Array.from(env.step(RIGHT).observation)).toEqual(expected);
  });

  test('coords: [agentRow, agentCol, goalRow, goalCol] int8', () => {
    const env = new GridWorld({ layout, observation: 'coords' });
    const { observation } = env.reset({ seed: 3 });
    expect(observation).toBeInstanceOf(Int8Array);
    expect(Array.from(observation)).toEqual([0, 0, 0, 2]);
    expect(Array.from(env.step(DOWN).observation)).toEqual([1, 0, 0, 2]);
    env.step(UP);
    env.step(RIGHT);
    expect(Array.from(env.step(RIGHT).observation)).toEqual([0, 2, 0, 2]);
  });

  test('returned observations are copies the caller keeps', () => {
    const env = make({ layout: A_DOT_G });
    const first = env.step(DOWN).observation;
    const before = Array.from(first);
    env.step(RIGHT);
    expect(Array.from(first)).toEqual(before);
  });

  test('spaces follow the encoding', () => {
    expect(new GridWorld({ size: 7 }).spec.observationSpace).toEqual({ type: 'Box', low: -1, high: 2, shape: [49], dtype: 'int8' });
    expect(new GridWorld({ size: 7, observation: 'onehot' }).spec.observationSpace).toEqual({ type: 'Box', low: 0, high: 1, shape: [147], dtype: 'uint8' });
    expect(new GridWorld({ size: 7, observation: 'coords' }).spec.observationSpace).toEqual({ type: 'Box', low: 0, high: 6, shape: [4], dtype: 'int8' });
    expect(new GridWorld().spec.actionSpace).toEqual({ type: 'Discrete', n: 4 });
  });
});

describe('spec', () => {
  test('resolves every option and omits layout when none was given', () => {
    const spec = new GridWorld({ size: 6, rewards: { goal: 10 } }).spec;
    expect(spec).toEqual({
      id: 'GridWorld-v0',
      options: { size: 6, boundary: 'walls', observation: 'grid', maxEpisodeSteps: 100, obstacles: 0, rewards: { step: -1, goal: 10, wall: -1, shaping: 1 } },
      observationSpace: { type: 'Box', low: -1, high: 2, shape: [36], dtype: 'int8' },
      actionSpace: { type: 'Discrete', n: 4 },
      maxEpisodeSteps: 100,
    });
    expect('layout' in spec.options).toBe(false);
    expect(new GridWorld({ layout: ['A.', '.G'] }).spec.options).toMatchObject({ size: 2, layout: ['A.', '.G'] });
  });
});

describe('render', () => {
  test('ansi draws A G # . lines, with A where the agent stands on the goal', () => {
    const env = new GridWorld({ layout: ['A.G', '.#.', '...'] });
    expect(() => env.render('ansi')).toThrow(ResetNeededError);
    env.reset();
    expect(env.render('ansi')).toBe('A.G\n.#.\n...');
    env.step(RIGHT);
    expect(env.render('ansi')).toBe('.AG\n.#.\n...');
    env.step(RIGHT);
    expect(env.render('ansi')).toBe('..A\n.#.\n...');
  });

  test('state gives size, agent, goal and row-major obstacles', () => {
    const env = new GridWorld({ layout: ['A.#', '.#.', 'G..'] });
    env.reset();
    expect(env.render('state')).toEqual({ size: 3, agent: [0, 0], goal: [2, 0], obstacles: [[0, 2], [1, 1]] });
  });
});

describe('shortestPath', () => {
  test('is the BFS move count around obstacles, wrap-aware', () => {
    const layout = ['A#G..', '.....', '.....', '.....', '.....'];
    // walls: down, right, right, up = 4 moves; wrap: left round the edge, (0,4), (0,3), (0,2) = 3 moves
    expect(new GridWorld({ layout }).reset().info).toEqual({ agent: [0, 0], goal: [0, 2], shortestPath: 4 });
    expect(new GridWorld({ layout, boundary: 'wrap' }).reset().info.shortestPath).toBe(3);
  });

  test('goes round a wall of obstacles', () => {
    // A at (0,0), G at (0,2), column 1 blocked except row 3: 3 down, 2 right, 3 up = 8
    const layout = ['A#G.', '.#..', '.#..', '....'];
    expect(new GridWorld({ layout }).reset().info.shortestPath).toBe(8);
  });

  test('without obstacles it is the Manhattan distance, the shorter way round under wrap', () => {
    for (const boundary of ['walls', 'wrap'] as const) {
      const env = new GridWorld({ size: 9, boundary });
      for (let k = 0; k < 50; k++) {
        const { info } = env.reset({ seed: k });
        expect(info.shortestPath).toBe(bfs(env.render('state') as GridState, boundary === 'wrap'));
      }
    }
  });
});

describe('random resets', () => {
  test('agent and goal on distinct free cells, varying across seeds', () => {
    const env = new GridWorld({ size: 4 });
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const { agent, goal } = env.reset({ seed }).info;
      expect(agent).not.toEqual(goal);
      seen.add(`${agent}|${goal}`);
    }
    expect(seen.size).toBeGreaterThan(100); // 16 * 15 = 240 pairs
  });

  test.each([
    [5, 1],
    [5, 12],
    [5, 23], // size*size - 2: only agent and goal free
    [8, 40],
    [3, 7],
  ])('size %i with %i obstacles: exact count, goal reachable, drawn anew each reset', (size, k) => {
    for (const boundary of ['walls', 'wrap'] as const) {
      const env = new GridWorld({ size, obstacles: k, boundary });
      const maps = new Set<string>();
      env.reset({ seed: size * 100 + k });
      for (let episode = 0; episode < 60; episode++) {
        const { info } = env.reset();
        const state = env.render('state') as GridState;
        expect(state.obstacles).toHaveLength(k);
        const blocked = new Set(state.obstacles.map(([r, c]) => r * size + c));
        expect(blocked.has(state.agent[0] * size + state.agent[1])).toBe(false);
        expect(blocked.has(state.goal[0] * size + state.goal[1])).toBe(false);
        expect(state.agent).not.toEqual(state.goal);
        const path = bfs(state, boundary === 'wrap');
        expect(path).toBeGreaterThan(0);
        expect(info.shortestPath).toBe(path);
        maps.add(JSON.stringify(state.obstacles));
      }
      if (k < size * size - 2) expect(maps.size).toBeGreaterThan(1);
    }
  });

  test('with size*size-2 obstacles the two free cells are neighbours', () => {
    const env = new GridWorld({ size: 6, obstacles: 34 });
    for (let seed = 0; seed < 50; seed++) expect(env.reset({ seed }).info.shortestPath).toBe(1);
  });

  test('a layout with a fixed agent draws the goal in the agent\'s component', () => {
    // walls: the left column (0,0),(1,0),(2,0) is cut off from the rest by column 1
    const env = new GridWorld({ layout: ['A#..', '.#..', '.#..', '.#..'] });
    const goals = new Set<string>();
    for (let seed = 0; seed < 100; seed++) {
      const { info } = env.reset({ seed });
      expect(info.agent).toEqual([0, 0]);
      expect(info.goal![1]).toBe(0);
      goals.add(String(info.goal));
    }
    expect(goals).toEqual(new Set(['1,0', '2,0', '3,0']));
  });

  test('a layout with a fixed goal draws the agent in the goal\'s component', () => {
    const env = new GridWorld({ layout: ['..#G', '..#.', '..#.', '###.'] });
    for (let seed = 0; seed < 60; seed++) {
      const { info } = env.reset({ seed });
      expect(info.goal).toEqual([0, 3]);
      expect(info.agent![1]).toBe(3);
    }
  });

  test('a layout without A and G never uses an isolated cell, and keeps the goal reachable', () => {
    // (0,0) is isolated under walls; (0,2) (1,2) (2,*) form one component
    const env = new GridWorld({ layout: ['.#.', '##.', '...'] });
    for (let seed = 0; seed < 100; seed++) {
      const { info } = env.reset({ seed });
      expect(info.agent).not.toEqual([0, 0]);
      expect(info.goal).not.toEqual([0, 0]);
      expect(info.shortestPath).toBeGreaterThan(0);
    }
  });
});

describe('the documented order of random draws (packages/envs/src/gridworld.ts) reproduces episodes', () => {
  /** Neighbours in action order up, down, left, right; none off the grid under walls. */
  const neighbours = (cell: number, n: number, wrap: boolean): number[] => {
    const r = Math.floor(cell / n);
    const c = cell % n;
    const out: number[] = [];
    for (const [dr, dc] of [[-1, 0], [1, 0], [0, -1], [0, 1]] as const) {
      if (!wrap && (r + dr < 0 || r + dr >= n || c + dc < 0 || c + dc >= n)) continue;
      out.push(((r + dr + n) % n) * n + ((c + dc + n) % n));
    }
    return out;
  };
  const cellOf = (cell: number, n: number): [number, number] => [Math.floor(cell / n), cell % n];

  test('no obstacles: agent = int(C); j = int(C - 1); goal = j >= agent ? j + 1 : j', () => {
    const env = new GridWorld({ size: 7 });
    for (let seed = 0; seed < 30; seed++) {
      const rng = new Rng(seed);
      const agent = rng.int(49);
      const j = rng.int(48);
      const goal = j >= agent ? j + 1 : j;
      expect(env.reset({ seed }).info).toMatchObject({ agent: cellOf(agent, 7), goal: cellOf(goal, 7) });
    }
  });

  test.each(['walls', 'wrap'] as const)('obstacles (%s): agent, then random frontier growth, then the goal', (boundary) => {
    const n = 6;
    const k = 20;
    const env = new GridWorld({ size: n, obstacles: k, boundary });
    for (let seed = 0; seed < 30; seed++) {
      const rng = new Rng(seed);
      const agent = rng.int(n * n);
      const region = [agent];
      const seen = new Set([agent]);
      const frontier: number[] = [];
      const push = (cell: number): void => {
        for (const next of neighbours(cell, n, boundary === 'wrap')) {
          if (seen.has(next)) continue;
          seen.add(next);
          frontier.push(next);
        }
      };
      push(agent);
      while (region.length < n * n - k) {
        const j = rng.int(frontier.length);
        const cell = frontier[j]!;
        frontier[j] = frontier[frontier.length - 1]!;
        frontier.pop();
        region.push(cell);
        push(cell);
      }
      const goal = region[1 + rng.int(region.length - 1)]!;
      const obstacles = [...Array(n * n).keys()].filter((c) => !region.includes(c)).map((c) => cellOf(c, n));
      env.reset({ seed });
      expect(env.render('state')).toEqual({ size: n, agent: cellOf(agent, n), goal: cellOf(goal, n), obstacles });
    }
  });

  test('layout with a fixed agent: goal = L[int(len(L))], L row-major in the agent\'s component', () => {
    const layout = ['#..#', '.A#.', '..#.', '###.'];
    // walls: A's component is (0,1) (0,2) (1,0) (1,1) (2,0) (2,1); without A, row-major: cells 1, 2, 4, 8, 9
    const L = [1, 2, 4, 8, 9];
    const env = new GridWorld({ layout });
    for (let seed = 0; seed < 20; seed++) {
      expect(env.reset({ seed }).info.goal).toEqual(cellOf(L[new Rng(seed).int(L.length)]!, 4));
    }
  });

  test('layout with nothing fixed: agent among cells of components >= 2, goal in its component', () => {
    const layout = ['.#..', '##..', '....', '#..#'];
    // (0,0) is alone; the other free cells form one component: row-major 2 3 6 7 8 9 10 11 13 14
    const M = [2, 3, 6, 7, 8, 9, 10, 11, 13, 14];
    const env = new GridWorld({ layout });
    for (let seed = 0; seed < 20; seed++) {
      const rng = new Rng(seed);
      const agent = M[rng.int(M.length)]!;
      const p = M.indexOf(agent);
      const j = rng.int(M.length - 1);
      const goal = M[j >= p ? j + 1 : j]!;
      expect(env.reset({ seed }).info).toMatchObject({ agent: cellOf(agent, 4), goal: cellOf(goal, 4) });
    }
  });
});

describe('seeding', () => {
  test('the same seed gives the same episodes; unseeded resets continue the stream', () => {
    const a = new GridWorld({ size: 8, obstacles: 10 });
    const b = new GridWorld({ size: 8, obstacles: 10 });
    expect(a.reset({ seed: 42 })).toEqual(b.reset({ seed: 42 }));
    const next = a.reset();
    expect(b.reset()).toEqual(next);
    expect(next.info).not.toEqual(a.reset({ seed: 42 }).info);
    expect(a.reset()).toEqual(next); // re-seeding replays the stream
  });

  test('never seeded, the first reset draws a seed', () => {
    const envs = Array.from({ length: 8 }, () => new GridWorld({ size: 16 }));
    const starts = new Set(envs.map((env) => JSON.stringify(env.reset().info)));
    expect(starts.size).toBeGreaterThan(1);
  });

  test('a bad seed or any reset option is INVALID_OPTIONS and changes nothing', () => {
    const env = make({ layout: A_DOT_G });
    env.step(RIGHT);
    for (const seed of [-1, 1.5, 2 ** 32, '3', Number.NaN]) {
      expect(() => env.reset({ seed: seed as number })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', option: 'seed' }));
    }
    expect(() => env.reset({ options: { foo: 1 } })).toThrow(expect.objectContaining({ option: 'options.foo' }));
    expect(() => env.reset({ options: { foo: 1 } })).toThrow(InvalidOptionsError);
    expect(env.step(RIGHT).terminated).toBe(true); // the episode went on where it was
    expect(() => env.reset({ seed: 2 ** 32 - 1, options: {} })).not.toThrow();
  });
});

describe('actions', () => {
  test('an invalid action throws INVALID_ACTION, changes nothing and is not counted', () => {
    const env = make({ layout: A_DOT_G, maxEpisodeSteps: 2 });
    const twin = make({ layout: A_DOT_G, maxEpisodeSteps: 2 });
    for (const bad of [4, -1, 1.5, Number.NaN, '1', null, undefined, true]) {
      expect(() => env.step(bad as number)).toThrow(InvalidActionError);
    }
    expect(() => env.step(7)).toThrow('action: expected an integer from 0 to 3, got 7');
    expect(env.step(DOWN)).toEqual(twin.step(DOWN));
    const r = env.step(DOWN);
    expect(r).toEqual(twin.step(DOWN));
    expect(r.info.episode).toEqual({ return: r.info.episode!.return, length: 2 });
  });

  test('an integral float is an integer action', () => {
    const env = make({ layout: A_DOT_G });
    expect(env.step(Number('3.0')).info.agent).toEqual([0, 1]);
  });

  test('step before the first reset needs a reset, even with a bad action', () => {
    const env = new GridWorld();
    expect(() => env.step(0)).toThrow(ResetNeededError);
    expect(() => env.step(9)).toThrow(ResetNeededError);
  });
});

/** Reference BFS over a render state (moves up, down, left, right; wrap-aware). */
function bfs(state: GridState, wrap: boolean): number {
  const n = state.size;
  const blocked = new Set(state.obstacles.map(([r, c]) => r * n + c));
  const start = state.agent[0] * n + state.agent[1];
  const goal = state.goal[0] * n + state.goal[1];
  const dist = new Map([[start, 0]]);
  const queue = [start];
  while (queue.length > 0) {
    const cell = queue.shift()!;
    if (cell === goal) return dist.get(cell)!;
    const r = Math.floor(cell / n);
    const c = cell % n;
    for (const [dr, dc] of [[-1, 0], [1, 0], [0, -1], [0, 1]] as const) {
      let nr = r + dr;
      let nc = c + dc;
      if (wrap) {
        nr = (nr + n) % n;
        nc = (nc + n) % n;
      } else if (nr < 0 || nr >= n || nc < 0 || nc >= n) continue;
      const next = nr * n + nc;
      if (blocked.has(next) || dist.has(next)) continue;
      dist.set(next, dist.get(cell)! + 1);
      queue.push(next);
    }
  }
  return -1;
}
