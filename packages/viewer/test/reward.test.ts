import { actionKeysOf, actionOfKey, actionOfKeyIn, keycaps, keyLabel } from '../src/play/keys';
import { DEFAULT_REWARDS, describeParts, gridDistance, parseLayoutText, rewardBreakdown, rewardsOf } from '../src/play/reward';

const walls3 = { rewards: DEFAULT_REWARDS, size: 3, boundary: 'walls' as const };

describe('reward breakdown (contract formula, worked by hand)', () => {
  test('a step toward the goal: step -1, shaping (sqrt 8 - sqrt 5) / 3', () => {
    const p = rewardBreakdown(walls3, { before: [0, 0], after: [0, 1], goal: [2, 2], hitWall: false, reached: false });
    expect(p.step).toBe(-1);
    expect(p.shaping).toBeCloseTo((2.8284271247461903 - 2.23606797749979) / 3, 15); // 0.197453...
    expect(p.wall).toBe(0);
    expect(p.goal).toBe(0);
    expect(p.total).toBeCloseTo(-0.802547, 6);
  });

  test('reaching the goal: step -1, shaping 1/3, goal +100', () => {
    const p = rewardBreakdown(walls3, { before: [1, 2], after: [2, 2], goal: [2, 2], hitWall: false, reached: true });
    expect(p).toEqual({ step: -1, shaping: 1 / 3, wall: 0, goal: 100, total: -1 + 1 / 3 + 100 });
  });

  test('a bump: the agent stays, shaping 0, wall -1', () => {
    const p = rewardBreakdown(walls3, { before: [0, 0], after: [0, 0], goal: [2, 2], hitWall: true, reached: false });
    expect(p).toEqual({ step: -1, shaping: 0, wall: -1, goal: 0, total: -2 });
  });

  test('under wrap the distance goes the short way round', () => {
    expect(gridDistance([0, 0], [0, 4], 5, false)).toBe(4);
    expect(gridDistance([0, 0], [0, 4], 5, true)).toBe(1);
    expect(gridDistance([0, 0], [4, 4], 5, true)).toBe(Math.SQRT2);
    // (0,0) -> (0,4) through the edge, goal (0,3), size 5: d 2 -> 1, shaping (2 - 1) / 5 = 0.2
    const p = rewardBreakdown({ rewards: DEFAULT_REWARDS, size: 5, boundary: 'wrap' }, { before: [0, 0], after: [0, 4], goal: [0, 3], hitWall: false, reached: false });
    expect(p.shaping).toBeCloseTo(0.2, 15);
  });

  test('custom rewards from spec.options scale each part', () => {
    const rewards = rewardsOf({ rewards: { step: -0.1, goal: 10, wall: -5, shaping: 3 } });
    const p = rewardBreakdown({ rewards, size: 4, boundary: 'walls' }, { before: [0, 0], after: [0, 1], goal: [0, 3], hitWall: false, reached: false });
    expect(p.shaping).toBeCloseTo(0.75, 15); // 3 * (3 - 2) / 4
    expect(p.total).toBeCloseTo(0.65, 15);
    expect(rewardsOf({})).toEqual(DEFAULT_REWARDS);
  });

  test('a whole episode on ["A..","...","..G"] returns 96 + sqrt(8)/3', () => {
    const path: [number, number][] = [[0, 0], [0, 1], [0, 2], [1, 2], [2, 2]];
    let total = 0;
    for (let i = 1; i < path.length; i++) total += rewardBreakdown(walls3, { before: path[i - 1]!, after: path[i]!, goal: [2, 2], hitWall: false, reached: i === 4 }).total;
    expect(total).toBeCloseTo(96.94280904, 8);
  });

  test('the parts shown: step always, the others when not zero', () => {
    const p = rewardBreakdown(walls3, { before: [0, 0], after: [0, 0], goal: [2, 2], hitWall: true, reached: false });
    expect(describeParts(p).map((x) => x.name)).toEqual(['step', 'wall']);
  });
});

describe('play input', () => {
  test('arrow keys and WASD map to 0 up, 1 down, 2 left, 3 right', () => {
    expect(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].map(actionOfKey)).toEqual([0, 1, 2, 3]);
    expect(['w', 's', 'a', 'd', 'W'].map(actionOfKey)).toEqual([0, 1, 2, 3, 0]);
    expect(actionOfKey('x')).toBeUndefined();
  });

  test('layout text: rows split by lines, commas or spaces; blank is none', () => {
    expect(parseLayoutText('A..\n...\n..G\n')).toEqual(['A..', '...', '..G']);
    expect(parseLayoutText('A.., ..G')).toEqual(['A..', '..G']);
    expect(parseLayoutText('  \n')).toBeUndefined();
  });
});

describe('keys of any environment', () => {
  const discreteSpec = (n: number, actions?: { name: string; keys: string[] }[]) => ({ actionSpace: { type: 'Discrete' as const, n }, ...(actions ? { actions } : {}) });

  test("the spec's actions win: CartPole's push left/right on the arrows", () => {
    const actions = actionKeysOf(discreteSpec(2, [{ name: 'push left', keys: ['ArrowLeft', 'a'] }, { name: 'push right', keys: ['ArrowRight'] }]));
    expect(actionOfKeyIn(actions, 'ArrowLeft')).toBe(0);
    expect(actionOfKeyIn(actions, 'a')).toBe(0);
    expect(actionOfKeyIn(actions, 'ArrowRight')).toBe(1);
    expect(actionOfKeyIn(actions, 'ArrowUp')).toBeUndefined();
    expect(actions.map(keycaps)).toEqual([['←', 'A'], ['→']]);
  });

  test('defaults: Discrete(4) as GridWorld, Discrete(2) left/right, otherwise digits 1..9, 0', () => {
    expect(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'w'].map((k) => actionOfKeyIn(actionKeysOf(discreteSpec(4)), k))).toEqual([0, 1, 2, 3, 0]);
    expect(['ArrowLeft', 'ArrowRight', 'd'].map((k) => actionOfKeyIn(actionKeysOf(discreteSpec(2)), k))).toEqual([0, 1, 1]);
    const eleven = actionKeysOf(discreteSpec(11));
    expect(['1', '3', '9', '0'].map((k) => actionOfKeyIn(eleven, k))).toEqual([0, 2, 8, 9]);
    expect(eleven[10]!.keys).toEqual([]);
    // A spec whose names do not match the action count is ignored.
    expect(actionKeysOf(discreteSpec(3, [{ name: 'only', keys: ['x'] }])).map((a) => a.keys[0])).toEqual(['1', '2', '3']);
    expect(actionKeysOf({ actionSpace: { type: 'Box', low: 0, high: 1, shape: [1], dtype: 'float32' } })).toEqual([]);
    expect([' ', 'ArrowUp', 'q'].map(keyLabel)).toEqual(['Space', '↑', 'Q']);
  });
});
