import type { Observation } from '../src';
import { GridWorld, GridWorldVector, InvalidActionError, ResetNeededError, Rng } from '../src';

const UP = 0;
const RIGHT = 3;

/** Steps a vector env and N scalar envs seeded seed+i with the same random actions and compares everything. */
function compareWithScalars(options: Record<string, unknown>, numEnvs: number, seed: number, steps: number): number {
  const vector = new GridWorldVector(options, numEnvs);
  const scalars = Array.from({ length: numEnvs }, () => new GridWorld(options));
  const size = vector.spec.observationSpace.type === 'Box' ? vector.spec.observationSpace.shape[0]! : 0;
  const obsOf = (i: number): number[] => Array.from(vector.observations.subarray(i * size, (i + 1) * size));
  vector.reset({ seed });
  scalars.forEach((env, i) => {
    const r = env.reset({ seed: seed + i });
    expect(obsOf(i)).toEqual(Array.from(r.observation));
    expect(vector.infoAt(i)).toEqual(r.info);
  });
  const rng = new Rng(seed + 1000);
  const actions = new Int32Array(numEnvs);
  let endedCount = 0;
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < numEnvs; i++) actions[i] = rng.int(4);
    vector.step(actions);
    const endedIndices: number[] = [];
    for (let i = 0; i < numEnvs; i++) {
      const r = scalars[i]!.step(actions[i]!);
      expect(vector.rewards[i]).toBe(r.reward);
      expect(vector.terminated[i]).toBe(r.terminated ? 1 : 0);
      expect(vector.truncated[i]).toBe(r.truncated ? 1 : 0);
      const info = vector.infoAt(i);
      expect(info.hitWall).toBe(r.info.hitWall);
      if (!r.terminated && !r.truncated) {
        expect(obsOf(i)).toEqual(Array.from(r.observation));
        expect(info).toEqual(r.info);
        continue;
      }
      endedIndices.push(i);
      const ended = vector.ended.find((e) => e.index === i)!;
      expect(Array.from(ended.finalObservation)).toEqual(Array.from(r.observation));
      expect(ended.episode).toEqual(r.info.episode);
      expect(ended.terminated).toBe(r.terminated);
      expect(info.finalObservation).toBe(ended.finalObservation);
      expect(info.episode).toEqual(r.info.episode);
      const next = scalars[i]!.reset();
      expect(obsOf(i)).toEqual(Array.from(next.observation));
      expect(info.agent).toEqual(next.info.agent);
      expect(info.goal).toEqual(next.info.goal);
      expect(info.shortestPath).toBe(next.info.shortestPath);
    }
    expect(vector.ended.map((e) => e.index)).toEqual(endedIndices);
    endedCount += endedIndices.length;
  }
  return endedCount;
}

describe('vector equals scalar', () => {
  test.each([
    ['default', {}],
    ['small grid, short episodes', { size: 3, maxEpisodeSteps: 6 }],
    ['wrap, onehot', { size: 4, boundary: 'wrap', observation: 'onehot', maxEpisodeSteps: 20 }],
    ['obstacles, coords', { size: 5, obstacles: 8, observation: 'coords', maxEpisodeSteps: 30 }],
    ['layout with a random goal', { layout: ['A..#', '.#..', '....', '#...'], maxEpisodeSteps: 15 }],
    ['layout with nothing fixed', { layout: ['.#..', '.#..', '....', '##..'], boundary: 'wrap', maxEpisodeSteps: 15 }],
  ])('%s: sub-env i equals a scalar env seeded seed + i across autoresets', (_name, options) => {
    const ended = compareWithScalars(options, 5, 77, 150);
    expect(ended).toBeGreaterThan(5); // the comparison went through autoresets
  });
});

