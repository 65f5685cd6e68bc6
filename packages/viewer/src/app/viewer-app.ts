/**
 * The viewer page: the live session list, the board of the watched session, its charts, the connection
 * status. DOM wiring only; what is drawn comes from draw/ and plot/, what is known from SessionData.
 */
import type { Client, SessionSummary, SpectatorEvent } from '@rlfs/protocol';
import { ErrorCode, isRemoteError } from '@rlfs/protocol';
import { PALETTE } from '../draw/commands';
import type { ChartSpec } from '../plot/chart';
import { drawChart } from '../plot/chart';
import { csvFileName, episodesToCsv } from '../plot/csv';
import { mountSketch } from '../sketch';
import type { BoardProbe } from './board';
import { boardCommands, boardProbe } from './board';
import { lengthChart, metricChart, returnChart } from './charts';
import { KeepAlive } from './connection';
import { SessionData } from './session-data';
import { chooseSession, describeSession } from './sessions';
import { showStatus } from './status';
import { askToken, initialToken, serverUrl } from './token';
import { fleetFromPage } from './fleet-socket';

const POLL_MS = 1000;
const CHART_MS = 250;

/** What the browser tests read back: the last board drawn and the charts' point counts. */
export interface ViewerProbe {
  session?: string;
  board?: BoardProbe;
  charts: Record<string, number>;
}

