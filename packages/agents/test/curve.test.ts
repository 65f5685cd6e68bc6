import { curveSvg, movingAverage, MAX_POINTS } from '../src/curve';
import { ProgressBar } from '../src/cli/progress';

describe('learning curve', () => {
  it('moving average over a trailing window (shorter at the start)', () => {
    expect(movingAverage([2, 4, 6, 8, 10], 3)).toEqual([2, 3, 4, 6, 8]);
    expect(movingAverage([], 3)).toEqual([]);
  });

  it('draws the returns and their moving average with axis labels', () => {
    const svg = curveSvg([-10, 0, 10, 20], { title: 'dqn <5x5>', window: 2 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('dqn &lt;5x5&gt;');
    const paths = [...svg.matchAll(/<path d="M([^"]+)"/g)].map((m) => m[1]!.split('L'));
    expect(paths).toHaveLength(2);
    expect(paths[0]).toHaveLength(4);
    // y axis runs from the lowest to the highest return: -10 at the bottom (y = 316), 20 at the top (y = 36).
    expect(paths[0]![0]).toBe('60.0,316.0');
    expect(paths[0]![3]).toBe('700.0,36.0');
    // The average of the last two, 15, sits at a sixth of the height below the top.
    expect(paths[1]![3]).toBe(`700.0,${(36 + 280 * (5 / 30)).toFixed(1)}`);
    expect(svg).toContain('>moving average of 2<');
  });

  it('draws at most MAX_POINTS points per line, keeping the last episode', () => {
    const returns = Array.from({ length: 3 * MAX_POINTS + 1 }, (_, i) => i);
    const svg = curveSvg(returns);
    const raw = svg.match(/<path d="M([^"]+)"/)![1]!.split('L');
    expect(raw.length).toBeLessThanOrEqual(MAX_POINTS + 1);
    expect(raw[raw.length - 1]).toBe('700.0,36.0');
  });
});

describe('progress line', () => {
  it('shows steps, episodes, average return, success, epsilon, loss and speed', () => {
    const bar = new ProgressBar({ write: () => true }, { steps: 1000 }, 2);
    bar.episode(10, true);
    bar.episode(-20, false);
    bar.episode(30, true);
    const line = bar.line({ steps: 250, episodes: 3, stepsPerSecond: 812.4, metrics: { 'train/epsilon': 0.5, 'train/loss': 0.01234 } });
    expect(line).toBe('[#####...............]  25%  steps 250  episodes 3  return(avg 2) 5.0  success 50%  eps 0.500  loss 0.0123  812 steps/s');
  });
});
