/**
 * The viewer page's state, apart from the DOM: the session list, the watched session's data, the choices the user
 * made (follow the newest, averaging window, x-axis, value overlay), and the subscriptions made through the
 * protocol client. Tests drive it with a real client and no browser; the binding (viewer-app.ts) renders what it
 * says whenever `onChange` fires.
 */
import type { Client, SessionSummary, SpectatorEvent } from '@rlfs/protocol';
import { ErrorCode, isRemoteError } from '@rlfs/protocol';
import { PALETTE } from '../draw/commands';
import type { ChartSpec } from '../plot/chart';
import type { ChartContext, XAxis } from './charts';
import { lengthChart, metricChart, metricHelp, returnChart, SHOWN_ELSEWHERE } from './charts';
import { SessionData } from './session-data';
import { chooseSession, describeSession } from './sessions';

/** What changed, so the binding redraws only that. */
export type ViewerChange = 'list' | 'header' | 'banner';

/** One row of the session list as shown. */
export interface SessionItem {
  session: string;
  name: string;
  meta: string;
  active: boolean;
}

/** One chart as the page shows it: a key, its spec, and the hover explanation. */
export interface ChartView {
  key: string;
  spec: ChartSpec;
  help: string;
}

export class ViewerState {
  sessions: SessionSummary[] = [];
  data: SessionData | undefined;
  follow = true;
  maWindow = 20;
  axis: XAxis = 'step';
  showValues = true;
  /** The note that the watched session ended (and what is watched now), or undefined. */
  banner: string | undefined;
  /** Bumps when the watched session changes, so every picture redraws. */
  epoch = 0;
  private client: Client | undefined;
  private readonly listeners = new Set<(change: ViewerChange) => void>();
  /** Colour index per metric name, fixed at first sight so a chart keeps its colour. */
  private readonly metricColors = new Map<string, number>();

  /** Calls `listener` on every change; returns an unsubscriber. */
  onChange(listener: (change: ViewerChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A (re)connected client: events flow in, the watched session is subscribed again (its history replaces ours). */
  async attach(client: Client): Promise<void> {
    this.client = client;
    client.onEvent((event) => this.onEvent(event));
    if (this.data && !this.data.ended) await this.subscribe(this.data.summary);
    await this.poll();
  }

  /** Fetches the session list and follows the newest when asked to. */
  async poll(): Promise<void> {
    const client = this.client;
    if (!client || client.closed) return;
    try {
      this.sessions = await client.sessions();
    } catch {
      return;
    }
    const next = chooseSession(this.sessions, this.data?.id, this.follow);
    if (next && next !== this.data?.id) {
      const summary = this.sessions.find((s) => s.session === next);
      if (summary) return this.watch(summary, { followed: true });
    } else if (this.data) {
      const fresh = this.sessions.find((s) => s.session === this.data!.id);
      if (fresh) Object.assign(this.data.summary, fresh);
    }
    this.emit('list');
  }

  /** Picks a session by hand: following stops unless it is the newest. */
  pick(session: string): Promise<void> {
    const summary = this.sessions.find((s) => s.session === session);
    if (!summary) return Promise.resolve();
    if (session !== this.sessions[this.sessions.length - 1]?.session) this.follow = false;
    return this.watch(summary);
  }

  /**
   * Watches `summary`. When following the newest moves on from a session that has ended, the note that it ended
   * stays (saying what is watched now), so the change of picture is explained; a session picked by hand clears it.
   */
  async watch(summary: SessionSummary, how: { followed?: boolean } = {}): Promise<void> {
    const previous = this.data;
    this.data = new SessionData({ ...summary });
    this.epoch++;
    this.banner = how.followed && previous?.ended ? `${endedNote(previous)} Following the newest: now watching “${summary.name}”.` : undefined;
    this.emit('header');
    this.emit('banner');
    this.emit('list');
    if (previous && !previous.ended && this.client) void this.client.unsubscribe(previous.id).catch(() => undefined);
    await this.subscribe(summary);
  }

  onEvent(event: SpectatorEvent): void {
    const data = this.data;
    if (!data || event.session !== data.id) return;
    switch (event.type) {
      case 'history':
        data.onHistory(event);
        break;
      case 'frame':
        data.onFrame(event, now());
        break;
      case 'episode':
        data.onEpisode(event);
        break;
      case 'telemetry':
        data.onTelemetry(event);
        break;
      case 'session_closed':
        this.markEnded();
        break;
    }
  }

  /** The session list; the watched session's counts come from its data, so list, board and charts agree. */
  items(): SessionItem[] {
    return this.sessions.map((s) => {
      const watched = s.session === this.data?.id ? this.data : undefined;
      const counts = watched ? { ...s, episodes: watched.episodeCount(), steps: watched.stepCount() } : s;
      return { session: s.session, name: s.name, meta: describeSession(counts), active: watched !== undefined };
    });
  }

  /** "1,234 episodes · 56,789 env steps" for the watched session. */
  badge(): string {
    if (!this.data) return '0 episodes';
    const n = this.data.episodeCount();
    return `${n.toLocaleString('en-US')} episode${n === 1 ? '' : 's'} · ${this.data.stepCount().toLocaleString('en-US')} env steps`;
  }

  /** The header: the watched session's name, id and environment. */
  header(): { title: string; meta: string; numEnvs: number | undefined } | undefined {
    if (!this.data) return undefined;
    return { title: this.data.summary.name, meta: `${this.data.id} · ${this.data.summary.env}`, numEnvs: this.data.summary.numEnvs };
  }

  /** Every chart: return (with the greedy evaluation), length, then one per other metric, all on one x-axis. */
  charts(): ChartView[] {
    const data = this.data;
    if (!data) return [];
    const ctx: ChartContext = { axis: this.axis, xMax: this.axis === 'step' ? data.stepCount() : data.episodeCount(), metrics: data.metrics };
    const out: ChartView[] = [
      { key: 'return', spec: returnChart(data, this.maWindow, ctx), help: 'Each dot is an episode’s return (a mean of several once the history is long); the line is its moving average. “greedy eval” is eval/return, the mean return of greedy evaluation episodes.' },
      { key: 'length', spec: lengthChart(data, this.maWindow, ctx), help: 'How many steps each episode took, against the fewest it could have taken (GridWorld’s shortest path).' },
    ];
    for (const name of data.metrics.keys()) {
      if (SHOWN_ELSEWHERE.has(name)) continue;
      if (!this.metricColors.has(name)) this.metricColors.set(name, 5 + this.metricColors.size);
      const colorIndex = this.metricColors.get(name)! % PALETTE.series.length;
      out.push({ key: `metric:${name}`, spec: metricChart(name, data.metrics.get(name)!, colorIndex, ctx, data), help: metricHelp(name) });
    }
    return out;
  }

  /** Sets the moving-average window (1..10000); anything else is ignored. */
  setWindow(n: number): void {
    if (Number.isInteger(n) && n >= 1 && n <= 10_000) this.maWindow = n;
  }

  private async subscribe(summary: SessionSummary): Promise<void> {
    if (!this.client) return;
    try {
      await this.client.subscribe(summary.session);
    } catch (err) {
      if (isRemoteError(err, ErrorCode.UNKNOWN_SESSION) && this.data?.id === summary.session) this.markEnded();
    }
  }

  private markEnded(): void {
    if (!this.data) return;
    this.data.onClosed();
    this.banner = endedNote(this.data);
    this.emit('banner');
    this.emit('list');
  }

  private emit(change: ViewerChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function endedNote(d: SessionData): string {
  return `Session ${d.id} “${d.summary.name}” ended after ${d.episodeCount()} episodes.`;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
