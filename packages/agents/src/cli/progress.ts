/**
 * The live progress line of `train`: steps, episodes, moving-average return, success rate, epsilon, loss and
 * steps per second. Redrawn in place on a terminal; on a pipe (CI logs) one line every few seconds instead.
 */
import type { TrainReport } from '../runner';
import { Metric } from '../plugin';

export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

export class ProgressBar {
  private readonly returns: number[] = [];
  private readonly successes: boolean[] = [];
  private lastLine = 0;

  constructor(
    private readonly out: ProgressSink,
    private readonly total: { steps?: number; episodes?: number },
    private readonly window = 100,
    private readonly now: () => number = () => Date.now(),
  ) {}

  episode(ret: number, success: boolean): void {
    this.returns.push(ret);
    this.successes.push(success);
    if (this.returns.length > this.window) {
      this.returns.shift();
      this.successes.shift();
    }
  }

  /** The progress line for a report (exported for tests). */
  line(r: TrainReport): string {
    const fraction = this.total.steps ? r.steps / this.total.steps : this.total.episodes ? r.episodes / this.total.episodes : 0;
    const width = 20;
    const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
    const avg = this.returns.length ? (this.returns.reduce((a, b) => a + b, 0) / this.returns.length).toFixed(1) : '-';
    const success = this.successes.length ? `${((100 * this.successes.filter(Boolean).length) / this.successes.length).toFixed(0)}%` : '-';
    const eps = r.metrics[Metric.epsilon];
    const loss = r.metrics[Metric.loss];
    return [
      bar,
      `steps ${r.steps}`,
      `episodes ${r.episodes}`,
      `return(avg ${this.window}) ${avg}`,
      `success ${success}`,
      eps === undefined ? '' : `eps ${eps.toFixed(3)}`,
      loss === undefined ? '' : `loss ${loss.toFixed(4)}`,
      `${r.stepsPerSecond.toFixed(0)} steps/s`,
    ].filter(Boolean).join('  ');
  }

  report(r: TrainReport): void {
    if (this.out.isTTY) {
      this.out.write(`\r${this.line(r)}\x1b[K`);
      return;
    }
    const t = this.now();
    if (t - this.lastLine < 2000) return;
    this.lastLine = t;
    this.out.write(this.line(r) + '\n');
  }

  /** Ends the in-place line so that later output starts on a fresh one. */
  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
