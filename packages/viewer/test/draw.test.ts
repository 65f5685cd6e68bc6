import type { FrameEvent, GridState } from '@rlfs/protocol';
import { chooseSession, describeSession, newestSession } from '../src/app/sessions';
import { backoffDelay } from '../src/shared/backoff';
import { describeStatus } from '../src/shared/status';
import { SessionData } from '../src/app/session-data';
import { inferBoundary } from '../src/draw/boundary';
import { hexToRgb, PALETTE, withAlpha } from '../src/draw/commands';
import type { DrawCmd } from '../src/draw/commands';
import { boundaryCommands, cellAt, cellCenter, drawGrid, gridGeometry, trailCommands } from '../src/draw/grid';
import { drawHud, formatCount, formatReward, hudItems } from '../src/draw/hud';
import { Trail } from '../src/draw/trail';

const state: GridState = { size: 5, agent: [1, 2], goal: [4, 4], obstacles: [[0, 0], [3, 1]] };
const box = { x: 0, y: 0, w: 300, h: 300 };

describe('board', () => {
  test('geometry: the board is centred, cells are whole pixels, centres and hits agree', () => {
    const g = gridGeometry(5, box, 14);
    expect(g).toEqual({ size: 5, cell: 54, x0: 15, y0: 15 });
    expect(cellCenter(g, [1, 2])).toEqual([15 + 2.5 * 54, 15 + 1.5 * 54]);
    expect(cellAt(g, ...cellCenter(g, [3, 4]))).toEqual([3, 4]);
    expect(cellAt(g, 5, 5)).toBeUndefined();
  });

  test('agent, goal and obstacles are drawn at their cells, agent last (on top)', () => {
    const cmds = drawGrid({ state, boundary: 'walls' }, box);
    const g = gridGeometry(5, box);
    const last = cmds[cmds.length - 1]!;
    expect(last).toMatchObject({ kind: 'circle', fill: PALETTE.agent, x: cellCenter(g, [1, 2])[0], y: cellCenter(g, [1, 2])[1] });
    const goal = cmds.find((c) => c.kind === 'rect' && c.fill === PALETTE.goal) as DrawCmd & { x: number; y: number; w: number };
    expect(goal.x + goal.w / 2).toBeCloseTo(cellCenter(g, [4, 4])[0], 9);
    expect(cmds.filter((c) => c.kind === 'rect' && c.fill === PALETTE.obstacle)).toHaveLength(2);
  });

  test('a large board costs lines, not one rect per cell', () => {
    const big = drawGrid({ state: { size: 64, agent: [0, 0], goal: [63, 63], obstacles: [] } }, { x: 0, y: 0, w: 800, h: 800 });
    expect(big.length).toBeLessThan(2 * 64 + 10);
  });

  test('walls and wrap look different; unknown is neutral', () => {
    const g = gridGeometry(5, box);
    const walls = boundaryCommands(g, 'walls');
    const wrap = boundaryCommands(g, 'wrap');
    expect(walls).toHaveLength(1);
    expect(walls[0]).toMatchObject({ kind: 'rect', stroke: PALETTE.wall });
    expect(wrap[0]).toMatchObject({ kind: 'rect', stroke: PALETTE.wrap, dash: [7, 5] });
    expect(wrap.filter((c) => c.kind === 'polygon')).toHaveLength(4); // an arrow through each edge
    expect(boundaryCommands(g, 'unknown')[0]).toMatchObject({ stroke: PALETTE.axis });
  });

  test('the trail joins neighbouring cells only (not a jump through a wrap edge) and fades with age', () => {
    const g = gridGeometry(5, box);
    const cmds = trailCommands(g, [[0, 3], [0, 4], [0, 0], [1, 0]]);
    expect(cmds.filter((c) => c.kind === 'line')).toHaveLength(2);
    const dots = cmds.filter((c) => c.kind === 'circle') as { d: number }[];
    expect(dots).toHaveLength(4);
    expect(dots[0]!.d).toBeLessThan(dots[3]!.d);
    expect(trailCommands(g, [])).toEqual([]);
  });

  test('trail ring keeps the most recent cells, oldest first, without repeats of a bump', () => {
    const t = new Trail(3);
    t.push([0, 0]);
    t.push([0, 0]);
    t.push([0, 1]);
    t.push([0, 2]);
    t.push([1, 2]);
    expect(t.cells()).toEqual([[0, 1], [0, 2], [1, 2]]);
    t.clear();
    expect(t.length).toBe(0);
    expect(() => new Trail(0)).toThrow(/capacity/);
  });

  test('boundary inferred from a move off the edge', () => {
    const at = (agent: [number, number], obstacles: [number, number][] = []): GridState => ({ size: 4, agent, goal: [2, 2], obstacles });
    expect(inferBoundary(at([0, 1]), at([0, 1]), 0)).toBe('walls');
    expect(inferBoundary(at([0, 1]), at([3, 1]), 0)).toBe('wrap');
    expect(inferBoundary(at([1, 3]), at([1, 0]), 3)).toBe('wrap');
    expect(inferBoundary(at([1, 1]), at([0, 1]), 0)).toBeUndefined(); // an inner move
    expect(inferBoundary(at([0, 1], [[3, 1]]), at([0, 1], [[3, 1]]), 0)).toBeUndefined(); // blocked under wrap too
  });
});

