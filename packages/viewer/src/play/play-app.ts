/**
 * The /play page: a person picks an environment, makes a session of it (as an agent, through the protocol
 * client) and plays it with the keys the environment names (GridWorld: arrows or WASD). Every step shows its
 * reward (GridWorld's also why); an episode's end shows the result and a new episode starts. Spectators see
 * the session like any other.
 */
import type { ActionName, Cell, Client, DrawList, EnvSpec, GridState, StepInfo } from '@rlfs/protocol';
import { ErrorCode, isRemoteError } from '@rlfs/protocol';
import { KeepAlive } from '../app/connection';
import { showStatus } from '../app/status';
import { askToken, initialToken, serverUrl } from '../app/token';
import { formatReward } from '../draw/hud';
import { Trail } from '../draw/trail';
import { mountSketch } from '../sketch';
import { fillEnvSelect, GRIDWORLD, makeOptions, renderKeyLegend, showFieldsFor } from './env-form';
import { actionKeysOf, actionOfKeyIn, GRID_ACTIONS } from './keys';
import { playCommands } from './picture';
import { startDemoControls } from './demo-controls';
import type { Rewards, RewardParts } from './reward';
import { describeParts, rewardBreakdown, rewardsOf } from './reward';

const NEW_EPISODE_DELAY_MS = 1200;

/** GridWorld's extras: its board, trail and reward breakdown. */
interface GridPart {
  rewards: Rewards;
  size: number;
  boundary: 'walls' | 'wrap';
  state: GridState;
  trail: Trail;
  shortestPath: number | undefined;
}

interface Game {
  client: Client;
  spec: EnvSpec;
  actions: ActionName[];
  grid?: GridPart;
  /** The latest draw list, for environments that define one (asked with `render {mode:"draw"}` after each step). */
  draw?: DrawList;
  drawable: boolean;
  step: number;
  returnSoFar: number;
  lastReward: number | null;
  over: boolean;
  episodes: number;
}

