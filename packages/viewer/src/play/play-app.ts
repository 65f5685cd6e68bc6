/**
 * The /play page's DOM binding: a person picks an environment, and the PlayState (play-state.ts) makes a session
 * of it through the protocol client and plays the keys pressed. This file only reads the form and keys and
 * renders what the state reports: the board, each step's reward and why, the episodes played. Spectators see the
 * session like any other.
 */
import { formatReward } from '../draw/hud';
import { byId, connectPage } from '../shared/page';
import { mountSketch } from '../sketch';
import { fillEnvSelect, makeOptions, renderKeyLegend, showFieldsFor } from './env-form';
import { actionOfKeyIn } from './keys';
import { playCommands } from './picture';
import type { EpisodeResult } from './play-state';
import { PlayState } from './play-state';
import { startDemoControls } from './demo-controls';
import type { RewardParts } from './reward';
import { describeParts } from './reward';

export function startPlay(): void {
  const ui = {
    status: byId('status'), form: byId<HTMLFormElement>('game-form'), env: byId<HTMLSelectElement>('opt-env'), json: byId<HTMLInputElement>('opt-json'),
    title: byId('env-title'), legend: byId('key-legend'), size: byId<HTMLInputElement>('opt-size'), boundary: byId<HTMLSelectElement>('opt-boundary'),
    obstacles: byId<HTMLInputElement>('opt-obstacles'), layout: byId<HTMLTextAreaElement>('opt-layout'), maxSteps: byId<HTMLInputElement>('opt-max-steps'),
    formError: byId('form-error'), board: byId('board'), sessionMeta: byId('session-meta'),
    why: byId('why'), whyTotal: byId('why-total'), stepCount: byId('stat-step'), returnSoFar: byId('stat-return'), shortest: byId('stat-shortest'),
    result: byId('result'), history: byId<HTMLTableSectionElement>('history'), hint: byId('play-hint'),
  };
  prefillFromQuery(ui);
  showFieldsFor(ui.env.value);
  ui.env.addEventListener('change', () => showFieldsFor(ui.env.value));

  const state = new PlayState();
  let version = 0;
  (window as unknown as { __rlfsPlay: () => unknown }).__rlfsPlay = () => {
    const g = state.game;
    return g ? { env: g.spec.id, state: g.grid?.state, draw: g.draw, step: g.step, return: g.returnSoFar, lastReward: g.lastReward, over: g.over } : undefined;
  };
  // Demonstrations: every step played goes to the recorder; a new session, a new episode or a restart (the step
  // does not continue from the last one's observation) starts a new recorded episode.
  const demos = startDemoControls();
  let demoSession: string | undefined;
  let demoEpisode = -1;
  let demoLast = '';
  state.onTransition((t) => {
    const g = state.game;
    if (t.session !== demoSession && g) {
      demos.session(g.spec.id, g.spec.options);
      demoSession = t.session;
      demoEpisode = -1;
    }
    if (t.episode !== demoEpisode || JSON.stringify(t.observation) !== demoLast) demos.reset(t.observation);
    demoEpisode = t.episode;
    demoLast = JSON.stringify(t.nextObservation);
    demos.record(t.action, { observation: t.nextObservation, reward: t.reward, terminated: t.terminated, truncated: t.truncated });
  });

  mountSketch(ui.board, { version: () => version, draw: (box) => playCommands(state.view(), box) });

  state.onChange((change) => {
    version++;
    switch (change.kind) {
      case 'game':
        return showGame();
      case 'episode-start':
        showWhy(undefined);
        showStats();
        ui.hint.textContent = `${state.game?.grid ? 'Arrow keys or WASD to move' : 'Keys on the left to act'} · R restarts the episode`;
        return;
      case 'step':
        showWhy(change.parts, change.reward, change.action);
        return showStats();
      case 'episode-end':
        return showResult(change.result);
    }
  });

  connectPage({
    role: 'agent', name: new URLSearchParams(location.search).get('name') ?? 'human', pill: ui.status,
    onConnected: async (c) => {
      state.attach(c);
      fillEnvSelect(ui.env, c.welcome.envs, new URLSearchParams(location.search).get('env') ?? undefined);
      showFieldsFor(ui.env.value);
      if (state.game || new URLSearchParams(location.search).has('autostart')) await newGame();
    },
  });

  ui.form.addEventListener('submit', (e) => {
    e.preventDefault();
    void newGame();
  });

  window.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement | null;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (e.key === 'r' || e.key === 'R') {
      void state.startEpisode();
      return;
    }
    const game = state.game;
    if (!game) return;
    const action = actionOfKeyIn(game.actions, e.key);
    if (action === undefined) return;
    e.preventDefault();
    void state.press(action);
  });

  async function newGame(): Promise<void> {
    if (!state.connected) return;
    ui.formError.textContent = '';
    try {
      await state.newGame(ui.env.value, makeOptions(ui));
      (document.activeElement as HTMLElement | null)?.blur();
    } catch (err) {
      ui.formError.textContent = err instanceof Error ? err.message.replace(/^make: /, '') : String(err);
    }
  }

  function showGame(): void {
    const g = state.game!;
    ui.title.textContent = g.spec.id;
    renderKeyLegend(ui.legend, g.actions);
    ui.sessionMeta.textContent = `session ${g.session} · ${g.grid ? `${g.grid.size}×${g.grid.size} · ${g.grid.boundary}` : `${g.actions.length} actions`} · visible to spectators at /`;
    ui.history.replaceChildren();
    ui.result.textContent = 'No episode finished yet.';
  }

  function showResult(r: EpisodeResult): void {
    ui.result.textContent = r.text;
    ui.result.dataset.outcome = r.outcome;
    ui.result.dataset.return = String(r.return);
    const row = document.createElement('tr');
    const grid = state.game?.grid !== undefined;
    const end = grid ? (r.terminated ? 'goal' : 'time out') : r.terminated ? 'ended' : 'time out';
    for (const cell of [String(r.episode), end, String(r.length), String(r.shortestPath ?? '–'), r.return.toFixed(2)]) {
      const td = document.createElement('td');
      td.textContent = cell;
      row.appendChild(td);
    }
    ui.history.prepend(row);
    ui.hint.textContent = 'Episode over: a new one starts…';
  }

  function showStats(): void {
    const game = state.game;
    if (!game) return;
    ui.stepCount.textContent = `${game.step} / ${game.spec.maxEpisodeSteps}`;
    ui.returnSoFar.textContent = formatReward(game.returnSoFar) === '–' ? '0' : game.returnSoFar.toFixed(2);
    const shortest = game.grid?.shortestPath;
    ui.shortest.textContent = shortest === undefined ? '–' : `${shortest} moves`;
  }

  function showWhy(parts: RewardParts | undefined, reward?: number, action?: number): void {
    if (reward === undefined || action === undefined) {
      ui.why.replaceChildren();
      ui.whyTotal.textContent = 'Make a move to see what it earns.';
      return;
    }
    const name = state.game?.actions[action]?.name ?? `action ${action}`;
    ui.whyTotal.dataset.reward = String(reward);
    ui.whyTotal.dataset.action = String(action);
    if (!parts) {
      // Only GridWorld's reward is known well enough here to take apart.
      ui.why.replaceChildren();
      ui.whyTotal.textContent = `${name}: reward ${signed(reward)}`;
      return;
    }
    const items = describeParts(parts).map(({ name, value }) => {
      const li = document.createElement('li');
      li.dataset.part = name;
      li.className = value >= 0 ? 'pos' : 'neg';
      li.innerHTML = `<span class="part">${name}</span><span class="value">${signed(value)}</span>`;
      return li;
    });
    ui.why.replaceChildren(...items);
    const mismatch = Math.abs(parts.total - reward) > 1e-6 ? ` (server paid ${signed(reward)})` : '';
    ui.whyTotal.textContent = `${name}: reward ${signed(reward)}${mismatch}`;
  }
}

function signed(v: number): string {
  const text = Math.abs(v) >= 10 || Number.isInteger(v) ? String(Math.round(v * 100) / 100) : v.toFixed(3).replace(/0+$/, '');
  return v > 0 ? `+${text}` : v < 0 ? text.replace('-', '−') : '0';
}

function prefillFromQuery(ui: { env: HTMLSelectElement; size: HTMLInputElement; boundary: HTMLSelectElement; obstacles: HTMLInputElement; layout: HTMLTextAreaElement; maxSteps: HTMLInputElement }): void {
  const q = new URLSearchParams(location.search);
  const set = (el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, key: string): void => {
    const v = q.get(key);
    if (v !== null) el.value = v;
  };
  const env = q.get('env');
  if (env) {
    // The select is filled from the server's list once connected; until then it offers what the address asks for.
    ui.env.replaceChildren(new Option(env, env));
    ui.env.value = env;
  }
  set(ui.size, 'size');
  set(ui.boundary, 'boundary');
  set(ui.obstacles, 'obstacles');
  set(ui.maxSteps, 'maxEpisodeSteps');
  const layout = q.get('layout');
  if (layout) ui.layout.value = layout.split(',').join('\n');
}
