/**
 * What a spectator who subscribes late is sent first: a bounded summary of the session's run so far. Every ended
 * episode and every telemetry report enters it, watched or not; memory stays fixed however long the run, because a
 * series that fills up merges neighbouring pairs into their mean and doubles the number of episodes (or reports)
 * each kept point stands for. See docs/protocol.md "History for late viewers".
 */
import type { HistoryEvent, MetricHistory, ValueMap } from '@rlfs/protocol';

/** Bounds of one session's history (all named, documented limits). */
export interface HistoryLimits {
  /** Most points kept of the episode series (default 1024). */
  episodePoints: number;
  /** Most points kept per telemetry metric (default 256). */
  metricPoints: number;
  /** Most distinct metric names kept (default 64); later names are still forwarded live, not kept. */
  maxMetrics: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { episodePoints: 1024, metricPoints: 256, maxMetrics: 64 };

/**
 * Columns of numbers downsampled together. Points are committed once `width` raw rows have been averaged into
 * them; a full set of columns merges pairs and doubles `width`. Columns listed in `lastOf` keep the later value of
 * a merged pair (a position, such as the episode number or env step at a bucket's end) instead of the mean.
 * NaN stands for "unknown" and is left out of means.
 */
export class DownsampledColumns {
  readonly columns: number[][];
  /** Raw rows that one committed point stands for (1, 2, 4, ...). */
  width = 1;
  /** Raw rows seen. */
  total = 0;
  private readonly pendingSum: number[];
  private readonly pendingKnown: number[];
  private readonly pendingLast: number[];
  private pendingCount = 0;
  private readonly isLast: boolean[];

  constructor(
    readonly capacity: number,
    private readonly columnCount: number,
    lastOf: readonly number[] = [],
  ) {
    if (!Number.isInteger(capacity) || capacity < 2 || capacity % 2 !== 0) throw new TypeError(`capacity: expected an even integer >= 2, got ${capacity}`);
    this.columns = Array.from({ length: columnCount }, () => []);
    this.pendingSum = new Array<number>(columnCount).fill(0);
    this.pendingKnown = new Array<number>(columnCount).fill(0);
    this.pendingLast = new Array<number>(columnCount).fill(NaN);
    this.isLast = Array.from({ length: columnCount }, (_, c) => lastOf.includes(c));
  }

  /** Committed points. */
  get length(): number {
    return this.columns[0]!.length;
  }

  push(row: readonly number[]): void {
    this.total++;
    for (let c = 0; c < this.columnCount; c++) {
      const v = row[c]!;
      this.pendingLast[c] = v;
      if (v === v) {
        // NaN (unknown) stays out of the mean
        this.pendingSum[c]! += v;
        this.pendingKnown[c]!++;
      }
    }
    if (++this.pendingCount < this.width) return;
    for (let c = 0; c < this.columnCount; c++) this.columns[c]!.push(this.pendingValue(c));
    this.clearPending();
    if (this.length >= this.capacity) this.halve();
  }

  /** Every column with the rows not yet committed appended as one more (partial) point. */
  snapshot(): number[][] {
    return this.columns.map((col, c) => (this.pendingCount > 0 ? [...col, this.pendingValue(c)] : col.slice()));
  }

  private pendingValue(c: number): number {
    if (this.isLast[c]) return this.pendingLast[c]!;
    return this.pendingKnown[c]! > 0 ? this.pendingSum[c]! / this.pendingKnown[c]! : NaN;
  }

  private clearPending(): void {
    this.pendingCount = 0;
    this.pendingSum.fill(0);
    this.pendingKnown.fill(0);
    this.pendingLast.fill(NaN);
  }

  private halve(): void {
    const n = this.length / 2; // capacity is even and halving happens exactly when full
    for (let c = 0; c < this.columnCount; c++) {
      const col = this.columns[c]!;
      const last = this.isLast[c];
      for (let i = 0; i < n; i++) {
        const a = col[2 * i]!;
        const b = col[2 * i + 1]!;
        col[i] = last ? b : meanOfKnown(a, b);
      }
      col.length = n;
    }
    this.width *= 2;
  }
}

const EPISODE = 0;
const STEP = 1;
const RETURN = 2;
const LENGTH = 3;
const SHORTEST = 4;

/** One session's history. */
export class SessionHistory {
  private readonly limits: HistoryLimits;
  private readonly episodes: DownsampledColumns;
  private readonly metrics = new Map<string, DownsampledColumns>();
  private readonly latest: Record<string, number> = {};
  private readonly row = [0, 0, 0, 0, 0];
  private valueMap: ValueMap | undefined;

  constructor(limits: Partial<HistoryLimits> = {}) {
    this.limits = { ...DEFAULT_HISTORY_LIMITS, ...limits };
    this.episodes = new DownsampledColumns(this.limits.episodePoints, 5, [EPISODE, STEP]);
  }

  /** An episode ended: its number (from 1), the session's env steps then, its return, length and shortest path. */
  episode(episode: number, step: number, ret: number, length: number, shortestPath: number | undefined): void {
    const row = this.row;
    row[EPISODE] = episode;
    row[STEP] = step;
    row[RETURN] = ret;
    row[LENGTH] = length;
    row[SHORTEST] = shortestPath ?? NaN;
    this.episodes.push(row);
  }

  /** A telemetry report at env step `step`. */
  telemetry(step: number, metrics: Record<string, number>, valueMap?: ValueMap): void {
    for (const name in metrics) {
      const value = metrics[name]!;
      let series = this.metrics.get(name);
      if (!series) {
        if (this.metrics.size >= this.limits.maxMetrics) continue;
        series = new DownsampledColumns(this.limits.metricPoints, 2, [0]);
        this.metrics.set(name, series);
      }
      series.push([step, value]);
      this.latest[name] = value;
    }
    if (valueMap) this.valueMap = valueMap;
  }

  /** Points held now, over the episode series and every metric: never above the limits' product. */
  get pointCount(): number {
    let n = this.episodes.length;
    for (const s of this.metrics.values()) n += s.length;
    return n;
  }

  /** Episodes recorded. */
  get episodeTotal(): number {
    return this.episodes.total;
  }

  /** The `history` event for a spectator that subscribes now. */
  event(session: string, steps: number): HistoryEvent {
    const [episode, step, ret, length, shortest] = this.episodes.snapshot() as [number[], number[], number[], number[], number[]];
    const telemetry: Record<string, MetricHistory> = {};
    for (const [name, series] of this.metrics) {
      const [s, v] = series.snapshot() as [number[], number[]];
      telemetry[name] = { step: s, value: v };
    }
    const event: HistoryEvent = {
      type: 'history', session, episodes: this.episodes.total, steps, width: this.episodes.width,
      episode, step, return: ret, length, shortestPath: shortest.map((v) => (Number.isFinite(v) ? v : null)),
      telemetry, latest: { ...this.latest },
    };
    if (this.valueMap) event.valueMap = this.valueMap;
    return event;
  }
}

function meanOfKnown(a: number, b: number): number {
  const fa = Number.isFinite(a);
  const fb = Number.isFinite(b);
  if (fa && fb) return (a + b) / 2;
  return fa ? a : fb ? b : NaN;
}
