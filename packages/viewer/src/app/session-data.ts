/**
 * What the viewer knows of the session it watches, fed by spectator events. O(1) work per frame: only the
 * latest frame per sub-env is kept (the picture is drawn from it at display rate), plus the watched sub-env's
 * trail and return so far. The server's `history` (sent first on subscribe) gives the run before we watched:
 * its points start the episode series, which live episodes continue; metrics are kept in bounded series keyed
 * by env step. Episodes seen live are kept in full (for the CSV).
 */
import type { DrawList, EpisodeEvent, FrameEvent, GridState, HistoryEvent, SessionSummary, TelemetryEvent, ValueMap } from '@rlfs/protocol';
import { isValueMap } from '@rlfs/protocol';
import { isDrawList } from '../draw/draw-list';
import { inferBoundary } from '../draw/boundary';
import { Trail } from '../draw/trail';
import type { EpisodeRow } from '../plot/csv';
import { BoundedSeries } from '../plot/series';

export class SessionData {
  /** Latest frame per sub-env. */
  readonly latest = new Map<number, FrameEvent>();
  readonly episodes: EpisodeRow[] = [];
  /** Episode numbers, env steps at their end, returns, lengths and shortest paths as parallel arrays (the charts' x and y). */
  readonly episodeNos: number[] = [];
  readonly steps: number[] = [];
  readonly returns: number[] = [];
  readonly lengths: number[] = [];
  readonly shortest: number[] = [];
  readonly metrics = new Map<string, BoundedSeries>();
  readonly trail = new Trail(24);
  /** Bumped on every change that the board shows. */
  frameVersion = 0;
  /** Bumped on every change that the charts show. */
  chartVersion = 0;
  /** Return of the watched sub-env's episode so far; known once its episode started while we watched. */
  returnSoFar = 0;
  returnKnown = false;
  framesSeen = 0;
  telemetryReports = 0;
  ended = false;
  /** The agent's latest value map (GridWorld), from telemetry or the history. */
  valueMap: ValueMap | undefined;
  /** Episodes and env steps the history said the session had when we subscribed. */
  historyEpisodes = 0;
  historySteps = 0;
  /** Episodes one history point stands for (1: every episode is its own point). */
  historyWidth = 1;
  /** Walls or wrap, once a move at the edge has shown which. */
  boundary: 'walls' | 'wrap' | undefined;
  private rateWindowStart = 0;
  private rateWindowFrames = 0;
  /** Frames per second over the last full second. */
  stepsPerSecond = 0;

  constructor(
    readonly summary: SessionSummary,
    public watchIndex = 0,
    private readonly metricCapacity = 1500,
  ) {}

  get id(): string {
    return this.summary.session;
  }

  /** The state of the watched sub-env's latest frame (GridWorld's render state), if any. */
  watchedState(): GridState | undefined {
    const f = this.latest.get(this.watchIndex);
    return f && isGridState(f.state) ? f.state : undefined;
  }

  /** The draw list of the watched sub-env's latest frame, for environments that define one. */
  watchedDraw(): DrawList | undefined {
    const draw = this.latest.get(this.watchIndex)?.draw;
    return isDrawList(draw) ? draw : undefined;
  }

  /** Chooses the sub-env to watch; its trail and return start over. */
  watch(index: number): void {
    if (index === this.watchIndex) return;
    this.watchIndex = index;
    this.trail.clear();
    this.returnSoFar = 0;
    this.returnKnown = false;
    const f = this.latest.get(index);
    if (f && isGridState(f.state)) this.trail.push(f.state.agent);
    this.frameVersion++;
  }

  onFrame(event: FrameEvent, now: number): void {
    this.framesSeen++;
    this.countRate(now);
    if (this.boundary === undefined) this.learnBoundary(event);
    this.latest.set(event.index, event);
    if (event.index !== this.watchIndex) return;
    if (event.step === 0) {
      this.trail.clear();
      this.returnSoFar = 0;
      this.returnKnown = true;
    } else if (typeof event.reward === 'number') {
      this.returnSoFar += event.reward;
    }
    if (isGridState(event.state)) this.trail.push(event.state.agent);
    this.frameVersion++;
  }

