import { drawChart, chartFrame, drawnPointCount, hoverReadout, nearestIndex, formatValue } from '../src/plot/chart';
import type { ChartSpec } from '../src/plot/chart';
import { csvField, csvFileName, episodesToCsv } from '../src/plot/csv';
import { linearScale } from '../src/plot/scale';
import { BoundedSeries, decimateIndices, movingAverage } from '../src/plot/series';
import { decimalsFor, formatTick, niceStep, niceTicks } from '../src/plot/ticks';

describe('ticks', () => {
  test('nice steps are 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(1.3)).toBe(2);
    expect(niceStep(2.2)).toBe(2.5);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(0.013)).toBeCloseTo(0.02, 12);
    expect(niceStep(340)).toBe(500);
  });

  test('ticks cover the range with whole steps', () => {
    expect(niceTicks(0, 100, 5)).toEqual({ min: 0, max: 100, step: 25, values: [0, 25, 50, 75, 100] });
    expect(niceTicks(-3, 7, 6)).toEqual({ min: -4, max: 8, step: 2, values: [-4, -2, 0, 2, 4, 6, 8] });
    expect(niceTicks(0.1, 0.3, 3).values).toEqual([0.1, 0.2, 0.3]);
    expect(niceTicks(0.05, 0.3, 3).values).toEqual([0, 0.2, 0.4]);
    expect(niceTicks(91, 99.5, 5)).toEqual({ min: 90, max: 100, step: 2.5, values: [90, 92.5, 95, 97.5, 100] });
  });

  test('an empty or one-valued range is widened, a reversed one swapped', () => {
    expect(niceTicks(5, 5, 5).values).toEqual([4.5, 4.75, 5, 5.25, 5.5]);
    expect(niceTicks(0, 0, 3).values).toEqual([-1, 0, 1]);
    expect(niceTicks(10, 0, 3).values).toEqual([0, 5, 10]);
    expect(niceTicks(NaN, 1, 3).values).toEqual([0, 0.5, 1]);
  });

  test('labels carry just the decimals of their step', () => {
    expect(decimalsFor(2.5)).toBe(1);
    expect(decimalsFor(0.25)).toBe(2);
    expect(decimalsFor(5)).toBe(0);
    expect(formatTick(92.5, 2.5)).toBe('92.5');
    expect(formatTick(95, 2.5)).toBe('95');
    expect(formatTick(0.30000000000000004, 0.1)).toBe('0.3');
    expect(formatTick(15000, 5000)).toBe('15k');
    expect(formatTick(2500000, 500000)).toBe('2.5M');
    expect(formatTick(0.0002, 0.0001)).toBe('2e-4');
    expect(formatTick(0, 1)).toBe('0');
  });
});

describe('series', () => {
  test('moving average over a window, averaging what exists at the start', () => {
    expect(movingAverage([1, 2, 3, 4, 5], 2)).toEqual([1, 1.5, 2.5, 3.5, 4.5]);
    expect(movingAverage([10, 0, 20, 30], 3)).toEqual([10, 5, 10, 50 / 3]);
    expect(movingAverage([4, 8], 1)).toEqual([4, 8]);
    expect(movingAverage([], 5)).toEqual([]);
    expect(() => movingAverage([1], 0)).toThrow(/window/);
  });

  test('decimation keeps everything under the limit', () => {
    expect(decimateIndices([3, 1, 2], 10)).toEqual([0, 1, 2]);
  });

  test('decimation bounds the points, keeps extremes and the newest point', () => {
    const ys = Array.from({ length: 100_000 }, (_, i) => Math.sin(i / 500));
    ys[54_321] = 50; // a spike
    ys[12_345] = -50;
    const idx = decimateIndices(ys, 600);
    expect(idx.length).toBeLessThanOrEqual(601);
    expect(idx).toContain(54_321);
    expect(idx).toContain(12_345);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(99_999);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });

  test('a bounded series merges pairs when full and keeps the mean', () => {
    const s = new BoundedSeries(4);
    for (let i = 1; i <= 4; i++) s.push(i, i * 10);
    // full at 4: merged to (1.5, 15), (3.5, 35), then each kept point stands for 2 raw points
    expect(s.xs).toEqual([1.5, 3.5]);
    expect(s.ys).toEqual([15, 35]);
    expect(s.stride).toBe(2);
    s.push(5, 50);
    expect(s.length).toBe(2); // half a pair pending
    s.push(6, 70);
    expect(s.xs).toEqual([1.5, 3.5, 5.5]);
    expect(s.ys).toEqual([15, 35, 60]);
    expect(s.total).toBe(6);
    expect(s.last).toBe(70);
    for (let i = 7; i < 10_000; i++) s.push(i, 1);
    expect(s.length).toBeLessThan(4);
    s.push(1e4, NaN); // not finite: ignored
    expect(s.total).toBe(9_999);
  });
});