describe('vector env', () => {
  test('spec carries numEnvs; buffers have numEnvs rows', () => {
    const v = new GridWorldVector({ size: 4 }, 3);
    expect(v.spec.numEnvs).toBe(3);
    expect(v.observations).toHaveLength(48);
    expect(v.rewards).toHaveLength(3);
    expect(() => new GridWorldVector({}, 0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', option: 'numEnvs' }));
  });

  test('step and render before the first reset need a reset', () => {
    const v = new GridWorldVector({}, 2);
    expect(() => v.step([0, 0])).toThrow(ResetNeededError);
    expect(() => v.render('ansi')).toThrow(ResetNeededError);
  });

  test('terminal and truncated episodes autoreset in the same step', () => {
    // sub-env 0 reaches the goal with RIGHT; sub-env 1 bumps up and is truncated after 2 steps
    const v = new GridWorldVector({ layout: ['A.G', '...', '...'], maxEpisodeSteps: 2 }, 2);
    v.reset({ seed: 0 });
    v.step([RIGHT, UP]);
    expect(v.ended).toEqual([]);
    // sub-env 0: d 1 -> 0, -1 + 1/3 + 100; sub-env 1: d 2 -> 2 bump, -1 + 0 - 1 = -2
    v.step([RIGHT, UP]);
    expect(v.rewards[0]).toBeCloseTo(-1 + 1 / 3 + 100, 12);
    expect(v.rewards[1]).toBe(-2);
    expect(Array.from(v.terminated)).toEqual([1, 0]);
    expect(Array.from(v.truncated)).toEqual([0, 1]);
    expect(v.ended.map((e) => [e.index, e.terminated, e.episode.length])).toEqual([
      [0, true, 2],
      [1, false, 2],
    ]);
    expect(v.ended[1]!.episode.return).toBe(-4);
    expect(v.ended[0]!.shortestPath).toBe(2);
    // final observation of sub-env 0: agent on the goal (2 at cell 2, no 1); the live one is the new episode's
    expect(Array.from(v.ended[0]!.finalObservation)).toEqual([0, 0, 2, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(v.observations.subarray(0, 9))).toEqual([1, 0, 2, 0, 0, 0, 0, 0, 0]);
    expect(v.infoAt(1)).toMatchObject({ agent: [0, 0], goal: [0, 2], hitWall: true, shortestPath: 2, episode: { return: -4, length: 2 } });
    expect(v.render('ansi')).toEqual(['A.G\n...\n...', 'A.G\n...\n...']);
    v.step([RIGHT, RIGHT]);
    expect(v.ended).toEqual([]);
    expect(v.infoAt(0)).toEqual({ agent: [0, 1], goal: [0, 2], hitWall: false });
  });

  test('ended lists are not reused: one kept from an earlier step stays as it was', () => {
    const v = new GridWorldVector({ layout: ['AG', '..'] }, 2);
    v.reset({ seed: 0 });
    v.step([RIGHT, UP]);
    const kept = v.ended;
    expect(kept.map((e) => e.index)).toEqual([0]);
    v.step([UP, RIGHT]);
    expect(kept.map((e) => e.index)).toEqual([0]);
    expect(v.ended.map((e) => e.index)).toEqual([1]);
  });

  test('reset {seed} seeds sub-env i with seed + i; the seed range depends on numEnvs', () => {
    const v = new GridWorldVector({ size: 6 }, 4);
    v.reset({ seed: 10 });
    for (let i = 0; i < 4; i++) {
      expect(v.infoAt(i)).toEqual(new GridWorld({ size: 6 }).reset({ seed: 10 + i }).info);
    }
    expect(() => v.reset({ seed: 2 ** 32 - 4 })).not.toThrow();
    expect(() => v.reset({ seed: 2 ** 32 - 3 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', option: 'seed' }));
  });

  test('invalid actions change nothing: wrong length, one bad value', () => {
    // the goal is 8 moves away: every episode is truncated after 3 steps
    const options = { layout: ['A....', '.....', '.....', '.....', '....G'], maxEpisodeSteps: 3 };
    const v = new GridWorldVector(options, 3);
    const twin = new GridWorldVector(options, 3);
    v.reset({ seed: 5 });
    twin.reset({ seed: 5 });
    v.step([0, 1, 2]);
    twin.step([0, 1, 2]);
    const snapshot = (env: GridWorldVector): unknown => [Array.from(env.observations), Array.from(env.rewards), env.render('state')];
    const before = snapshot(v);
    for (const bad of [[0, 1], [0, 1, 2, 3], [0, 4, 1], [0, 1, -1], [1.5, 0, 0], [0, Number.NaN, 0], ['1', 0, 0]]) {
      expect(() => v.step(bad as number[])).toThrow(InvalidActionError);
    }
    expect(() => v.step([0, 1, 9])).toThrow('action[2]: expected an integer from 0 to 3, got 9');
    expect(() => v.step([0, 1])).toThrow('action: expected 3 actions (one per sub-env), got 2');
    expect(snapshot(v)).toEqual(before);
    // the refused steps were not counted: both reach maxEpisodeSteps on the same step
    v.step(Uint8Array.of(3, 3, 3));
    twin.step([3, 3, 3]);
    v.step([2, 2, 2]);
    twin.step([2, 2, 2]);
    expect(snapshot(v)).toEqual(snapshot(twin));
    expect(v.ended.map((e) => e.episode)).toEqual(twin.ended.map((e) => e.episode));
    expect(v.ended).toHaveLength(3);
  });

  test('stateAt and infoAt check the index', () => {
    const v = new GridWorldVector({}, 2);
    v.reset({ seed: 1 });
    expect(v.stateAt(1)).toEqual(v.render('state')[1]);
    expect(() => v.stateAt(2)).toThrow(RangeError);
    expect(() => v.infoAt(-1)).toThrow(RangeError);
  });

  test('final observations are copies that survive later steps', () => {
    const v = new GridWorldVector({ size: 2, maxEpisodeSteps: 1, observation: 'onehot' }, 64);
    v.reset({ seed: 3 });
    v.step(new Int32Array(64));
    const finals: Observation[] = v.ended.map((e) => e.finalObservation);
    const copies = finals.map((o) => Array.from(o));
    expect(finals).toHaveLength(64);
    for (let t = 0; t < 20; t++) v.step(new Int32Array(64).fill(t % 4));
    expect(finals.map((o) => Array.from(o))).toEqual(copies);
  });
});
