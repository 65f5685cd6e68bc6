/**
 * The /play page's state, apart from the DOM: the game made through the protocol client (as an agent), the queue
 * of keys pressed, each step's reward and its reasons, the episodes played. Tests drive it with a real client and
 * no browser; the binding (play-app.ts) renders what `onChange` reports.
 *
 * Every transition played is announced to `onTransition` listeners: the place for recording demonstrations
 * (a recorder subscribes there and needs nothing else from the page).
 */
import type { ActionName, Cell, Client, DrawList, EnvSpec, GridState, StepInfo } from '@rlfs/protocol';
import { ErrorCode, isRemoteError } from '@rlfs/protocol';
import { Trail } from '../draw/trail';
import { GRIDWORLD } from './env-form';
import { actionKeysOf, GRID_ACTIONS } from './keys';
import type { PlayView } from './picture';
import type { Rewards, RewardParts } from './reward';
import { rewardBreakdown, rewardsOf } from './reward';

export const NEW_EPISODE_DELAY_MS = 1200;
/** Keys waiting to be played at most (more are ignored: holding a key must not queue minutes of moves). */
export const MAX_QUEUED_KEYS = 8;

/** GridWorld's extras: its board, trail and reward breakdown. */
interface GridPart {
  rewards: Rewards;
  size: number;
  boundary: 'walls' | 'wrap';
  state: GridState;
  trail: Trail;
  shortestPath: number | undefined;
}

export interface Game {
  spec: EnvSpec;
  session: string;
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
  /** The observation the next action is taken from. */
  observation: unknown;
}

/** One step a person played: what a demonstration recorder keeps. */
export interface Transition {
  session: string;
  env: string;
  /** Episode number within this game, from 1. */
  episode: number;
  observation: unknown;
  action: number;
  reward: number;
  nextObservation: unknown;
  terminated: boolean;
  truncated: boolean;
}

/** A finished episode as the history table shows it. */
export interface EpisodeResult {
  episode: number;
  terminated: boolean;
  length: number;
  shortestPath: number | undefined;
  return: number;
  /** `goal`/`timeout` for GridWorld, `terminated`/`truncated` otherwise. */
  outcome: string;
  text: string;
}

/** What changed: the game (new env), a step (stats, reward), an episode's end, a new episode. */
export type PlayChange =
  | { kind: 'game' }
  | { kind: 'step'; reward: number; action: number; parts?: RewardParts }
  | { kind: 'episode-end'; result: EpisodeResult }
  | { kind: 'episode-start' };

export interface PlayTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export class PlayState {
  game: Game | undefined;
  private client: Client | undefined;
  private busy = false;
  private readonly queue: number[] = [];
  private resetTimer: unknown;
  private readonly listeners = new Set<(change: PlayChange) => void>();
  private readonly transitionListeners = new Set<(t: Transition) => void>();

