/**
 * The run folder (`--out runs/NAME`): episodes.csv (appended as episodes end, so a killed run keeps them),
 * curve.svg, checkpoint/ and eval.json.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EpisodeRecord } from './runner';
import { curveSvg } from './curve';

export const EPISODES_CSV_HEADER = 'episode,return,length,shortest_path,success,steps';

export class RunFolder {
  readonly returns: number[] = [];
  readonly successes: boolean[] = [];
  private pending: string[] = [];

  /** @param append true when resuming a run: keep the existing episodes.csv */
  constructor(
    readonly dir: string,
    append = false,
  ) {
    mkdirSync(dir, { recursive: true });
    const csv = this.file('episodes.csv');
    if (append && existsSync(csv)) {
      // A resumed run continues the same curve: earlier episodes come back from the CSV.
      for (const line of readFileSync(csv, 'utf8').trim().split('\n').slice(1)) {
        const cells = line.split(',');
        this.returns.push(Number(cells[1]));
        this.successes.push(cells[4] === '1');
      }
    } else {
      writeFileSync(csv, EPISODES_CSV_HEADER + '\n');
    }
  }

  get checkpointDir(): string {
    return this.file('checkpoint');
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** Buffers one episode's row; {@link flush} writes the buffered rows. */
  record(e: EpisodeRecord): void {
    this.returns.push(e.return);
    this.successes.push(e.success);
    this.pending.push(`${e.episode},${e.return},${e.length},${e.shortestPath ?? ''},${e.success ? 1 : 0},${e.steps}`);
    // Writes in chunks: a file append per 10-step episode would cost more than the episode.
    if (this.pending.length >= 50) this.flush();
  }

  flush(): void {
    if (!this.pending.length) return;
    appendFileSync(this.file('episodes.csv'), this.pending.join('\n') + '\n');
    this.pending = [];
  }

  /** Writes curve.svg from the returns recorded so far. */
  writeCurve(title: string): void {
    writeFileSync(this.file('curve.svg'), curveSvg(this.returns, { title }));
  }

  writeJson(name: string, value: unknown): void {
    writeFileSync(this.file(name), JSON.stringify(value, null, 2) + '\n');
  }
}