describe('chart', () => {
  const spec = (n: number): ChartSpec => ({
    title: 'Return',
    xLabel: 'episode',
    yLabel: 'return',
    series: [
      { name: 'return', xs: Array.from({ length: n }, (_, i) => i + 1), ys: Array.from({ length: n }, (_, i) => (i % 7) - 3), color: '#ffffff', style: 'points' },
      { name: 'mean', xs: Array.from({ length: n }, (_, i) => i + 1), ys: movingAverage(Array.from({ length: n }, (_, i) => (i % 7) - 3), 5), color: '#ff0000', style: 'line' },
    ],
  });
  const box = { x: 0, y: 0, w: 600, h: 260 };

  test('axes span nice ticks around the data and label them', () => {
    const cmds = drawChart(spec(50), box);
    const labels = cmds.filter((c) => c.kind === 'text').map((c) => (c as { text: string }).text);
    expect(labels).toEqual(expect.arrayContaining(['Return', 'episode', 'return', '0', '50', '-4', '4']));
    const frame = chartFrame(spec(50), box);
    expect(frame.x.domain).toEqual([0, 50]);
    expect(frame.y(frame.y.domain[0])).toBe(frame.plot.y + frame.plot.h); // y grows upward
  });

  test('drawn points stay bounded however many episodes', () => {
    const big = spec(200_000);
    expect(drawnPointCount(big.series[0]!)).toBeLessThanOrEqual(601);
    expect(drawnPointCount(big.series[1]!)).toBeLessThanOrEqual(801);
    const dots = drawChart(big, box).find((c) => c.kind === 'dots') as { points: number[] };
    expect(dots.points.length / 2).toBeLessThanOrEqual(601);
  });

  test('no data: a waiting message instead of series', () => {
    const cmds = drawChart({ title: 't', xLabel: 'x', series: [{ name: 's', xs: [], ys: [], color: '#fff', style: 'line' }] }, box);
    expect(cmds.some((c) => c.kind === 'text' && c.text.startsWith('waiting'))).toBe(true);
    expect(cmds.some((c) => c.kind === 'polyline')).toBe(false);
  });

  test('hover reads the values at the nearest episode', () => {
    const s = spec(10);
    const frame = chartFrame(s, box);
    const read = hoverReadout(s, frame, frame.x(4.2), frame.plot.y + 10)!;
    expect(read.x).toBe(4);
    expect(read.lines.map((l) => [l.name, l.value])).toEqual([['return', 0], ['mean', (-3 - 2 - 1 + 0) / 4]]);
    expect(hoverReadout(s, frame, 1, 1)).toBeUndefined(); // outside the plot
    const withHover = drawChart(s, box, { x: frame.x(4.2), y: frame.plot.y + 10 });
    expect(withHover.some((c) => c.kind === 'text' && c.text === 'return: 0')).toBe(true);
  });

  test('nearest index and value formatting', () => {
    expect(nearestIndex([1, 2, 4, 8], 5.9)).toBe(2);
    expect(nearestIndex([1, 2, 4, 8], 6.1)).toBe(3);
    expect(nearestIndex([], 1)).toBe(-1);
    expect(formatValue(96.942809)).toBe('96.94');
    expect(formatValue(0.00012)).toBe('1.20e-4');
  });

  test('linear scale and its inverse', () => {
    const s = linearScale([0, 10], [100, 0]);
    expect(s(2.5)).toBe(75);
    expect(s.invert(75)).toBe(2.5);
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5);
  });
});

describe('CSV export', () => {
  test('the episode table with a header, full numbers, empty unknowns, CRLF', () => {
    const csv = episodesToCsv([
      { episode: 1, index: 0, return: 0.1 + 0.2, length: 4, terminated: true, shortestPath: 4 },
      { episode: 2, index: 3, return: -100, length: 100, terminated: false },
    ]);
    expect(csv).toBe('episode,env,return,length,terminated,shortest_path\r\n1,0,0.30000000000000004,4,true,4\r\n2,3,-100,100,false,\r\n');
  });

  test('fields are quoted when needed; file names are safe', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(3)).toBe('3');
    expect(csvFileName('s3', 'demo dqn/1')).toBe('rlfs-s3-demo_dqn_1-episodes.csv');
  });
});
