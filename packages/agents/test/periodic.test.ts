import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { train } from '../src/runner';
import { inProcessSource } from '../src/sources';
import type { Agent } from '../src/plugin';
import { checkStopMetric, parseStopAt, StopAt } from '../src/stop-at';
import { MetricsLog, METRICS_CSV_HEADER } from '../src/metrics-log';
import { better, evalMetrics, PeriodicEval } from '../src/periodic-eval';
import type { EvalResult } from '../src/evaluate';

/** Always "right": on the layout A.G it reaches the goal in 2 steps, every episode. */
const right: Agent = { act: (_o, count) => new Int32Array(count).fill(3), snapshot: () => ({ state: {}, tensors: {} }), restore: () => undefined };
const corridor = { env: 'GridWorld-v0', options: { layout: ['A.G', '...', '...'] } };

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'rlfs-periodic-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('periodic tasks in the training loop', () => {
  it('run at each multiple of their step count (vector steps overshoot: right after), and once at the end when asked', async () => {
    const at: number[] = [];
    const end: number[] = [];
    // 4 sub-envs: steps go 4, 8, 12, ...; every 10 runs at 12 (first >= 10), 20, 32 (first >= 30), 40, and 42 at the end.
    await train({
      agent: right, source: inProcessSource({ ...corridor, numEnvs: 4 }), steps: 42, seed: 1,
      periodic: [{ every: 10, run: ({ progress }) => void at.push(progress.steps) }, { every: 100, atEnd: true, run: ({ progress }) => void end.push(progress.steps) }],
    });
    expect(at).toEqual([12, 20, 32, 40]);
    // 42 is not a multiple of 4: the run ends at 44, and the end task runs there once.
    expect(end).toEqual([44]);
  });

  it('hand the task the current observation, and no telemetry in process', async () => {
    const seen: Array<[number[], boolean]> = [];
    await train({ agent: right, source: inProcessSource(corridor), steps: 3, seed: 1, periodic: [{ every: 1, run: ({ observation, telemetry }) => void seen.push([Array.from(observation.subarray(0, 3)), telemetry !== undefined]) }] });
    // Step 1: A moved to the middle; step 2 reaches G and the next episode starts (A back left); step 3: middle again.
    expect(seen).toEqual([[[0, 1, 2], false], [[1, 0, 2], false], [[0, 1, 2], false]]);
  });

  it('targetReached ends the run with stoppedBy "target"', async () => {
    const stop = new StopAt(parseStopAt('episode/return=0'));
    let steps = 0;
    const result = await train({
      agent: right, source: inProcessSource(corridor), steps: 1000, seed: 1,
      onEpisode: (e) => stop.observe({ 'episode/return': e.return }, (steps = e.steps)),
      targetReached: () => stop.reached,
    });
    // Every corridor episode returns 2 * -1 + 100 + shaping > 0: the first one ends the run.
    expect(result).toMatchObject({ stoppedBy: 'target', steps: 2, episodes: 1 });
    expect(stop.reachedAt?.step).toBe(steps);
  });
});

describe('--stop-at', () => {
  it('parses METRIC=VALUE and refuses anything else, naming it', () => {
    expect(parseStopAt('eval/success=0.95')).toEqual({ metric: 'eval/success', value: 0.95 });
    expect(parseStopAt(' eval/return = -20 ')).toEqual({ metric: 'eval/return', value: -20 });
    for (const bad of ['eval/success', '=0.9', 'eval/success=', 'eval/success=high', 'eval/success=Infinity']) {
      expect(() => parseStopAt(bad)).toThrow(`--stop-at: expected METRIC=VALUE with a finite number, e.g. eval/success=0.95, got "${bad}"`);
    }
  });

  it('says why a run would never produce the metric', () => {
    expect(checkStopMetric('eval/success', { evaluates: true, definesSuccess: true })).toBeUndefined();
    expect(checkStopMetric('train/epsilon', { evaluates: false, definesSuccess: false })).toBeUndefined();
    expect(checkStopMetric('eval/sucess', { evaluates: true, definesSuccess: true })).toMatch(/^--stop-at: no metric "eval\/sucess" is produced by a run; known: eval\/success, /);
    expect(checkStopMetric('eval/return', { evaluates: false, definesSuccess: true })).toBe('--stop-at eval/return: eval/return is produced only by the evaluation: add --eval-every STEPS');
    expect(checkStopMetric('eval/gap', { evaluates: true, definesSuccess: false })).toMatch(/defines no success .* use eval\/return$/);
  });

  it('is reached when the metric is at least the value, and remembers the first time', () => {
    const stop = new StopAt({ metric: 'eval/success', value: 0.9 });
    stop.observe({ 'eval/return': 99 }, 100);
    stop.observe({ 'eval/success': 0.85 }, 200);
    expect(stop.reached).toBe(false);
    stop.observe({ 'eval/success': 0.9 }, 300);
    stop.observe({ 'eval/success': 1 }, 400);
    expect(stop.reachedAt).toEqual({ step: 300, value: 0.9 });
  });
});

