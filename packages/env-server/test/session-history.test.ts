/** The history a late spectator gets: exact while small, bounded however long the run. */
import { DownsampledColumns, SessionHistory } from '../src/server/session-history';

it('keeps every episode exactly while below its bound', () => {
  const h = new SessionHistory({ episodePoints: 8 });
  h.episode(1, 10, -5, 10, 4);
  h.episode(2, 16, 95, 6, undefined);
  const e = h.event('s1', 16);
  expect(e).toMatchObject({ type: 'history', session: 's1', episodes: 2, steps: 16, width: 1, episode: [1, 2], step: [10, 16], return: [-5, 95], length: [10, 6], shortestPath: [4, null] });
});

it('merges neighbouring pairs into their mean when full, keeping the later episode number and env step', () => {
  const h = new SessionHistory({ episodePoints: 4 });
  // episodes 1..4 with returns 10, 20, 30, 40: at the 4th the four points become two of width 2
  for (let i = 1; i <= 4; i++) h.episode(i, i * 100, i * 10, i, i);
  let e = h.event('s', 400);
  expect(e).toMatchObject({ width: 2, episode: [2, 4], step: [200, 400], return: [15, 35], length: [1.5, 3.5] });
  // a 5th episode waits for a partner, shown as a partial last point
  h.episode(5, 500, 50, 5, 5);
  e = h.event('s', 500);
  expect(e).toMatchObject({ episodes: 5, width: 2, episode: [2, 4, 5], return: [15, 35, 50] });
});

it('10,000,000 episodes keep the episode series within its bound of points', () => {
  const bound = 1024;
  const h = new SessionHistory({ episodePoints: bound });
  let maxPoints = 0;
  for (let i = 1; i <= 10_000_000; i++) {
    h.episode(i, i * 20, i % 100, 20, 10);
    if ((i & 0xffff) === 0) maxPoints = Math.max(maxPoints, h.pointCount);
  }
  const e = h.event('s', 200_000_000);
  expect(maxPoints).toBeLessThan(bound);
  expect(e.episode.length).toBeLessThanOrEqual(bound);
  expect(e.episodes).toBe(10_000_000);
  expect(e.episode[e.episode.length - 1]).toBe(10_000_000); // the newest episode is always the last point
  // 2^14 episodes per point: 10,000,000 / 16384 = 610.35, so 610 full points and one partial
  expect(e.width).toBe(16384);
  expect(e.episode.length).toBe(611);
  // every return is i % 100, so each full bucket of 16384 consecutive episodes averages close to 49.5
  for (const r of e.return.slice(0, 610)) expect(Math.abs(r - 49.5)).toBeLessThan(0.1);
});

it('telemetry: points per metric and metric names are bounded; the latest values and value map are kept', () => {
  const h = new SessionHistory({ metricPoints: 4, maxMetrics: 2 });
  for (let s = 1; s <= 9; s++) h.telemetry(s * 10, { loss: s, epsilon: 1 / s, third: 7 });
  const valueMap = { size: 2, goal: [0, 1] as [number, number], values: [1, null, 2, 3], actions: [3, -1, 0, 0] };
  h.telemetry(100, { loss: 10 }, valueMap);
  const e = h.event('s', 100);
  expect(Object.keys(e.telemetry).sort()).toEqual(['epsilon', 'loss']); // 'third' came after two names were kept
  // loss 1..10 at steps 10..100, 4 points max: after 4 -> width 2 [1.5,3.5]; after 8 -> width 4 [2.5,6.5]; 9,10 pending
  expect(e.telemetry.loss).toEqual({ step: [40, 80, 100], value: [2.5, 6.5, 9.5] });
  expect(e.latest).toEqual({ loss: 10, epsilon: 1 / 9 });
  expect(e.valueMap).toEqual(valueMap);
  expect(h.pointCount).toBeLessThanOrEqual(2 * 4);
});

it('a capacity that is not an even integer >= 2 is refused by name', () => {
  expect(() => new DownsampledColumns(3, 1)).toThrow(/capacity/);
});
