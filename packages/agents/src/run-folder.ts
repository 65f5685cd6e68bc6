/**
 * The run folder (`--out runs/NAME`): episodes.csv, curve.svg, checkpoint/ and eval.json; with train's evaluation
 * also metrics.csv, run.json and best/ (written by cli/train-extras.ts).
 *
 * Memory stays bounded however long the run: episodes.csv is appended as episodes end (rows buffered up to
 * {@link CSV_FLUSH_BYTES}, never rewritten), and the curve is drawn from a fixed-size {@link CurveSummary}, not
 * from a list of every return. Whole files (curve.svg, eval.json) are written durably (durable.ts); the CSV is
 * fsynced whenever the run saves.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { keptPrefixBytes } from './csv-prefix';
import * as path from 'node:path';
import type { EpisodeRecord } from './runner';
import { curveSvg } from './curve';
import { CURVE_BUCKETS, CurveSummary } from './curve-summary';
import { AppendFile, writeFileDurableSync } from './durable';

export const EPISODES_CSV_HEADER = 'episode,return,length,shortest_path,success,steps';

/** Buffered CSV text written in one append: a file append per 10-step episode would cost more than the episode. */
export const CSV_FLUSH_BYTES = 64 * 1024;

export interface RunFolderOptions {
  /**
   * Resuming a run saved after this many episodes: the existing episodes.csv is kept up to that episode (rows past
   * it, and a half-written last line, are cut) and the curve continues from its rows. Unset: a new episodes.csv.
   */
  resumeEpisodes?: number;
  /** Buckets of the curve summary (see {@link CurveSummary}). */
  curveBuckets?: number;
}

/** Evaluations kept for curve.svg; past it every other one is dropped (the curve still spans the run). */
export const MAX_EVAL_POINTS = 2048;

/** What the run folder holds in memory: fixed whatever the run's length (a test checks it). */
export interface RunFolderFootprint {
  curveBuckets: number;
  pendingRows: number;
  pendingBytes: number;
  evalPoints: number;
}

export class RunFolder {
  /** The returns of every episode in this folder's CSV, summarized in bounded memory. */
  readonly curve: CurveSummary;
  /** Episodes in episodes.csv (resumed ones included) and how many of them reached the goal. */
  episodes = 0;
  successes = 0;
  private pending: string[] = [];
  private evals: Array<{ step: number; value: number }> = [];
  private pendingBytes = 0;
  private readonly csv: AppendFile;

  constructor(
    readonly dir: string,
    options: RunFolderOptions = {},
  ) {
    mkdirSync(dir, { recursive: true });
    this.curve = new CurveSummary(options.curveBuckets ?? CURVE_BUCKETS);
    const file = this.file('episodes.csv');
    if (options.resumeEpisodes !== undefined && existsSync(file)) {
      // A resumed run continues the same curve: earlier episodes come back from the CSV, read in chunks.
      const keep = scanEpisodes(file, options.resumeEpisodes, (ret, success, steps) => this.count(ret, success, steps));
      this.csv = new AppendFile(file, keep);
      if (keep === 0) this.csv.append(EPISODES_CSV_HEADER + '\n');
    } else {
      this.csv = new AppendFile(file, 0);
      this.csv.append(EPISODES_CSV_HEADER + '\n');
    }
  }

  get checkpointDir(): string {
    return this.file('checkpoint');
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** Buffers one episode's row; rows reach the file every {@link CSV_FLUSH_BYTES} and on {@link flush}. */
  record(e: EpisodeRecord): void {
    this.count(e.return, e.success, e.steps);
    const row = `${e.episode},${e.return},${e.length},${e.shortestPath ?? ''},${e.success ? 1 : 0},${e.steps}`;
    this.pending.push(row);
    this.pendingBytes += row.length + 1;
    if (this.pendingBytes >= CSV_FLUSH_BYTES) this.flush();
  }

  /** Appends the buffered rows to episodes.csv. */
  flush(): void {
    if (!this.pending.length) return;
    this.csv.append(this.pending.join('\n') + '\n');
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Appends the buffered rows and makes episodes.csv durable (at every checkpoint). */
  sync(): void {
    this.flush();
    this.csv.sync();
  }

  /** Remembers one evaluation's mean return at env step `step`, for the curve. */
  addEval(step: number, value: number): void {
    this.evals.push({ step, value });
    if (this.evals.length > MAX_EVAL_POINTS) this.evals = this.evals.filter((_, i) => i % 2 === 1);
  }

  /** Writes curve.svg from the episodes (and evaluations) recorded so far. */
  writeCurve(title: string): void {
    writeFileDurableSync(this.file('curve.svg'), curveSvg(this.curve, { title, evals: this.evals }));
  }

  writeJson(name: string, value: unknown): void {
    writeFileDurableSync(this.file(name), JSON.stringify(value, null, 2) + '\n');
  }

  /** Flushes, syncs and closes episodes.csv. */
  close(): void {
    this.flush();
    this.csv.close();
  }

  footprint(): RunFolderFootprint {
    return { curveBuckets: this.curve.length, pendingRows: this.pending.length, pendingBytes: this.pendingBytes, evalPoints: this.evals.length };
  }

  private count(ret: number, success: boolean, steps: number): void {
    this.curve.add(ret, steps);
    this.episodes++;
    if (success) this.successes++;
  }
}

/**
 * Reads episodes.csv, calling `onRow` for each complete row numbered up to `upTo`, and returns the byte length to
 * keep: the header and those rows. 0 means the file has no usable header (start it over).
 */
export function scanEpisodes(file: string, upTo: number, onRow: (ret: number, success: boolean, steps: number) => void): number {
  return keptPrefixBytes(file, EPISODES_CSV_HEADER, (line) => {
    // indexOf rather than split: a resumed long run reads millions of rows.
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    const c3 = line.indexOf(',', c2 + 1);
    const c4 = line.indexOf(',', c3 + 1);
    const c5 = line.indexOf(',', c4 + 1);
    const episode = Number(line.slice(0, c1));
    if (c1 <= 0 || c5 < 0 || line.indexOf(',', c5 + 1) >= 0 || !Number.isInteger(episode) || episode > upTo) return false;
    onRow(Number(line.slice(c1 + 1, c2)), line.charCodeAt(c4 + 1) === 49 /* '1' */, Number(line.slice(c5 + 1)));
    return true;
  });
}