  /** The run so far, sent first on subscribe (again after a reconnect): it replaces what the series held. */
  onHistory(h: HistoryEvent): void {
    this.episodeNos.length = this.steps.length = this.returns.length = this.lengths.length = this.shortest.length = 0;
    this.episodes.length = 0;
    this.metrics.clear();
    this.historyEpisodes = h.episodes;
    this.historySteps = h.steps;
    this.historyWidth = h.width;
    for (let i = 0; i < h.episode.length; i++) {
      this.episodeNos.push(h.episode[i]!);
      this.steps.push(h.step[i]!);
      this.returns.push(h.return[i]!);
      this.lengths.push(h.length[i]!);
      this.shortest.push(h.shortestPath[i] ?? NaN);
    }
    for (const [name, series] of Object.entries(h.telemetry)) {
      for (let i = 0; i < series.step.length; i++) this.metricSeries(name).push(series.step[i]!, series.value[i]!);
    }
    if (isValueMap(h.valueMap)) this.valueMap = h.valueMap;
    this.chartVersion++;
    this.frameVersion++;
  }

  onEpisode(event: EpisodeEvent): void {
    const lastNo = this.episodeNos.length ? this.episodeNos[this.episodeNos.length - 1]! : 0;
    if (event.episode <= lastNo) return; // already in the history
    const row: EpisodeRow = { episode: event.episode, index: event.index, return: event.return, length: event.length, terminated: event.terminated };
    if (typeof event.shortestPath === 'number') row.shortestPath = event.shortestPath;
    this.episodes.push(row);
    this.episodeNos.push(event.episode);
    this.steps.push(typeof event.step === 'number' ? event.step : this.stepCount());
    this.returns.push(event.return);
    this.lengths.push(event.length);
    this.shortest.push(typeof event.shortestPath === 'number' ? event.shortestPath : NaN);
    this.chartVersion++;
    this.frameVersion++;
  }

  onTelemetry(event: TelemetryEvent): void {
    this.telemetryReports++;
    // Telemetry from a server without env steps is placed at the last known step.
    const step = typeof event.step === 'number' ? event.step : this.stepCount();
    for (const [name, value] of Object.entries(event.metrics)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      this.metricSeries(name).push(step, value);
    }
    if (event.valueMap !== undefined && isValueMap(event.valueMap)) {
      this.valueMap = event.valueMap;
      this.frameVersion++;
    }
    this.chartVersion++;
  }

  /** Env steps of the session as far as known (events, history, the session list). */
  stepCount(): number {
    const seen = this.steps.length ? this.steps[this.steps.length - 1]! : 0;
    return Math.max(seen, this.historySteps, this.summary.steps);
  }

  private metricSeries(name: string): BoundedSeries {
    let series = this.metrics.get(name);
    if (!series) {
      series = new BoundedSeries(this.metricCapacity);
      this.metrics.set(name, series);
    }
    return series;
  }

  onClosed(): void {
    this.ended = true;
    this.frameVersion++;
    this.chartVersion++;
  }

  /** Episodes ended so far, as the session counts them (the largest episode number seen, or the summary's). */
  episodeCount(): number {
    const seen = this.episodeNos.length ? this.episodeNos[this.episodeNos.length - 1]! : 0;
    return Math.max(seen, this.historyEpisodes, this.summary.episodes);
  }

  private learnBoundary(event: FrameEvent): void {
    const prev = this.latest.get(event.index);
    if (!prev || event.step !== prev.step + 1 || typeof event.action !== 'number') return;
    if (!isGridState(prev.state) || !isGridState(event.state)) return;
    this.boundary = inferBoundary(prev.state, event.state, event.action);
  }

  private countRate(now: number): void {
    if (now - this.rateWindowStart >= 1000) {
      this.stepsPerSecond = this.rateWindowStart === 0 ? 0 : (this.rateWindowFrames * 1000) / (now - this.rateWindowStart);
      this.rateWindowStart = now;
      this.rateWindowFrames = 0;
    }
    this.rateWindowFrames++;
  }
}

/** True for GridWorld's render state `{size, agent, goal, obstacles}`. */
export function isGridState(value: unknown): value is GridState {
  if (!value || typeof value !== 'object') return false;
  const s = value as Partial<GridState>;
  return typeof s.size === 'number' && Array.isArray(s.agent) && Array.isArray(s.goal) && Array.isArray(s.obstacles);
}
