/**
 * `--stop-at METRIC=VALUE`: the run ends once a metric it produces reaches VALUE (>=), e.g. `eval/success=0.95`.
 * Parsing and the check are here; which metrics a run produces is the caller's to say (see {@link checkStopMetric}).
 */

export interface StopTarget {
  metric: string;
  value: number;
}

/** Every metric name a run may produce and `--stop-at` may name, with who produces it. */
export const STOPPABLE_METRICS: Readonly<Record<string, string>> = {
  'eval/success': 'the evaluation (--eval-every), on environments that define success (GridWorld)',
  'eval/return': 'the evaluation (--eval-every)',
  'eval/gap': 'the evaluation (--eval-every), on environments that define success (GridWorld)',
  'episode/return': 'every training episode',
  'episode/length': 'every training episode',
  'train/epsilon': 'agents with epsilon-greedy exploration (tabular-q, dqn)',
  'train/loss': 'dqn, after its first update',
  'train/q_mean': 'dqn, after its first update',
  'perf/steps_per_second': 'every report',
};

/** Parses `METRIC=VALUE`; throws an Error naming what is wrong (the CLI turns it into a usage error). */
export function parseStopAt(spec: string): StopTarget {
  const eq = spec.indexOf('=');
  const metric = eq > 0 ? spec.slice(0, eq).trim() : '';
  const text = eq > 0 ? spec.slice(eq + 1).trim() : '';
  const value = Number(text);
  if (!metric || text === '' || !Number.isFinite(value)) {
    throw new Error(`--stop-at: expected METRIC=VALUE with a finite number, e.g. eval/success=0.95, got "${spec}"`);
  }
  return { metric, value };
}

/**
 * Why a run would never produce `metric`, or undefined when it can: an unknown name, an eval/ metric without
 * evaluation, or eval/success or eval/gap on an environment that defines no success.
 */
export function checkStopMetric(metric: string, run: { evaluates: boolean; definesSuccess: boolean }): string | undefined {
  if (!(metric in STOPPABLE_METRICS)) return `--stop-at: no metric "${metric}" is produced by a run; known: ${Object.keys(STOPPABLE_METRICS).join(', ')}`;
  if (metric.startsWith('eval/') && !run.evaluates) return `--stop-at ${metric}: ${metric} is produced only by the evaluation: add --eval-every STEPS`;
  if ((metric === 'eval/success' || metric === 'eval/gap') && !run.definesSuccess) {
    return `--stop-at ${metric}: this environment defines no success (its reset info has no shortestPath), so there is no ${metric}; use eval/return`;
  }
  return undefined;
}

/** Watches the metrics as they come and remembers the first time the target is reached. */
export class StopAt {
  /** The env step and value at which the target was first reached. */
  reachedAt: { step: number; value: number } | undefined;

  constructor(readonly target: StopTarget) {}

  get reached(): boolean {
    return this.reachedAt !== undefined;
  }

  observe(metrics: Readonly<Record<string, number | undefined>>, step: number): void {
    if (this.reachedAt) return;
    const value = metrics[this.target.metric];
    if (typeof value === 'number' && value >= this.target.value) this.reachedAt = { step, value };
  }

  describe(): string {
    return `${this.target.metric}=${this.target.value}`;
  }
}
