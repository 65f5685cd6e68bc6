/**
 * The /play page: a person makes a GridWorld session (as an agent, through the protocol client) and plays it
 * with the arrow keys or WASD. Every step shows its reward and why; an episode's end shows the result and a
 * new episode starts. Spectators see the session like any other.
 */
import type { Cell, Client, EnvSpec, GridState, StepInfo } from '@rlfs/protocol';
import { KeepAlive } from '../app/connection';
import { showStatus } from '../app/status';
import { askToken, initialToken, serverUrl } from '../app/token';
import { PALETTE } from '../draw/commands';
import type { Box, DrawCmd } from '../draw/commands';
import { drawGrid } from '../draw/grid';
import { drawHud, formatReward } from '../draw/hud';
import { Trail } from '../draw/trail';
import { mountSketch } from '../sketch';
import { actionOfKey, ACTION_NAMES } from './keys';
import type { Rewards, RewardParts } from './reward';
import { describeParts, parseLayoutText, rewardBreakdown, rewardsOf } from './reward';

const HUD_HEIGHT = 46;
const NEW_EPISODE_DELAY_MS = 1200;

interface Game {
  client: Client;
  spec: EnvSpec;
  rewards: Rewards;
  size: number;
  boundary: 'walls' | 'wrap';
  state: GridState;
  trail: Trail;
  step: number;
  returnSoFar: number;
  shortestPath: number | undefined;
  lastReward: number | null;
  over: boolean;
  episodes: number;
}