describe('HUD', () => {
  test('rewards are signed with at most 2 decimals; counts are compact', () => {
    expect(formatReward(-0.8026756)).toBe('-0.8');
    expect(formatReward(99.333)).toBe('+99.33');
    expect(formatReward(100)).toBe('+100');
    expect(formatReward(0)).toBe('0');
    expect(formatReward(null)).toBe('–');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234)).toBe('1.2k');
    expect(formatCount(56_789)).toBe('57k');
    expect(formatCount(3_400_000)).toBe('3.4M');
  });

  test('items: the episode running is one past those ended; the reward is coloured by its sign', () => {
    const items = hudItems({ episodes: 11, step: 4, lastReward: -1.2, index: 3, returnSoFar: 5 });
    expect(items.map((i) => [i.label, i.value])).toEqual([['env', '#3'], ['episode', '12'], ['step', '4'], ['reward', '-1.2'], ['return', '+5']]);
    expect(items[3]!.color).toBe(PALETTE.negative);
    expect(drawHud({ episodes: 0, step: 0, lastReward: null }, box).filter((c) => c.kind === 'text')).toHaveLength(6);
  });

  test('colours', () => {
    expect(hexToRgb('#ff7a45')).toEqual([255, 122, 69]);
    expect(withAlpha('#000000', 0.5)).toBe('rgba(0,0,0,0.500)');
    expect(() => hexToRgb('red')).toThrow(/colour/);
  });
});

