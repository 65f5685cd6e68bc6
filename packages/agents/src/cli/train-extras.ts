/**
 * What `npm run train` does beside the training loop itself: evaluation during training (--eval-every), the best
 * checkpoint (best/), --stop-at, metrics.csv, run.json and the value maps (--value-map-every). Kept apart from
 * train.ts so that the loop's command line stays readable and its flag table gains one spread line.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { defineFlags, UsageError } from '@rlfs/cli';
import type { FlagValues } from '@rlfs/cli';
import { saveCheckpoint } from '../checkpoint';
import type { SaveInfo } from '../checkpoint';
import type { EvalResult } from '../evaluate';
import { MetricsLog } from '../metrics-log';
import { DEFAULT_EVAL_SEED, PeriodicEval } from '../periodic-eval';
import type { EvalPoint } from '../periodic-eval';
import type { Agent } from '../plugin';
import type { RunFolder } from '../run-folder';
import type { PeriodicTask, TrainReport, TrainResult } from '../runner';
import type { EnvSource } from '../sources';
import { checkStopMetric, parseStopAt, StopAt } from '../stop-at';
import { valueMapTask, DEFAULT_VALUE_MAP_EVERY } from '../value-map';

export const TRAIN_EXTRA_FLAGS = defineFlags({
  'eval-every': { type: 'int', default: 0, min: 0, placeholder: 'STEPS', doc: 'every STEPS env steps (and at the end), play greedy episodes on a separate environment: eval/return, eval/success, eval/gap as telemetry and in metrics.csv, the best agent in best/; 0 = never' },
  'eval-episodes': { type: 'int', default: 20, min: 1, placeholder: 'K', doc: 'episodes per evaluation during training' },
  'eval-seed': { type: 'int', default: DEFAULT_EVAL_SEED, min: 0, placeholder: 'K', doc: 'seeds the first reset of every evaluation: each one plays the same episodes (npm run eval\'s default seed)' },
  'stop-at': { type: 'string', placeholder: 'METRIC=VALUE', defaultText: 'none', doc: 'end the run once METRIC reaches VALUE (>=), e.g. eval/success=0.95' },
  'value-map-every': { type: 'int', default: DEFAULT_VALUE_MAP_EVERY, min: 0, placeholder: 'STEPS', doc: 'on a server, send the GridWorld value map (greedy value and action of every cell) every STEPS env steps (tabular-q, dqn); 0 = never' },
});

export type TrainExtraFlags = FlagValues<typeof TRAIN_EXTRA_FLAGS>;

/** Checks --stop-at before anything is opened: a malformed spec or a metric the run never produces is a usage error. */
export function stopAtFromFlags(flags: TrainExtraFlags): StopAt | undefined {
  if (flags['stop-at'] === undefined) return undefined;
  let stop: StopAt;
  try {
    stop = new StopAt(parseStopAt(flags['stop-at']));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  // Whether the environment defines success is known once the evaluation environment is open (see RunExtras.open).
  const problem = checkStopMetric(stop.target.metric, { evaluates: flags['eval-every'] > 0, definesSuccess: true });
  if (problem) throw new UsageError(problem);
  return stop;
}

/**
 * Opens the evaluation environment of --eval-every (none without it) and checks that --stop-at's eval/success or
 * eval/gap exists there: before the run folder is touched, so a refused command line writes nothing.
 */
export async function openEvaluation(flags: TrainExtraFlags, source: EnvSource, stopAt: StopAt | undefined): Promise<PeriodicEval | undefined> {
  if (flags['eval-every'] === 0) return undefined;
  const evaluation = new PeriodicEval({ source, episodes: flags['eval-episodes'], seed: flags['eval-seed'] });
  try {
    await evaluation.open();
    const metric = stopAt?.target.metric;
    const problem = metric && checkStopMetric(metric, { evaluates: true, definesSuccess: evaluation.definesSuccess });
    if (problem) throw new UsageError(problem);
  } catch (err) {
    await evaluation.close();
    throw err;
  }
  return evaluation;
}

export interface RunExtrasOptions {
  flags: TrainExtraFlags;
  run: RunFolder;
  /** The evaluation of --eval-every, opened by {@link openEvaluation}. */
  evaluation?: PeriodicEval;
  stopAt?: StopAt;
  /** Resuming into the same run folder at this step (metrics.csv and best/ continue). */
  resumeSteps?: number;
  /** What a checkpoint records (best/ is a checkpoint too); progress is filled in. */
  saveInfo: Omit<SaveInfo, 'progress'>;
  log(line: string): void;
  /** Ctrl-C: an evaluation under way stops at its next episode and is not recorded. */
  shouldStop?(): boolean;
}

/** One run's evaluation, best checkpoint, stop target, metrics.csv and run.json. */
export class RunExtras {
  readonly metrics: MetricsLog;
  private readonly evaluation: PeriodicEval | undefined;
  /** The latest evaluation. */
  last: EvalPoint | undefined;

  constructor(private readonly o: RunExtrasOptions) {
    this.metrics = new MetricsLog(o.run.file('metrics.csv'), o.resumeSteps);
    this.evaluation = o.evaluation;
    // A resumed run keeps its best: the next evaluation must beat it to replace it.
    const saved = o.resumeSteps !== undefined && this.evaluation ? readBest(path.join(this.bestDir, 'eval.json')) : undefined;
    if (saved) this.evaluation!.seedBest(saved);
  }

  get bestDir(): string {
    return this.o.run.file('best');
  }

  /** The periodic tasks for the runner: the evaluation and the value map. */
  tasks(agent: Agent): PeriodicTask[] {
    const tasks: PeriodicTask[] = [];
    const every = this.o.flags['eval-every'];
    if (this.evaluation && every > 0) {
      const evaluation = this.evaluation;
      tasks.push({
        every,
        atEnd: true,
        run: async ({ progress, telemetry }) => {
          const point = await evaluation.run(agent, progress.steps, this.o.shouldStop);
          if (!point) return;
          this.last = point;
          telemetry?.(point.metrics);
          this.metrics.append(progress.steps, point.metrics);
          this.o.run.addEval(progress.steps, point.result.meanReturn);
          this.o.stopAt?.observe(point.metrics, progress.steps);
          if (point.best) {
            await saveCheckpoint(this.bestDir, agent, { ...this.o.saveInfo, progress });
            this.o.run.writeJson(path.join('best', 'eval.json'), { ...point.result, step: progress.steps, episodesTrained: progress.episodes });
          }
          this.o.log(`eval at step ${progress.steps}: ${describeEval(point.result)}${point.best ? ' (best so far: saved in best/)' : ''}`);
        },
      });
    }
    const map = valueMapTask(agent, this.o.saveInfo.spec, this.o.flags['value-map-every']);
    if (map) tasks.push(map);
    return tasks;
  }

  /** A training report: its metrics go to metrics.csv and to --stop-at. */
  report(r: TrainReport, stepsPerSecondMetric: string): void {
    const metrics = { ...r.metrics, [stepsPerSecondMetric]: r.stepsPerSecond };
    this.metrics.append(r.steps, metrics);
    this.o.stopAt?.observe(metrics, r.steps);
  }

  /** Writes run.json: what other tools (npm run view, race) label the run with, and how it ended once it has. */
  writeRunJson(fields: Record<string, unknown>, result?: TrainResult): void {
    const stop = this.o.stopAt;
    this.o.run.writeJson('run.json', {
      ...fields,
      evalEvery: this.o.flags['eval-every'],
      evalEpisodes: this.o.flags['eval-episodes'],
      evalSeed: this.o.flags['eval-seed'],
      ...(stop ? { stopAt: { metric: stop.target.metric, value: stop.target.value, ...(stop.reachedAt ? { reachedAt: stop.reachedAt } : {}) } } : {}),
      ...(result ? { result: { steps: result.steps, episodes: result.episodes, stoppedBy: result.stoppedBy, seconds: result.seconds } } : {}),
      ...(this.last ? { lastEval: { step: this.last.step, ...this.last.metrics } } : {}),
      ...(this.evaluation?.best ? { bestEval: summary(this.evaluation.best) } : {}),
    });
  }

  sync(): void {
    this.metrics.sync();
  }

  async close(): Promise<void> {
    this.metrics.close();
    await this.evaluation?.close();
  }
}

export function describeEval(r: EvalResult): string {
  const success = r.successRate === undefined ? '' : `success ${(100 * r.successRate).toFixed(0)}%, `;
  const gap = typeof r.meanGap === 'number' ? `, gap ${r.meanGap.toFixed(2)}` : '';
  return `${success}return ${r.meanReturn.toFixed(1)}${gap} over ${r.episodes} episodes`;
}

function summary(r: EvalResult): Record<string, number | null> {
  return { meanReturn: r.meanReturn, ...(r.successRate !== undefined ? { successRate: r.successRate } : {}), ...(r.meanGap !== undefined ? { meanGap: r.meanGap } : {}) };
}

/** best/eval.json of an earlier run into this folder; undefined when absent or unreadable (then any evaluation beats it). */
function readBest(file: string): EvalResult | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<EvalResult>;
    if (typeof v.meanReturn !== 'number') return undefined;
    return { meanReturn: v.meanReturn, episodes: v.episodes ?? 0, meanLength: v.meanLength ?? 0, seed: v.seed ?? 0, ...(typeof v.successRate === 'number' ? { successRate: v.successRate } : {}) };
  } catch {
    return undefined;
  }
}