export function startPlay(): void {
  const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
  const ui = {
    status: $('status'), form: $<HTMLFormElement>('game-form'), env: $<HTMLSelectElement>('opt-env'), json: $<HTMLInputElement>('opt-json'),
    title: $('env-title'), legend: $('key-legend'), size: $<HTMLInputElement>('opt-size'), boundary: $<HTMLSelectElement>('opt-boundary'),
    obstacles: $<HTMLInputElement>('opt-obstacles'), layout: $<HTMLTextAreaElement>('opt-layout'), maxSteps: $<HTMLInputElement>('opt-max-steps'),
    formError: $('form-error'), board: $('board'), sessionMeta: $('session-meta'),
    why: $('why'), whyTotal: $('why-total'), stepCount: $('stat-step'), returnSoFar: $('stat-return'), shortest: $('stat-shortest'),
    result: $('result'), history: $<HTMLTableSectionElement>('history'), hint: $('play-hint'),
  };
  prefillFromQuery(ui);
  showFieldsFor(ui.env.value);
  ui.env.addEventListener('change', () => showFieldsFor(ui.env.value));

  let client: Client | undefined;
  let game: Game | undefined;
  let version = 0;
  let busy = false;
  const queue: number[] = [];
  let resetTimer: ReturnType<typeof setTimeout> | undefined;
  const demos = startDemoControls();
  (window as unknown as { __rlfsPlay: () => unknown }).__rlfsPlay = () =>
    game ? { env: game.spec.id, state: game.grid?.state, draw: game.draw, step: game.step, return: game.returnSoFar, lastReward: game.lastReward, over: game.over } : undefined;

  mountSketch(ui.board, {
    version: () => version,
    draw: (box) =>
      playCommands(game && {
        env: game.spec.id, episodes: game.over ? game.episodes - 1 : game.episodes, step: game.step, lastReward: game.lastReward, returnSoFar: game.returnSoFar,
        grid: game.grid && { state: game.grid.state, boundary: game.grid.boundary, trail: game.grid.trail.cells() }, draw: game.draw,
      }, box),
  });

  const keep = new KeepAlive({
    url: serverUrl(), role: 'agent', name: new URLSearchParams(location.search).get('name') ?? 'human', token: initialToken(),
    onState: (state) => showStatus(ui.status, state),
    askToken,
    onConnected: async (c) => {
      client = c;
      fillEnvSelect(ui.env, c.welcome.envs, new URLSearchParams(location.search).get('env') ?? undefined);
      showFieldsFor(ui.env.value);
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
    if (!game) return;
    const action = actionOfKeyIn(game.actions, e.key);
    if (action === undefined) return;
    e.preventDefault();
    if (queue.length < 8) queue.push(action);
    void drain();
  });

  async function newGame(): Promise<void> {
    if (!client) return;
    ui.formError.textContent = '';
    const env = ui.env.value;
    try {
      const options = makeOptions(ui);
      if (game) await client.closeSession().catch(() => undefined);
      game = undefined;
      const made = await client.make({ env, options });
      demos.session(made.spec.id, made.spec.options);
      const o = made.spec.options;
      const grid: GridPart | undefined = env === GRIDWORLD
        ? { rewards: rewardsOf(o), size: Number(o.size), boundary: o.boundary === 'wrap' ? 'wrap' : 'walls', state: { size: Number(o.size), agent: [0, 0], goal: [0, 0], obstacles: [] }, trail: new Trail(32), shortestPath: undefined }
        : undefined;
      const actions = grid ? GRID_ACTIONS : actionKeysOf(made.spec);
      if (actions.length === 0) throw new Error(`${env} has a ${made.spec.actionSpace.type} action space: only Discrete actions can be played with keys`);
      game = { client, spec: made.spec, actions, grid, drawable: !grid, step: 0, returnSoFar: 0, lastReward: null, over: false, episodes: 0 };
      ui.title.textContent = env;
      renderKeyLegend(ui.legend, actions);
      ui.sessionMeta.textContent = `session ${made.session} · ${grid ? `${grid.size}×${grid.size} · ${grid.boundary}` : `${actions.length} actions`} · visible to spectators at /`;
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
    demos.reset(reset.observation);
    const g = game;
    if (g.grid) {
      g.grid.state = (await g.client.render('state')).frame as GridState;
      g.grid.shortestPath = (reset.info as StepInfo).shortestPath;
      g.grid.trail.clear();
      g.grid.trail.push(g.grid.state.agent);
    }
    await refreshDraw(g);
    g.step = 0;
    g.returnSoFar = 0;
    g.lastReward = null;
    g.over = false;
    showWhy(undefined);
    showStats();
    ui.hint.textContent = `${g.grid ? 'Arrow keys or WASD to move' : 'Keys on the left to act'} · R restarts the episode`;
    version++;
  }

  /** Asks for the draw list of an environment other than GridWorld; one that defines none is asked no more. */
  async function refreshDraw(g: Game): Promise<void> {
    if (!g.drawable) return;
    try {
      g.draw = (await g.client.render('draw')).frame as DrawList;
    } catch (err) {
      if (!isRemoteError(err, ErrorCode.BAD_REQUEST)) throw err;
      g.drawable = false;
      g.draw = undefined;
    }
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
    const result = await g.client.step(action);
    demos.record(action, result);
    const info = result.info as StepInfo;
    const reward = result.reward as number;
    const terminated = result.terminated === true;
    const truncated = result.truncated === true;
    let parts: RewardParts | undefined;
    if (g.grid) {
      const grid = g.grid;
      const before: Cell = [...grid.state.agent];
      grid.state = { ...grid.state, agent: info.agent ?? grid.state.agent, goal: info.goal ?? grid.state.goal };
      grid.trail.push(grid.state.agent);
      parts = rewardBreakdown(grid, { before, after: grid.state.agent, goal: grid.state.goal, hitWall: info.hitWall === true, reached: terminated });
    }
    await refreshDraw(g);
    g.step++;
    g.returnSoFar += reward;
    g.lastReward = reward;
    showWhy(parts, reward, action);
    showStats();
    version++;
    if (terminated || truncated) endEpisode(terminated, info);
  }

  function endEpisode(terminated: boolean, info: StepInfo): void {
    const g = game!;
    g.over = true;
    g.episodes++;
    const ret = info.episode?.return ?? g.returnSoFar;
    const length = info.episode?.length ?? g.step;
    const shortest = g.grid?.shortestPath;
    const text = g.grid
      ? terminated ? `Goal reached in ${length} steps (shortest ${shortest ?? '?'}) · return ${ret.toFixed(2)}` : `Out of time after ${length} steps · return ${ret.toFixed(2)}`
      : `${terminated ? 'Ended' : 'Out of time'} after ${length} steps · return ${ret.toFixed(2)}`;
    ui.result.textContent = text;
    // GridWorld's outcomes keep their names (goal, timeout); any environment's are terminated or truncated.
    ui.result.dataset.outcome = g.grid ? (terminated ? 'goal' : 'timeout') : terminated ? 'terminated' : 'truncated';
    ui.result.dataset.return = String(ret);
    const row = document.createElement('tr');
    const end = g.grid ? (terminated ? 'goal' : 'time out') : terminated ? 'ended' : 'time out';
    for (const cell of [String(g.episodes), end, String(length), String(shortest ?? '–'), ret.toFixed(2)]) {
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
    const shortest = game.grid?.shortestPath;
    ui.shortest.textContent = shortest === undefined ? '–' : `${shortest} moves`;
  }

  function showWhy(parts: RewardParts | undefined, reward?: number, action?: number): void {
    if (reward === undefined || action === undefined) {
      ui.why.replaceChildren();
      ui.whyTotal.textContent = 'Make a move to see what it earns.';
      return;
    }
    const name = game?.actions[action]?.name ?? `action ${action}`;
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