export function startViewer(): void {
  const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
  const ui = {
    status: $('status'), list: $<HTMLUListElement>('session-list'), empty: $('sessions-empty'), follow: $<HTMLInputElement>('follow'),
    title: $('session-title'), meta: $('session-meta'), subenv: $<HTMLSelectElement>('subenv'), subenvWrap: $('subenv-wrap'),
    ended: $('ended-banner'), endedText: $('ended-text'), backToList: $('back-to-list'), board: $('board'),
    window: $<HTMLInputElement>('ma-window'), exportCsv: $<HTMLButtonElement>('export-csv'), returnChart: $('return-chart'),
    lengthChart: $('length-chart'), metrics: $('metric-charts'), episodesBadge: $('episodes-badge'), gridLegend: $('grid-legend'),
  };
  const probe: ViewerProbe = { charts: {} };
  (window as unknown as { __rlfsViewer: ViewerProbe }).__rlfsViewer = probe;

  let client: Client | undefined;
  let data: SessionData | undefined;
  let sessions: SessionSummary[] = [];
  let epoch = 0; // bumps when the watched session changes, so every picture redraws
  let maWindow = Number(ui.window.value) || 20;
  let chartVersion = 0;
  let chartSampledAt = 0;

  // ---- the board ----
  mountSketch(ui.board, {
    version: () => epoch * 1e9 + (data?.frameVersion ?? 0),
    draw: (box) => boardCommands(data, box),
    drawn: (box) => {
      probe.board = boardProbe(data, box, window.devicePixelRatio || 1);
      // GridWorld's legend only where a grid is drawn.
      ui.gridLegend.hidden = probe.board !== undefined && probe.board.kind !== 'grid';
    },
  });

  // ---- the charts: redrawn at most every CHART_MS however fast episodes end ----
  const sampledChartVersion = (): number => {
    const now = performance.now();
    if (now - chartSampledAt >= CHART_MS) {
      chartSampledAt = now;
      chartVersion = epoch * 1e9 + (data?.chartVersion ?? 0) + maWindow * 1e6;
    }
    return chartVersion;
  };
  const emptySeries = { episodeNos: [], returns: [], lengths: [], shortest: [] };
  mountChart(ui.returnChart, 'return', () => returnChart(data ?? emptySeries, maWindow));
  mountChart(ui.lengthChart, 'length', () => lengthChart(data ?? emptySeries, maWindow));
  const metricNodes = new Map<string, HTMLElement>();

  function mountChart(node: HTMLElement, key: string, spec: () => ChartSpec): void {
    mountSketch(node, {
      version: sampledChartVersion,
      draw: (box, hover) => {
        const s = spec();
        const points = s.series[0]?.xs.length ?? 0;
        probe.charts[key] = points;
        node.dataset.points = String(points);
        return drawChart(s, { x: box.x + 4, y: box.y + 4, w: box.w - 8, h: box.h - 8 }, hover);
      },
    }, { fps: 30 });
  }

  function syncMetricCharts(): void {
    if (!data) return;
    let i = metricNodes.size;
    for (const name of data.metrics.keys()) {
      if (metricNodes.has(name)) continue;
      const node = document.createElement('div');
      node.className = 'chart metric';
      node.dataset.metric = name;
      ui.metrics.appendChild(node);
      metricNodes.set(name, node);
      const colorIndex = (i++ + 2) % PALETTE.series.length;
      const d = data;
      mountChart(node, `metric:${name}`, () => metricChart(name, d.metrics.get(name)!, colorIndex));
    }
  }

  function clearMetricCharts(): void {
    for (const key of Object.keys(probe.charts)) if (key.startsWith('metric:')) delete probe.charts[key];
    metricNodes.clear();
    ui.metrics.replaceChildren();
  }

  setInterval(() => {
    syncMetricCharts();
    if (data) ui.episodesBadge.textContent = `${data.episodes.length} episodes seen`;
  }, CHART_MS);

  // ---- connection, session list, subscription ----
  const fleet = fleetFromPage(location.search); // ?servers=: one list over several servers
  const keep = new KeepAlive({
    url: fleet?.label ?? serverUrl(), role: 'spectator', name: 'viewer', token: initialToken(), ...(fleet ? { createSocket: fleet.createSocket } : {}),
    onState: (state) => showStatus(ui.status, state),
    askToken,
    onConnected: async (c) => {
      client = c;
      c.onEvent(onEvent);
      if (data && !data.ended) await subscribe(data.summary);
      await poll();
    },
  });
  keep.start();
  setInterval(() => void poll(), POLL_MS);

  async function poll(): Promise<void> {
    if (!client || client.closed) return;
    try {
      sessions = await client.sessions();
    } catch {
      return;
    }
    renderList();
    const next = chooseSession(sessions, data?.id, ui.follow.checked);
    if (next && next !== data?.id) {
      const summary = sessions.find((s) => s.session === next);
      if (summary) await watch(summary, { followed: true });
    } else if (data) {
      const fresh = sessions.find((s) => s.session === data!.id);
      if (fresh) Object.assign(data.summary, fresh);
    }
  }

  function onEvent(event: SpectatorEvent): void {
    if (!data || event.session !== data.id) return;
    switch (event.type) {
      case 'frame':
        data.onFrame(event, performance.now());
        break;
      case 'episode':
        data.onEpisode(event);
        break;
      case 'telemetry':
        data.onTelemetry(event);
        break;
      case 'session_closed':
        data.onClosed();
        showEnded();
        break;
    }
  }

  /**
   * Watches `summary`. When following the newest moves on from a session that has ended, the note that it ended
   * stays (saying what is watched now), so the change of picture is explained; a session picked by hand clears it.
   */
  async function watch(summary: SessionSummary, how: { followed?: boolean } = {}): Promise<void> {
    const previous = data;
    data = new SessionData({ ...summary });
    epoch++;
    probe.session = summary.session;
    clearMetricCharts();
    if (how.followed && previous?.ended) {
      ui.endedText.textContent = `${endedNote(previous)} Following the newest: now watching “${summary.name}”.`;
      ui.ended.hidden = false;
    } else {
      ui.ended.hidden = true;
    }
    renderHeader();
    renderList();
    if (previous && !previous.ended && client) void client.unsubscribe(previous.id).catch(() => undefined);
    await subscribe(summary);
  }

  async function subscribe(summary: SessionSummary): Promise<void> {
    if (!client) return;
    try {
      await client.subscribe(summary.session);
    } catch (err) {
      if (isRemoteError(err, ErrorCode.UNKNOWN_SESSION) && data?.id === summary.session) {
        data.onClosed();
        showEnded();
      }
    }
  }

  function showEnded(): void {
    if (!data) return;
    ui.endedText.textContent = endedNote(data);
    ui.ended.hidden = false;
    renderList();
  }

  function endedNote(d: SessionData): string {
    return `Session ${d.id} “${d.summary.name}” ended after ${d.episodeCount()} episodes.`;
  }

  function renderHeader(): void {
    if (!data) return;
    ui.title.textContent = data.summary.name;
    ui.meta.textContent = `${data.id} · ${data.summary.env}`;
    const n = data.summary.numEnvs;
    ui.subenvWrap.hidden = n === undefined;
    if (n !== undefined) {
      const count = Math.min(n, 512);
      ui.subenv.replaceChildren(...Array.from({ length: count }, (_, i) => new Option(`env ${i}`, String(i))));
      ui.subenv.value = '0';
    }
  }

  function renderList(): void {
    ui.empty.hidden = sessions.length > 0;
    const items = sessions.map((s) => {
      const li = document.createElement('li');
      li.className = 'session' + (s.session === data?.id ? ' active' : '');
      li.dataset.session = s.session;
      li.tabIndex = 0;
      const name = document.createElement('div');
      name.className = 'name';
      name.textContent = s.name;
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = describeSession(s);
      li.append(name, meta);
      const pick = (): void => {
        if (s.session !== sessions[sessions.length - 1]?.session) ui.follow.checked = false;
        void watch(s);
      };
      li.addEventListener('click', pick);
      li.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && pick());
      return li;
    });
    ui.list.replaceChildren(...items);
  }

  // ---- controls ----
  ui.subenv.addEventListener('change', () => data?.watch(Number(ui.subenv.value)));
  ui.window.addEventListener('input', () => {
    const n = Math.round(Number(ui.window.value));
    if (Number.isInteger(n) && n >= 1 && n <= 10_000) maWindow = n;
  });
  ui.follow.addEventListener('change', () => void poll());
  ui.backToList.addEventListener('click', () => {
    ui.ended.hidden = true;
    ui.list.querySelector<HTMLElement>('li')?.focus();
    ui.list.scrollIntoView({ behavior: 'smooth' });
  });
  ui.exportCsv.addEventListener('click', () => {
    if (!data) return;
    const blob = new Blob([episodesToCsv(data.episodes)], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = csvFileName(data.id, data.summary.name);
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
}