describe('session data', () => {
  const frame = (index: number, step: number, reward: number | null, agent: [number, number], action: number | null = 3): FrameEvent => ({
    type: 'frame', session: 's1', index, step, action: step === 0 ? null : action, reward, terminated: false, truncated: false,
    state: { size: 4, agent, goal: [3, 3], obstacles: [] },
  });

  test('keeps the latest frame per sub-env and the watched one’s trail and return', () => {
    const d = new SessionData({ session: 's1', env: 'GridWorld-v0', name: 'a', numEnvs: 2, episodes: 0, steps: 0 });
    d.onFrame(frame(0, 0, null, [0, 0]), 0);
    d.onFrame(frame(1, 0, null, [2, 2]), 1);
    d.onFrame(frame(0, 1, -0.5, [0, 1]), 2);
    d.onFrame(frame(0, 2, -0.25, [0, 2]), 3);
    expect(d.watchedState()!.agent).toEqual([0, 2]);
    expect(d.latest.get(1)!.state).toMatchObject({ agent: [2, 2] });
    expect(d.trail.cells()).toEqual([[0, 0], [0, 1], [0, 2]]);
    expect(d.returnSoFar).toBe(-0.75);
    expect(d.returnKnown).toBe(true);
    d.watch(1);
    expect(d.watchedState()!.agent).toEqual([2, 2]);
    expect(d.returnKnown).toBe(false);
  });

  test('learns the boundary from a move off the edge', () => {
    const d = new SessionData({ session: 's1', env: 'GridWorld-v0', name: 'a', episodes: 0, steps: 0 });
    d.onFrame(frame(0, 0, null, [0, 3]), 0);
    expect(d.boundary).toBeUndefined();
    d.onFrame(frame(0, 1, -1, [0, 0], 3), 1); // right from the last column lands on the first: wrap
    expect(d.boundary).toBe('wrap');
  });

  test('episodes and telemetry feed the charts', () => {
    const d = new SessionData({ session: 's1', env: 'GridWorld-v0', name: 'a', episodes: 5, steps: 0 });
    d.onEpisode({ type: 'episode', session: 's1', index: 0, episode: 6, return: 90, length: 8, terminated: true, shortestPath: 6 });
    d.onEpisode({ type: 'episode', session: 's1', index: 0, episode: 7, return: -100, length: 100, terminated: false });
    expect(d.returns).toEqual([90, -100]);
    expect(d.shortest[1]).toBeNaN();
    expect(d.episodes[1]).toEqual({ episode: 7, index: 0, return: -100, length: 100, terminated: false });
    expect(d.episodeCount()).toBe(7);
    d.onTelemetry({ type: 'telemetry', session: 's1', metrics: { 'train/loss': 0.5, bad: NaN } });
    expect([...d.metrics.keys()]).toEqual(['train/loss']);
  });
});

describe('session list and connection', () => {
  const s = (session: string, extra = {}) => ({ session, env: 'GridWorld-v0', name: session, episodes: 1, steps: 1500, ...extra });

  test('following the newest switches to the last listed session; otherwise the choice stays', () => {
    expect(newestSession([s('s1'), s('s2')])!.session).toBe('s2');
    expect(chooseSession([s('s1'), s('s2')], 's1', true)).toBe('s2');
    expect(chooseSession([s('s1'), s('s2')], 's1', false)).toBe('s1');
    expect(chooseSession([], 's1', true)).toBe('s1');
    expect(chooseSession([], undefined, false)).toBeUndefined();
    expect(describeSession(s('s1', { numEnvs: 8 }))).toBe('GridWorld-v0 · 1 episode · 1.5k steps · 8 envs');
  });

  test('backoff doubles up to a ceiling, jitter on top', () => {
    const none = { jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, none))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffDelay(0, { jitter: 0.2 }, () => 0.5)).toBe(550);
  });

  test('status text says what happens', () => {
    expect(describeStatus({ kind: 'reconnecting', attempt: 2, inMs: 1500, reason: 'no answer' })).toEqual({ text: 'Server unreachable (no answer) · retrying in 2 s (attempt 2)', tone: 'bad' });
    expect(describeStatus({ kind: 'unauthorized' }).text).toBe('Token required');
    expect(describeStatus({ kind: 'live', server: 'x/1' }).tone).toBe('ok');
  });
});

test('thousands of frames between two pictures: only the latest per sub-env and a bounded trail are kept', () => {
  const d = new SessionData({ session: 's1', env: 'GridWorld-v0', name: 'fast', numEnvs: 64, episodes: 0, steps: 0 });
  const state = { size: 8, agent: [0, 0] as [number, number], goal: [7, 7] as [number, number], obstacles: [] };
  for (let i = 0; i < 200_000; i++) {
    state.agent = [i % 8, (i >> 3) % 8];
    d.onFrame({ type: 'frame', session: 's1', index: i % 64, step: (i >> 6) % 50, action: 3, reward: -1, terminated: false, truncated: false, state: { ...state } }, i / 10);
  }
  expect(d.latest.size).toBe(64); // only the latest frame per sub-env is kept
  expect(d.trail.length).toBeLessThanOrEqual(24);
});
