import { curveSvg, movingAverage, MAX_POINTS } from '../src/curve';
import { CurveSummary } from '../src/curve-summary';
import { ProgressBar } from '../src/cli/progress';

/** The plot area's top and bottom (y of the y-axis line): the title and legend rows above it set the top. */
function plotRows(svg: string): { top: number; bottom: number } {
  const m = /<line class="y-axis" x1="64" y1="([\d.]+)" x2="64" y2="([\d.]+)"/.exec(svg)!;
  return { top: Number(m[1]), bottom: Number(m[2]) };
}

describe('learning curve', () => {
  it('moving average over a trailing window (shorter at the start)', () => {
    expect(movingAverage([2, 4, 6, 8, 10], 3)).toEqual([2, 3, 4, 6, 8]);
    expect(movingAverage([], 3)).toEqual([]);
  });

  it('draws the returns and their moving average, by episode when no steps are known, with round ticks', () => {
    const svg = curveSvg([-10, 0, 10, 20], { title: 'dqn <5x5>', window: 2 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('dqn &lt;5x5&gt;');
    const paths = [...svg.matchAll(/<path class="[a-z]+" d="M([^"]+)"/g)].map((m) => m[1]!.split('L'));
    expect(paths).toHaveLength(2);
    expect(paths[0]).toHaveLength(4);
    // Plot area: x 64..736; one title line (to y 22) and one legend row (16) above it: y 50..354.
    // y ticks -10, 0, 10, 20 (30 / 5 intervals = 6, rounded up to 10): -10 at the bottom, 20 at the top.
    // x ticks 1, 1.5, ..., 4 (step 0.5): episode 1 at the left edge, episode 4 at the right.
    expect(plotRows(svg)).toEqual({ top: 50, bottom: 354 });
    expect(paths[0]![0]).toBe('64.0,354.0');
    expect(paths[0]![3]).toBe('736.0,50.0');
    // The average of the last two, 15, sits at a sixth of the height below the top.
    expect(paths[1]![3]).toBe(`736.0,${(50 + 304 * (5 / 30)).toFixed(1)}`);
    expect(svg).toContain('>moving average of 2 episodes<');
    expect([...svg.matchAll(/class="ytick"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['-10', '0', '10', '20']);
    expect(svg).toContain('>episode</text>');
  });

  it('on env steps: round ticks (0, 10k, 20k...), the evaluation curve, and the legend above the plot', () => {
    const s = new CurveSummary(8);
    // Four episodes ending at steps 5,000 .. 20,000 with returns -128 .. 99: the ticks the issue saw were 99, -14, -128.
    [-128, -14, 50, 99].forEach((ret, i) => s.add(ret, 5000 * (i + 1)));
    const svg = curveSvg(s, { title: 'tabular-q on GridWorld-v0 {"size":5}', evals: [{ step: 10_000, value: 20 }, { step: 20_000, value: 90 }] });
    expect([...svg.matchAll(/class="ytick"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['-150', '-100', '-50', '0', '50', '100']);
    expect([...svg.matchAll(/class="xtick"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['0', '5k', '10k', '15k', '20k']);
    expect(svg).toContain('>env steps</text>');
    // x: 0..20,000 over 64..736; y: -150..100 over bottom..top. The evaluation at step 10,000 (value 20) is at x 400.
    const { top, bottom } = plotRows(svg);
    const evalPath = svg.match(/<path class="eval" d="M([^"]+)"/)![1]!.split('L');
    expect(evalPath).toEqual([`400.0,${(top + (bottom - top) * (80 / 250)).toFixed(1)}`, `736.0,${(top + (bottom - top) * (10 / 250)).toFixed(1)}`]);
    expect(svg.match(/class="eval-point"/g)).toHaveLength(2);
    // Every legend entry sits above the plot area, so no data hides behind it, and inside the picture's width.
    const legend = [...svg.matchAll(/<g class="legend-[a-z]+"><line x1="([\d.]+)" y1="([\d.]+)"[^>]*\/><text[^>]*>([^<]+)</g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3]! }));
    expect(legend).toHaveLength(3);
    for (const l of legend) {
      expect(l.y).toBeLessThan(top);
      expect(l.x + 22 + 7 * l.text.length).toBeLessThanOrEqual(760);
    }
    expect(svg).toContain('tabular-q on GridWorld-v0 {"size":5}');
  });

  it('wraps a long title (the whole environment and options) over lines instead of cutting or shrinking it', () => {
    const title = 'tabular-q on GridWorld-v0 {"size":5,"boundary":"walls","observation":"grid","maxEpisodeSteps":100,"obstacles":0,"rewards":{"step":-1,"goal":100,"wall":-1,"shaping":1}}, seed 1';
    const svg = curveSvg([1, 2, 3], { title });
    const lines = [...svg.matchAll(/<text class="title"[^>]*font-size="13">([^<]+)</g)].map((m) => m[1]!);
    expect(lines.length).toBeGreaterThan(1);
    // Broken after commas or at spaces: joined back, the title is whole.
    expect(lines.join(' ').replace(/, /g, ',').replace('},seed', '}, seed')).toBe(title);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(94);
    // The plot starts below the title's lines.
    expect(plotRows(svg).top).toBeGreaterThan(4 + lines.length * 16);
  });

  it('draws at most MAX_POINTS points per line, spanning the whole run, with a lowest-to-highest band', () => {
    const returns = Array.from({ length: 3 * MAX_POINTS + 1 }, (_, i) => i);
    const svg = curveSvg(returns);
    const pathOf = (cls: string): string[] => svg.match(new RegExp(`<path class="${cls}" d="M([^"]+)"`))![1]!.replace(/Z$/, '').split('L');
    const raw = pathOf('returns');
    expect(raw.length).toBeLessThanOrEqual(MAX_POINTS);
    // 3073 episodes in buckets of 4: the last bucket is episode 3073 alone.
    expect(raw).toHaveLength(769);
    expect(pathOf('band')).toHaveLength(2 * 769);
    expect(pathOf('average').length).toBe(769);
    // The average spans 50 episodes, rounded to whole buckets of 4: 13 buckets (12.5 rounds up).
    expect(svg).toContain('>moving average of 52 episodes<');
    expect(svg).toContain('mean of each 4 episodes (band: lowest to highest)');
    // Episodes 1..3073: 3072 / 6 = 512 rounds up to a step of 1000.
    expect([...svg.matchAll(/class="xtick"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['0', '1000', '2000', '3000', '4000']);
  });

  it('a run of a million episodes draws (no spread over the returns: the old curve overflowed the stack here)', () => {
    const summary = new CurveSummary();
    for (let i = 0; i < 1_000_000; i++) summary.add(i % 7 === 0 ? -10 : 5, 10 * (i + 1));
    const svg = curveSvg(summary, { title: 'long' });
    expect(svg).toContain('>10M</text>');
    expect([...svg.matchAll(/class="ytick"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['-10', '-5', '0', '5']);
  });
});

describe('curve summary', () => {
  it('keeps every episode while there is room, so the curve is exact', () => {
    const s = CurveSummary.of([2, 4, 6, 8, 10], 8);
    expect(s.length).toBe(5);
    expect(s.width).toBe(1);
    expect(s.bucket(3)).toEqual({ first: 3, count: 1, finite: 1, sum: 8, mean: 8, min: 8, max: 8, meanStep: NaN });
    expect(Array.from(s.movingAverage(3).values)).toEqual(movingAverage([2, 4, 6, 8, 10], 3));
  });

  it('merges neighbours pairwise when full: width doubles, memory stays, the run is still spanned', () => {
    const s = CurveSummary.of([1, 2, 3, 4, 5, 6, 7, 8, 9], 4);
    // 1-4 fill it; 5 merges them into [1,2] [3,4]; 5-8 fill [5,6] [7,8]; 9 merges again into [1-4] [5-8], then [9].
    expect(s.width).toBe(4);
    expect(s.length).toBe(3);
    expect(s.bucket(0)).toMatchObject({ first: 0, count: 4, finite: 4, sum: 10, mean: 2.5, min: 1, max: 4 });
    expect(s.bucket(1)).toMatchObject({ first: 4, count: 4, mean: 6.5, min: 5, max: 8 });
    expect(s.bucket(2)).toMatchObject({ first: 8, count: 1, mean: 9, min: 9, max: 9 });
    expect([s.total, s.min, s.max]).toEqual([9, 1, 9]);
    // A window of 8 episodes is 2 buckets of 4: the mean of buckets 1 and 2 is (26 + 9) / 5.
    expect(Array.from(s.movingAverage(8).values)).toEqual([2.5, 4.5, 7]);
  });

  it('counts non-finite returns as episodes but leaves them out of the figures', () => {
    const s = CurveSummary.of([1, NaN, 3], 4);
    expect(s.total).toBe(3);
    expect(s.bucket(1)).toMatchObject({ count: 1, finite: 0 });
    expect(Number.isNaN(s.bucket(1).mean)).toBe(true);
    expect(Array.from(s.movingAverage(2).values)).toEqual([1, 1, 3]);
    expect(() => new CurveSummary(5)).toThrow(/even integer >= 4/);
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