export function startPlay(): void {
  const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
  const ui = {
    status: $('status'), form: $<HTMLFormElement>('game-form'), size: $<HTMLInputElement>('opt-size'), boundary: $<HTMLSelectElement>('opt-boundary'),
    obstacles: $<HTMLInputElement>('opt-obstacles'), layout: $<HTMLTextAreaElement>('opt-layout'), maxSteps: $<HTMLInputElement>('opt-max-steps'),
    formError: $('form-error'), board: $('board'), sessionMeta: $('session-meta'),
    why: $('why'), whyTotal: $('why-total'), stepCount: $('stat-step'), returnSoFar: $('stat-return'), shortest: $('stat-shortest'),
    result: $('result'), history: $<HTMLTableSectionElement>('history'), hint: $('play-hint'),
  };
  prefillFromQuery(ui);

  let client: Client | undefined;
  let game: Game | undefined;
  let version = 0;
  let busy = false;
  const queue: number[] = [];
  let resetTimer: ReturnType<typeof setTimeout> | undefined;
  (window as unknown as { __rlfsPlay: () => unknown }).__rlfsPlay = () => (game ? { state: game.state, step: game.step, return: game.returnSoFar, over: game.over } : undefined);

  mountSketch(ui.board, { version: () => version, draw: (box) => boardCommands(box) });

  function boardCommands(box: Box): DrawCmd[] {
    if (!game) {
      return [{ kind: 'text', x: box.w / 2, y: box.h / 2, text: 'Pick the options and press Start', size: 16, fill: PALETTE.muted, align: 'center', baseline: 'middle' }];
    }
    return [
      ...drawHud({ episodes: game.over ? game.episodes - 1 : game.episodes, step: game.step, lastReward: game.lastReward, returnSoFar: game.returnSoFar }, { x: 8, y: 4, w: box.w - 16, h: HUD_HEIGHT }),
      ...drawGrid({ state: game.state, boundary: game.boundary, trail: game.trail.cells() }, { x: box.x, y: box.y + HUD_HEIGHT, w: box.w, h: box.h - HUD_HEIGHT }),
    ];
  }

  const keep = new KeepAlive({
    url: serverUrl(), role: 'agent', name: new URLSearchParams(location.search).get('name') ?? 'human', token: initialToken(),
    onState: (state) => showStatus(ui.status, state),
    askToken,
    onConnected: async (c) => {
      client = c;
      if (game || new URLSearchParams(location.search).has('autostart')) await newGame();
    },
  });
  keep.start();

  ui.form.addEventListener('submit', (e) => {
    e.preventDefault();
    void newGame();
  });

  window.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement | null;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (e.key === 'r' || e.key === 'R') {
      if (game) void startEpisode();
      return;
    }
    const action = actionOfKey(e.key);
    if (action === undefined || !game) return;
    e.preventDefault();
    if (queue.length < 8) queue.push(action);
    void drain();
  });

  async function newGame(): Promise<void> {
    if (!client) return;
    ui.formError.textContent = '';
    const options: Record<string, unknown> = { boundary: ui.boundary.value, observation: 'coords', maxEpisodeSteps: Number(ui.maxSteps.value) };
    const layout = parseLayoutText(ui.layout.value);
    if (layout) options.layout = layout;
    else {
      options.size = Number(ui.size.value);
      options.obstacles = Number(ui.obstacles.value);
    }
    try {
      if (game) await client.closeSession().catch(() => undefined);
      game = undefined;
      const made = await client.make({ env: 'GridWorld-v0', options });
      const o = made.spec.options;
      game = {
        client, spec: made.spec, rewards: rewardsOf(o), size: Number(o.size), boundary: o.boundary === 'wrap' ? 'wrap' : 'walls',
        state: { size: Number(o.size), agent: [0, 0], goal: [0, 0], obstacles: [] }, trail: new Trail(32),
        step: 0, returnSoFar: 0, shortestPath: undefined, lastReward: null, over: false, episodes: 0,
      };
      ui.sessionMeta.textContent = `session ${made.session} · ${game.size}×${game.size} · ${game.boundary} · visible to spectators at /`;
      ui.history.replaceChildren();
      ui.result.textContent = 'No episode finished yet.';
      await startEpisode();
      (document.activeElement as HTMLElement | null)?.blur();
    } catch (err) {
      ui.formError.textContent = err instanceof Error ? err.message.replace(/^make: /, '') : String(err);
    }
  }

  async function startEpisode(): Promise<void> {
    if (!game) return;
    if (resetTimer) clearTimeout(resetTimer);
    resetTimer = undefined;
    queue.length = 0;
    const reset = await game.client.reset();
    const rendered = await game.client.render('state');
    const info = reset.info as StepInfo;
    game.state = rendered.frame as GridState;
    game.step = 0;
    game.returnSoFar = 0;
    game.lastReward = null;
    game.over = false;
    game.shortestPath = info.shortestPath;
    game.trail.clear();
    game.trail.push(game.state.agent);
    showWhy(undefined);
    showStats();
    ui.hint.textContent = 'Arrow keys or WASD to move · R restarts the episode';
    version++;
  }

  async function drain(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      while (queue.length && game && !game.over) await takeStep(queue.shift()!);
    } finally {
      busy = false;
    }
  }

  async function takeStep(action: number): Promise<void> {
    const g = game!;
    const before: Cell = [...g.state.agent];
    const result = await g.client.step(action);
    const info = result.info as StepInfo;
    const reward = result.reward as number;
    const terminated = result.terminated === true;
    const truncated = result.truncated === true;
    g.state = { ...g.state, agent: info.agent ?? g.state.agent, goal: info.goal ?? g.state.goal };
    g.step++;
    g.returnSoFar += reward;
    g.lastReward = reward;
    g.trail.push(g.state.agent);
    const parts = rewardBreakdown(g, { before, after: g.state.agent, goal: g.state.goal, hitWall: info.hitWall === true, reached: terminated });
    showWhy(parts, reward, action);
    showStats();
    version++;
    if (terminated || truncated) endEpisode(terminated, info);
  }

  function endEpisode(reachedGoal: boolean, info: StepInfo): void {
    const g = game!;
    g.over = true;
    g.episodes++;
    const ret = info.episode?.return ?? g.returnSoFar;
    const length = info.episode?.length ?? g.step;
    const text = reachedGoal
      ? `Goal reached in ${length} steps (shortest ${g.shortestPath ?? '?'}) · return ${ret.toFixed(2)}`
      : `Out of time after ${length} steps · return ${ret.toFixed(2)}`;
    ui.result.textContent = text;
    ui.result.dataset.outcome = reachedGoal ? 'goal' : 'timeout';
    ui.result.dataset.return = String(ret);
    const row = document.createElement('tr');
    for (const cell of [String(g.episodes), reachedGoal ? 'goal' : 'time out', String(length), String(g.shortestPath ?? '–'), ret.toFixed(2)]) {
      const td = document.createElement('td');
      td.textContent = cell;
      row.appendChild(td);
    }
    ui.history.prepend(row);
    ui.hint.textContent = 'Episode over: a new one starts…';
    version++;
    resetTimer = setTimeout(() => void startEpisode(), NEW_EPISODE_DELAY_MS);
  }

  function showStats(): void {
    if (!game) return;
    ui.stepCount.textContent = `${game.step} / ${game.spec.maxEpisodeSteps}`;
    ui.returnSoFar.textContent = formatReward(game.returnSoFar) === '–' ? '0' : game.returnSoFar.toFixed(2);
    ui.shortest.textContent = game.shortestPath === undefined ? '–' : `${game.shortestPath} moves`;
  }

  function showWhy(parts: RewardParts | undefined, reward?: number, action?: number): void {
    if (!parts || reward === undefined || action === undefined) {
      ui.why.replaceChildren();
      ui.whyTotal.textContent = 'Make a move to see what it earns.';
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
    ui.whyTotal.textContent = `${ACTION_NAMES[action]}: reward ${signed(reward)}${mismatch}`;
    ui.whyTotal.dataset.reward = String(reward);
  }
}

function signed(v: number): string {
  const text = Math.abs(v) >= 10 || Number.isInteger(v) ? String(Math.round(v * 100) / 100) : v.toFixed(3).replace(/0$/, '');
  return v > 0 ? `+${text}` : v < 0 ? text.replace('-', '−') : '0';
}

function prefillFromQuery(ui: { size: HTMLInputElement; boundary: HTMLSelectElement; obstacles: HTMLInputElement; layout: HTMLTextAreaElement; maxSteps: HTMLInputElement }): void {
  const q = new URLSearchParams(location.search);
  const set = (el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, key: string): void => {
    const v = q.get(key);
    if (v !== null) el.value = v;
  };
  set(ui.size, 'size');
  set(ui.boundary, 'boundary');
  set(ui.obstacles, 'obstacles');
  set(ui.maxSteps, 'maxEpisodeSteps');
  const layout = q.get('layout');
  if (layout) ui.layout.value = layout.split(',').join('\n');
}