  constructor(private readonly timers: PlayTimers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) }) {}

  onChange(listener: (change: PlayChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every transition played, as it happens (demonstration recording subscribes here). */
  onTransition(listener: (t: Transition) => void): () => void {
    this.transitionListeners.add(listener);
    return () => this.transitionListeners.delete(listener);
  }

  attach(client: Client): void {
    this.client = client;
  }

  get connected(): boolean {
    return this.client !== undefined && !this.client.closed;
  }

  /** Makes a session of `env` (closing the previous one) and starts its first episode. Throws what make refused. */
  async newGame(env: string, options: Record<string, unknown>): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('not connected to a server yet');
    if (this.game) await client.closeSession().catch(() => undefined);
    this.game = undefined;
    const made = await client.make({ env, options });
    const o = made.spec.options;
    const grid: GridPart | undefined = env === GRIDWORLD
      ? { rewards: rewardsOf(o), size: Number(o.size), boundary: o.boundary === 'wrap' ? 'wrap' : 'walls', state: { size: Number(o.size), agent: [0, 0], goal: [0, 0], obstacles: [] }, trail: new Trail(32), shortestPath: undefined }
      : undefined;
    const actions = grid ? GRID_ACTIONS : actionKeysOf(made.spec);
    if (actions.length === 0) throw new Error(`${env} has a ${made.spec.actionSpace.type} action space: only Discrete actions can be played with keys`);
    this.game = { spec: made.spec, session: made.session, actions, grid, drawable: !grid, step: 0, returnSoFar: 0, lastReward: null, over: false, episodes: 0, observation: undefined };
    this.emit({ kind: 'game' });
    await this.startEpisode();
  }

  /** Starts a new episode of the current game (the R key, and after each episode's end). */
  async startEpisode(): Promise<void> {
    const g = this.game;
    const client = this.client;
    if (!g || !client) return;
    if (this.resetTimer !== undefined) this.timers.clearTimeout(this.resetTimer);
    this.resetTimer = undefined;
    this.queue.length = 0;
    const reset = await client.reset();
    g.observation = reset.observation;
    if (g.grid) {
      g.grid.state = (await client.render('state')).frame as GridState;
      g.grid.shortestPath = (reset.info as StepInfo).shortestPath;
      g.grid.trail.clear();
      g.grid.trail.push(g.grid.state.agent);
    }
    await this.refreshDraw(g);
    g.step = 0;
    g.returnSoFar = 0;
    g.lastReward = null;
    g.over = false;
    this.emit({ kind: 'episode-start' });
  }

  /** A key mapped to `action` was pressed: queued (up to MAX_QUEUED_KEYS) and played in order. */
  press(action: number): Promise<void> {
    if (!this.game) return Promise.resolve();
    if (this.queue.length < MAX_QUEUED_KEYS) this.queue.push(action);
    return this.drain();
  }

  /** What the canvas shows. */
  view(): PlayView | undefined {
    const g = this.game;
    if (!g) return undefined;
    return {
      env: g.spec.id, episodes: g.over ? g.episodes - 1 : g.episodes, step: g.step, lastReward: g.lastReward, returnSoFar: g.returnSoFar,
      grid: g.grid && { state: g.grid.state, boundary: g.grid.boundary, trail: g.grid.trail.cells() }, draw: g.draw,
    };
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length && this.game && !this.game.over) await this.takeStep(this.queue.shift()!);
    } finally {
      this.busy = false;
    }
  }

  private async takeStep(action: number): Promise<void> {
    const g = this.game!;
    const client = this.client!;
    const result = await client.step(action);
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
    const transition: Transition = {
      session: g.session, env: g.spec.id, episode: g.episodes + 1, observation: g.observation, action, reward,
      nextObservation: result.observation, terminated, truncated,
    };
    g.observation = result.observation;
    await this.refreshDraw(g);
    g.step++;
    g.returnSoFar += reward;
    g.lastReward = reward;
    for (const listener of this.transitionListeners) listener(transition);
    this.emit({ kind: 'step', reward, action, parts });
    if (terminated || truncated) this.endEpisode(terminated, info);
  }

  private endEpisode(terminated: boolean, info: StepInfo): void {
    const g = this.game!;
    g.over = true;
    g.episodes++;
    const ret = info.episode?.return ?? g.returnSoFar;
    const length = info.episode?.length ?? g.step;
    const shortest = g.grid?.shortestPath;
    const text = g.grid
      ? terminated ? `Goal reached in ${length} steps (shortest ${shortest ?? '?'}) · return ${ret.toFixed(2)}` : `Out of time after ${length} steps · return ${ret.toFixed(2)}`
      : `${terminated ? 'Ended' : 'Out of time'} after ${length} steps · return ${ret.toFixed(2)}`;
    // GridWorld's outcomes keep their names (goal, timeout); any environment's are terminated or truncated.
    const outcome = g.grid ? (terminated ? 'goal' : 'timeout') : terminated ? 'terminated' : 'truncated';
    this.emit({ kind: 'episode-end', result: { episode: g.episodes, terminated, length, shortestPath: shortest, return: ret, outcome, text } });
    this.resetTimer = this.timers.setTimeout(() => void this.startEpisode(), NEW_EPISODE_DELAY_MS);
  }

  /** Asks for the draw list of an environment other than GridWorld; one that defines none is asked no more. */
  private async refreshDraw(g: Game): Promise<void> {
    if (!g.drawable || !this.client) return;
    try {
      g.draw = (await this.client.render('draw')).frame as DrawList;
    } catch (err) {
      if (!isRemoteError(err, ErrorCode.BAD_REQUEST)) throw err;
      g.drawable = false;
      g.draw = undefined;
    }
  }

  private emit(change: PlayChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
