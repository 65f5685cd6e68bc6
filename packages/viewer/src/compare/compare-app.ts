/**
 * The comparison page's DOM binding: `/?race=<raceId>` (live race sessions through the server) or `/?runs` (the
 * run folders `npm run view` serves as `/runs.json`). It replaces the viewer's layout with a list of the runs and
 * the two comparison charts.
 */
import { drawChart } from '../plot/chart';
import { byId, connectPage } from '../shared/page';
import { mountSketch } from '../sketch';
import type { CompareRun } from './compare';
import { comparisonCharts, RaceState } from './race-state';
import { runsFromDocument } from './run-files';

const POLL_MS = 1000;
const CHART_MS = 500;

/** What the browser tests read back: each chart's series as drawn (name, style, points). */
export interface CompareProbe {
  runs: number;
  charts: Record<string, { name: string; style: string; points: number }[]>;
}

export function startCompare(source: { race: string } | { runsUrl: string }): void {
  const main = document.querySelector('main') as HTMLElement;
  main.className = 'compare-layout';
  main.innerHTML = `
    <section class="card">
      <div class="card-head"><div><h1 id="compare-title"></h1><div id="compare-meta" class="meta"></div></div>
        <label class="field">Average over <input id="ma-window" type="number" min="1" max="10000" value="20"> episodes</label></div>
      <ul id="compare-runs" class="compare-runs"></ul>
    </section>
    <section class="card"><div id="compare-return" class="chart big"></div></section>
    <section class="card"><div id="compare-success" class="chart"></div></section>`;
  const ui = { title: byId('compare-title'), meta: byId('compare-meta'), runs: byId<HTMLUListElement>('compare-runs'), window: byId<HTMLInputElement>('ma-window') };
  const probe: CompareProbe = { runs: 0, charts: {} };
  (window as unknown as { __rlfsCompare: CompareProbe }).__rlfsCompare = probe;

  let runs: CompareRun[] = [];
  let maWindow = 20;
  let charts = comparisonCharts(runs, maWindow);
  let version = 0;
  for (const key of ['compare-return', 'compare-success']) {
    const node = byId(key);
    mountSketch(node, {
      version: () => version,
      draw: (box, hover) => {
        const view = charts.find((c) => c.key === key);
        if (!view) return [];
        node.title = view.help;
        probe.charts[key] = view.spec.series.map((s) => ({ name: s.name, style: s.style, points: s.xs.length }));
        return drawChart(view.spec, { x: box.x + 4, y: box.y + 4, w: box.w - 8, h: box.h - 8 }, hover);
      },
    }, { fps: 30 });
  }
  const refresh = (): void => {
    charts = comparisonCharts(runs, maWindow);
    probe.runs = runs.length;
    const agents = new Map<string, string[]>();
    for (const r of runs) agents.set(r.agent, [...(agents.get(r.agent) ?? []), r.seed]);
    ui.runs.replaceChildren(...[...agents].map(([agent, seeds]) => {
      const li = document.createElement('li');
      li.textContent = `${agent}: seeds ${seeds.sort().join(', ')} · ${runs.filter((r) => r.agent === agent).reduce((n, r) => n + r.returns.length, 0)} episodes`;
      return li;
    }));
    version++;
  };
  ui.window.addEventListener('input', () => {
    const n = Math.round(Number(ui.window.value));
    if (Number.isInteger(n) && n >= 1 && n <= 10_000) maWindow = n;
    refresh();
  });

  if ('race' in source) {
    ui.title.textContent = `Race ${source.race}`;
    ui.meta.textContent = `live sessions named race/${source.race}/<agent>/seed<k>, on the env-step axis`;
    const state = new RaceState(source.race);
    connectPage({ role: 'spectator', name: 'race-viewer', pill: byId('status'), onConnected: (c) => state.attach(c) });
    setInterval(() => void state.poll(), POLL_MS);
    let seen = -1;
    setInterval(() => {
      if (state.version() === seen) return;
      seen = state.version();
      runs = state.compareRuns();
      refresh();
    }, CHART_MS);
    return;
  }
  ui.title.textContent = 'Runs compared';
  byId('status').textContent = 'Run folders';
  fetch(source.runsUrl)
    .then((r) => r.json())
    .then((doc: unknown) => {
      runs = runsFromDocument(doc);
      const about = (doc as { runs: { folder: string; about: string }[] }).runs.map((r) => `${r.folder} (${r.about})`);
      ui.meta.textContent = about.join(' · ');
      refresh();
    })
    .catch((err: Error) => {
      ui.meta.textContent = `Could not read the runs: ${err.message}`;
    });
}
