/**
 * Evaluation during training (`train --eval-every STEPS`): greedy episodes of the agent being trained, on an
 * environment of its own (same id and options, from the same kind of source: in this process, or a second session
 * on the same server), from the same fixed seed every time, so that two evaluations of one run, and the
 * evaluations of two runs, play the very same episodes. It keeps track of the best evaluation (by success rate,
 * then mean return; by mean return where the environment defines no success).
 */
import { evaluate } from './evaluate';
import type { EvalResult } from './evaluate';
import type { EnvLike } from './env-like';
import { isVectorEnv } from './env-like';
import type { Agent } from './plugin';
import type { EnvSource, OpenedEnv } from './sources';
import { isConnectionError } from './runner';

/** The evaluation's telemetry names (fixed between the issue-13 pieces: the viewer plots them). */
export const EvalMetric = { return: 'eval/return', success: 'eval/success', gap: 'eval/gap' } as const;

/** The first reset's seed of every evaluation during training: the same as `npm run eval`'s default. */
export const DEFAULT_EVAL_SEED = 1_000_000;

export interface PeriodicEvalOptions {
  /** Where the evaluation environment comes from: scalar, same id and options as training. */
  source: EnvSource;
  episodes: number;
  seed: number;
}

export interface EvalPoint {
  /** Env steps of training when the evaluation ran. */
  step: number;
  result: EvalResult;
  metrics: Record<string, number>;
  /** True when this evaluation beats every earlier one of the run. */
  best: boolean;
}

export class PeriodicEval {
  private opened: OpenedEnv | undefined;
  private bestSoFar: EvalResult | undefined;
  /** Whether the environment defines success (its reset info carries shortestPath); known after {@link open}. */
  definesSuccess = false;

  constructor(private readonly o: PeriodicEvalOptions) {}

  /** Opens the evaluation environment and learns whether it defines success. */
  async open(): Promise<void> {
    const env = await this.env();
    const { info } = await env.reset({ seed: this.o.seed });
    this.definesSuccess = typeof info.shortestPath === 'number';
  }

  /** A best to beat (a resumed run's best/). */
  seedBest(result: EvalResult): void {
    this.bestSoFar = result;
  }

  /** The best evaluation so far. */
  get best(): EvalResult | undefined {
    return this.bestSoFar;
  }

  /**
   * Plays the evaluation episodes greedily; one dropped connection is survived by reopening the environment.
   * Undefined when `shouldStop` cut it short (Ctrl-C): a partial evaluation is not a figure of the run.
   */
  async run(agent: Agent, step: number, shouldStop?: () => boolean): Promise<EvalPoint | undefined> {
    const opts = { episodes: this.o.episodes, seed: this.o.seed, ...(shouldStop ? { shouldStop } : {}) };
    let result: EvalResult;
    try {
      result = await evaluate(agent, await this.env(), opts);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      await this.close();
      result = await evaluate(agent, await this.env(), opts);
    }
    if (result.episodes < this.o.episodes) return undefined;
    const best = this.bestSoFar === undefined || better(result, this.bestSoFar);
    if (best) this.bestSoFar = result;
    return { step, result, metrics: evalMetrics(result), best };
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    await opened?.close();
  }

  private async env(): Promise<EnvLike> {
    if (!this.opened) this.opened = await this.o.source.open();
    const env = this.opened.env;
    if (isVectorEnv(env)) throw new Error('the evaluation environment must be a scalar one');
    return env;
  }
}

/** The telemetry of one evaluation: eval/return always; eval/success and eval/gap where defined. */
export function evalMetrics(r: EvalResult): Record<string, number> {
  const m: Record<string, number> = { [EvalMetric.return]: r.meanReturn };
  if (r.successRate !== undefined) m[EvalMetric.success] = r.successRate;
  if (typeof r.meanGap === 'number') m[EvalMetric.gap] = r.meanGap;
  return m;
}

/** a beats b: a higher success rate, or the same one and a higher mean return. */
export function better(a: EvalResult, b: EvalResult): boolean {
  const sa = a.successRate ?? 0;
  const sb = b.successRate ?? 0;
  return sa !== sb ? sa > sb : a.meanReturn > b.meanReturn;
}
