/**
 * The live comparison (`/?race=<raceId>`): every live session named `race/<raceId>/<agent>/seed<k>` is subscribed
 * (its history gives the past) and fed into its own SessionData; the charts compare the agents. Tests drive it
 * with a real client and no browser.
 */
import type { Client, SessionSummary, SpectatorEvent } from '@rlfs/protocol';
import { SessionData } from '../app/session-data';
import type { ChartSpec } from '../plot/chart';
import type { CompareRun } from './compare';
import { comparisonChart, metricCurves, parseRaceName, returnCurves } from './compare';

export class RaceState {
  /** The race's sessions by id, with what each has sent. */
  readonly runs = new Map<string, { agent: string; seed: string; data: SessionData }>();
  maWindow = 20;
  private client: Client | undefined;

  constructor(readonly raceId: string) {}

  async attach(client: Client): Promise<void> {
    this.client = client;
    client.onEvent((e) => this.onEvent(e));
    // a reconnect subscribes anew: each session's history replaces what it held
    const known = [...this.runs.values()].map((r) => r.data.summary);
    this.runs.clear();
    for (const summary of known) await this.follow(summary);
    await this.poll();
  }

  /** Subscribes to race sessions not yet followed. */
  async poll(): Promise<void> {
    const client = this.client;
    if (!client || client.closed) return;
    let sessions: SessionSummary[];
    try {
      sessions = await client.sessions();
    } catch {
      return;
    }
    for (const s of sessions) {
      const run = this.runs.get(s.session);
      if (run) Object.assign(run.data.summary, s);
      else await this.follow(s);
    }
  }

  onEvent(event: SpectatorEvent): void {
    const data = this.runs.get(event.session)?.data;
    if (!data) return;
    if (event.type === 'history') data.onHistory(event);
    else if (event.type === 'episode') data.onEpisode(event);
    else if (event.type === 'telemetry') data.onTelemetry(event);
    else if (event.type === 'session_closed') data.onClosed();
  }

  /** The runs as the comparison reads them. */
  compareRuns(): CompareRun[] {
    return [...this.runs.values()].map(({ agent, seed, data }) => ({ agent, seed, steps: data.steps, returns: data.returns, metrics: data.metrics }));
  }

  /** Bumps whenever any run's charts would change. */
  version(): number {
    let v = this.runs.size;
    for (const r of this.runs.values()) v += r.data.chartVersion;
    return v;
  }

  private async follow(s: SessionSummary): Promise<void> {
    const race = parseRaceName(s.name);
    if (!race || race.raceId !== this.raceId || !this.client) return;
    this.runs.set(s.session, { agent: race.agent, seed: race.seed, data: new SessionData({ ...s }) });
    await this.client.subscribe(s.session).catch(() => this.runs.get(s.session)?.data.onClosed());
  }
}

/** The comparison's two charts: return (mean and band across seeds) and the greedy evaluation's success rate. */
export function comparisonCharts(runs: readonly CompareRun[], window: number): { key: string; spec: ChartSpec; help: string }[] {
  return [
    {
      key: 'compare-return', spec: comparisonChart(`Return (mean of ${window} episodes), mean and range across seeds`, 'return', returnCurves(runs, window)),
      help: 'Each agent’s return smoothed over the window, per seed, then the mean across its seeds (line) and the lowest to highest seed (band).',
    },
    {
      key: 'compare-success', spec: comparisonChart('Greedy evaluation success (eval/success)', 'success', metricCurves(runs, 'eval/success'), [0, 1]),
      help: 'eval/success: the share of greedy evaluation episodes that reached the goal, mean and range across seeds.',
    },
  ];
}