describe('metrics.csv', () => {
  it('one line per metric per report, finite values only; a resumed run keeps the lines up to its step', () => {
    const file = path.join(dir, 'metrics.csv');
    const log = new MetricsLog(file);
    log.append(200, { 'train/epsilon': 0.5, 'train/loss': NaN, 'perf/steps_per_second': 1000 });
    log.append(400, { 'eval/return': -3.5, 'eval/success': 0.25 });
    log.append(600, { 'train/epsilon': 0.25 });
    log.close();
    expect(readFileSync(file, 'utf8')).toBe(`${METRICS_CSV_HEADER}\n200,train/epsilon,0.5\n200,perf/steps_per_second,1000\n400,eval/return,-3.5\n400,eval/success,0.25\n600,train/epsilon,0.25\n`);
    const resumed = new MetricsLog(file, 400);
    resumed.append(500, { 'train/epsilon': 0.3 });
    resumed.close();
    expect(readFileSync(file, 'utf8')).toBe(`${METRICS_CSV_HEADER}\n200,train/epsilon,0.5\n200,perf/steps_per_second,1000\n400,eval/return,-3.5\n400,eval/success,0.25\n500,train/epsilon,0.3\n`);
  });
});

describe('evaluation during training', () => {
  const result = (successRate: number | undefined, meanReturn: number): EvalResult => ({ meanReturn, episodes: 10, meanLength: 5, seed: 1, ...(successRate !== undefined ? { successRate } : {}) });

  it('best is by success rate, then mean return; by mean return where there is no success', () => {
    expect(better(result(0.9, 10), result(0.8, 50))).toBe(true);
    expect(better(result(0.9, 10), result(0.9, 50))).toBe(false);
    expect(better(result(0.9, 60), result(0.9, 50))).toBe(true);
    expect(better(result(undefined, 60), result(undefined, 50))).toBe(true);
    expect(evalMetrics({ ...result(0.5, 7), meanGap: null })).toEqual({ 'eval/return': 7, 'eval/success': 0.5 });
    expect(evalMetrics({ ...result(1, 7), meanGap: 0.5 })).toEqual({ 'eval/return': 7, 'eval/success': 1, 'eval/gap': 0.5 });
  });

  it('plays the same seeded episodes every time on its own environment, and knows whether the env defines success', async () => {
    const ev = new PeriodicEval({ source: inProcessSource({ env: 'GridWorld-v0', options: { size: 4 } }), episodes: 5, seed: 7 });
    await ev.open();
    expect(ev.definesSuccess).toBe(true);
    const a = (await ev.run(right, 100))!;
    const b = (await ev.run(right, 200))!;
    expect(b.result).toEqual(a.result);
    expect([a.best, b.best]).toEqual([true, false]);
    // Cut short (Ctrl-C once it has taken two steps), an evaluation is no figure: nothing is returned or remembered.
    let episodes = 0;
    expect(await ev.run({ ...right, act: (o, n) => (episodes++, right.act(o, n, false)) }, 300, () => episodes >= 2)).toBeUndefined();
    expect(ev.best).toBe(a.result);
    await ev.close();
    const cart = new PeriodicEval({ source: inProcessSource({ env: 'CartPole-v1' }), episodes: 2, seed: 7 });
    await cart.open();
    expect(cart.definesSuccess).toBe(false);
    expect(Object.keys((await cart.run({ ...right, act: (_o, n) => new Int32Array(n) }, 10))!.metrics)).toEqual(['eval/return']);
    await cart.close();
  });
});
