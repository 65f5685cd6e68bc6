/**
 * The viewer page's DOM binding: reads the controls into the ViewerState, renders what it says (session list,
 * header, ended note, badge), and mounts the board and chart canvases. What is known lives in viewer-state.ts;
 * what is drawn comes from draw/ and plot/.
 */
import { drawChart } from '../plot/chart';
import { csvFileName, episodesToCsv } from '../plot/csv';
import { byId, connectPage } from '../shared/page';
import { mountSketch } from '../sketch';
import type { BoardProbe } from './board';
import { boardCommands, boardProbe } from './board';
import type { ChartView } from './viewer-state';
import { ViewerState } from './viewer-state';
import { fleetFromPage } from './fleet-socket';

const POLL_MS = 1000;
const CHART_MS = 250;
const SHOW_VALUES_KEY = 'rlfs-show-values';

/** What the browser tests read back: the last board drawn and the charts' point counts. */
export interface ViewerProbe {
  session?: string;
  board?: BoardProbe;
  charts: Record<string, number>;
  /** Each chart's x-axis label and its series' names, as drawn last. */
  chartInfo: Record<string, { xLabel: string; series: string[] }>;
  state: ViewerState;
}

export function startViewer(): void {
  const ui = {
    status: byId('status'), list: byId<HTMLUListElement>('session-list'), empty: byId('sessions-empty'), follow: byId<HTMLInputElement>('follow'),
    title: byId('session-title'), meta: byId('session-meta'), subenv: byId<HTMLSelectElement>('subenv'), subenvWrap: byId('subenv-wrap'),
    ended: byId('ended-banner'), endedText: byId('ended-text'), backToList: byId('back-to-list'), board: byId('board'),
    window: byId<HTMLInputElement>('ma-window'), exportCsv: byId<HTMLButtonElement>('export-csv'), returnChart: byId('return-chart'),
    lengthChart: byId('length-chart'), metrics: byId('metric-charts'), episodesBadge: byId('episodes-badge'), gridLegend: byId('grid-legend'),
    axis: byId<HTMLSelectElement>('x-axis'), showValues: byId<HTMLInputElement>('show-values'),
  };
  const state = new ViewerState();
  state.maWindow = Number(ui.window.value) || 20;
  state.showValues = localStorage.getItem(SHOW_VALUES_KEY) !== '0';
  ui.showValues.checked = state.showValues;
  const probe: ViewerProbe = { charts: {}, chartInfo: {}, state };
  (window as unknown as { __rlfsViewer: ViewerProbe }).__rlfsViewer = probe;

  // ---- the board ----
  let boardVersion = 0;
  mountSketch(ui.board, {
    version: () => state.epoch * 1e9 + (state.data?.frameVersion ?? 0) + boardVersion,
    draw: (box) => boardCommands(state.data, box, { showValues: state.showValues }),
    drawn: (box) => {
      probe.board = boardProbe(state.data, box, window.devicePixelRatio || 1, { showValues: state.showValues });
      // GridWorld's legend only where a grid is drawn.
      ui.gridLegend.hidden = probe.board !== undefined && probe.board.kind !== 'grid';
    },
  });

  // ---- the charts: computed at most every CHART_MS however fast episodes end, drawn from that ----
  let charts = new Map<string, ChartView>();
  let chartVersion = 0;
  const chartNodes = new Map<string, HTMLElement>([['return', ui.returnChart], ['length', ui.lengthChart]]);
  for (const [key, node] of chartNodes) mountChart(node, key);

  function mountChart(node: HTMLElement, key: string): void {
    mountSketch(node, {
      version: () => chartVersion,
      draw: (box, hover) => {
        const view = charts.get(key);
        if (!view) return [];
        const points = view.spec.series[0]?.xs.length ?? 0;
        probe.charts[key] = points;
        probe.chartInfo[key] = { xLabel: view.spec.xLabel, series: view.spec.series.map((s) => s.name) };
        node.dataset.points = String(points);
        return drawChart(view.spec, { x: box.x + 4, y: box.y + 4, w: box.w - 8, h: box.h - 8 }, hover);
      },
    }, { fps: 30 });
  }

  let sampled = -1;
  setInterval(() => {
    const version = state.epoch * 1e9 + (state.data?.chartVersion ?? 0);
    // the badge and the watched session's row are written on the same tick, from the same counts
    ui.episodesBadge.textContent = state.badge();
    const active = state.items().find((item) => item.active);
    const meta = ui.list.querySelector<HTMLElement>('li.active .meta');
    if (active && meta && meta.textContent !== active.meta) meta.textContent = active.meta;
    if (version === sampled) return;
    sampled = version;
    refreshCharts();
  }, CHART_MS);

  function refreshCharts(): void {
    charts = new Map(state.charts().map((c) => [c.key, c]));
    for (const [key, view] of charts) {
      let node = chartNodes.get(key);
      if (!node) {
        node = document.createElement('div');
        node.className = 'chart metric';
        node.dataset.metric = key.replace(/^metric:/, '');
        ui.metrics.appendChild(node);
        chartNodes.set(key, node);
        mountChart(node, key);
      }
      node.title = view.help;
    }
    chartVersion++;
  }

  function clearMetricCharts(): void {
    for (const key of [...chartNodes.keys()]) {
      if (!key.startsWith('metric:')) continue;
      chartNodes.delete(key);
      delete probe.charts[key];
      delete probe.chartInfo[key];
    }
    ui.metrics.replaceChildren();
  }

  // ---- what the state says ----
  state.onChange((change) => {
    if (change === 'list') renderList();
    if (change === 'banner') {
      ui.ended.hidden = state.banner === undefined;
      ui.endedText.textContent = state.banner ?? '';
    }
    if (change === 'header') {
      probe.session = state.data?.id;
      clearMetricCharts();
      sampled = -1;
      renderHeader();
    }
  });

  function renderHeader(): void {
    const h = state.header();
    if (!h) return;
    ui.title.textContent = h.title;
    ui.meta.textContent = h.meta;
    ui.subenvWrap.hidden = h.numEnvs === undefined;
    if (h.numEnvs !== undefined) {
      const count = Math.min(h.numEnvs, 512);
      ui.subenv.replaceChildren(...Array.from({ length: count }, (_, i) => new Option(`env ${i}`, String(i))));
      ui.subenv.value = '0';
    }
  }

  function renderList(): void {
    const items = state.items();
    ui.empty.hidden = items.length > 0;
    ui.follow.checked = state.follow;
    ui.list.replaceChildren(...items.map((item) => {
      const li = document.createElement('li');
      li.className = 'session' + (item.active ? ' active' : '');
      li.dataset.session = item.session;
      li.tabIndex = 0;
      const name = document.createElement('div');
      name.className = 'name';
      name.textContent = item.name;
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = item.meta;
      li.append(name, meta);
      const pick = (): void => void state.pick(item.session);
      li.addEventListener('click', pick);
      li.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && pick());
      return li;
    }));
  }

  // ---- connection ----
  const fleet = fleetFromPage(location.search); // ?servers=: one list over several servers (docs/fleet.md)
  connectPage({ role: 'spectator', name: 'viewer', pill: ui.status, onConnected: (c) => state.attach(c), ...(fleet ? { url: fleet.label, createSocket: fleet.createSocket } : {}) });
  setInterval(() => void state.poll(), POLL_MS);

  // ---- controls ----
  ui.subenv.addEventListener('change', () => state.data?.watch(Number(ui.subenv.value)));
  ui.window.addEventListener('input', () => {
    state.setWindow(Math.round(Number(ui.window.value)));
    sampled = -1;
  });
  ui.axis.addEventListener('change', () => {
    state.axis = ui.axis.value === 'episode' ? 'episode' : 'step';
    sampled = -1;
  });
  const setShowValues = (on: boolean): void => {
    state.showValues = on;
    ui.showValues.checked = on;
    localStorage.setItem(SHOW_VALUES_KEY, on ? '1' : '0');
    boardVersion++;
  };
  ui.showValues.addEventListener('change', () => setShowValues(ui.showValues.checked));
  window.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement | null;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (e.key === 'v' || e.key === 'V') setShowValues(!state.showValues);
  });
  ui.follow.addEventListener('change', () => {
    state.follow = ui.follow.checked;
    void state.poll();
  });
  ui.backToList.addEventListener('click', () => {
    ui.ended.hidden = true;
    ui.list.querySelector<HTMLElement>('li')?.focus();
    ui.list.scrollIntoView({ behavior: 'smooth' });
  });
  ui.exportCsv.addEventListener('click', () => {
    const data = state.data;
    if (!data) return;
    const blob = new Blob([episodesToCsv(data.episodes)], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = csvFileName(data.id, data.summary.name);
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
}
