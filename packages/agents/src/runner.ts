/**
 * The training loop: one loop for scalar and vector environments, in-process or remote (every env call is
 * awaited). It feeds each step's transitions to the agent, records episodes, streams telemetry with the fixed
 * metric names, calls back for checkpoints, and survives a dropped connection by reopening the source with
 * backoff: the agent object is untouched, so training resumes on the new session without losing anything but
 * the episode that was cut.
 */
import { ClientErrorCode, CloseCode, ConnectionClosedError, ErrorCode, ProtocolError } from '@rlfs/protocol';
import type { StepInfo } from '@rlfs/protocol';
import type { EnvLike, Observation, VectorEnvLike } from './env-like';
import { isVectorEnv, observationSize } from './env-like';
import type { Agent, Transitions } from './plugin';
import { Metric } from './plugin';
import type { EnvSource, OpenedEnv } from './sources';
import type { Progress } from './checkpoint';

/** One finished training episode, as episodes.csv records it. */
export interface EpisodeRecord {
  episode: number;
  return: number;
  length: number;
  /** BFS moves from the start to the goal, where the env reports it. */
  shortestPath?: number;
  /** True when the episode reached the goal (terminated), false when the time limit cut it. */
  success: boolean;
  /** Environment steps trained when it ended. */
  steps: number;
}

export interface ReconnectPolicy {
  /** Attempts before giving up (each failed open or dropped session counts; a step that succeeds resets it). */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Longest stretch of in-process training without a turn of the event loop. */
const YIELD_EVERY_MS = 10;

export const DEFAULT_RECONNECT: ReconnectPolicy = { retries: 8, baseDelayMs: 250, maxDelayMs: 8_000 };

export interface TrainOptions {
  agent: Agent;
  source: EnvSource;
  /** An environment already opened from `source` (to read its spec before creating the agent); used first. */
  first?: OpenedEnv;
  /** Stop after this many environment steps (all sub-envs together)... */
  steps?: number;
  /** ...or after this many episodes, whichever comes first. At least one budget is needed. */
  episodes?: number;
  /** Seeds the first reset; sub-env i of a vector gets seed + i. */
  seed: number;
  /** Where a resumed run starts counting. */
  start?: Progress;
  onEpisode?(record: EpisodeRecord): void | Promise<void>;
  /** Called every `checkpointEvery` episodes and once at the end. */
  onCheckpoint?(progress: Progress): void | Promise<void>;
  checkpointEvery?: number;
  /** Called about every `reportEvery` steps with the latest figures (progress bar, telemetry). */
  onReport?(report: TrainReport): void;
  reportEvery?: number;
  /** Polled every step; true stops the run cleanly (Ctrl-C). */
  shouldStop?(): boolean;
  /** Polled every step; true ends the run with `stoppedBy: 'target'` (`--stop-at`). */
  targetReached?(): boolean;
  /** Work done every so many environment steps with the session's telemetry channel (evaluation, value maps). */
  periodic?: PeriodicTask[];
  reconnect?: ReconnectPolicy;
  /** Injected for tests. */
  sleep?(ms: number): Promise<void>;
  now?(): number;
  log?(message: string): void;
}

export interface TrainReport extends Progress {
  stepsPerSecond: number;
  metrics: Partial<Record<Metric, number>>;
}

/** Sends telemetry on the training session: metrics, plus documented extensions (`valueMap`) beside them. */
export type TelemetrySink = (metrics: Record<string, number>, extensions?: Record<string, unknown>) => void;

/** What a periodic task sees when it runs. */
export interface PeriodicContext {
  progress: Progress;
  /** The current observation of (sub-)environment 0. */
  observation: Observation;
  /** The training session's telemetry; absent in process (there are no spectators to send to). */
  telemetry?: TelemetrySink;
}

export interface PeriodicTask {
  /** Runs each time the run's env steps reach a multiple of `every` (vector steps may overshoot it: then right after). */
  every: number;
  /** Also run once when the budget ends, unless the last run was at that very step. */
  atEnd?: boolean;
  run(context: PeriodicContext): void | Promise<void>;
}

export interface TrainResult extends Progress {
  seconds: number;
  /** Why the loop ended: budget spent, Ctrl-C, or `targetReached` said so. */
  stoppedBy: 'budget' | 'signal' | 'target';
  reconnects: number;
}

/** Trains `agent` on environments from `source` until a budget is spent or `shouldStop` says so. */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  if (opts.steps === undefined && opts.episodes === undefined) throw new RangeError('train needs a steps or an episodes budget');
  const loop = new TrainLoop(opts);
  return loop.run();
}

/**
 * Errors after which reopening the source may help: the connection dropped, could not open, or timed out, or the
 * server takes no new session (UNAVAILABLE: full or draining; behind a load balancer the next opening lands elsewhere).
 */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof ProtocolError)) return false;
  return err.code === ClientErrorCode.CONNECTION_CLOSED || err.code === ClientErrorCode.CONNECT_FAILED || err.code === ClientErrorCode.TIMEOUT || err.code === ErrorCode.UNAVAILABLE;
}

/** A server that drains (close 1001 after the episode) or is full (UNAVAILABLE) sends the trainer elsewhere: not a failure. */
function isServerLeaving(err: Error): boolean {
  if (err instanceof ConnectionClosedError) return err.closeCode === CloseCode.GOING_AWAY && /draining/.test(err.closeReason ?? '');
  return err instanceof ProtocolError && err.code === ErrorCode.UNAVAILABLE;
}

class TrainLoop {
  private steps: number;
  private episodes: number;
  private reconnects = 0;
  private failures = 0;
  private readonly now: () => number;
  private readonly started: number;
  private lastReportSteps: number;
  private lastReportTime: number;
  private opened: OpenedEnv | undefined;
  /** The latest observation of (sub-)environment 0, for the periodic tasks. */
  private current: Observation | undefined;
  private lastYield = performance.now();
  private readonly tasks: Array<{ task: PeriodicTask; next: number; last: number }>;
  /** The env step at which the next periodic task is due (Infinity without tasks). */
  private nextDue: number;

  constructor(private readonly o: TrainOptions) {
    this.steps = o.start?.steps ?? 0;
    this.episodes = o.start?.episodes ?? 0;
    this.now = o.now ?? (() => performance.now());
    this.started = this.now();
    this.lastReportSteps = this.steps;
    this.lastReportTime = this.started;
    for (const task of o.periodic ?? []) {
      if (!(Number.isInteger(task.every) && task.every >= 1)) throw new RangeError(`a periodic task runs every N >= 1 steps, got ${task.every}`);
    }
    this.tasks = (o.periodic ?? []).map((task) => ({ task, next: nextMultiple(this.steps, task.every), last: -1 }));
    this.nextDue = this.earliest();
  }

  async run(): Promise<TrainResult> {
    let stoppedBy: TrainResult['stoppedBy'] = 'budget';
    try {
      for (let session = 0; ; session++) {
        try {
          this.opened = session === 0 && this.o.first ? this.o.first : await this.o.source.open();
          // The first session starts from the run's seed; later ones from a seed derived from the progress.
          const seed = session === 0 ? this.o.seed : (this.o.seed + this.episodes + 7919 * session) % 2 ** 31;
          stoppedBy = isVectorEnv(this.opened.env) ? await this.runVector(this.opened.env, seed) : await this.runScalar(this.opened.env, seed);
          if (stoppedBy !== 'signal') await this.runTasks(true);
          break;
        } catch (err) {
          if (!isConnectionError(err) || this.failures >= (this.o.reconnect ?? DEFAULT_RECONNECT).retries) throw err;
          await this.backoff(err as Error);
        } finally {
          await this.opened?.close();
          this.opened = undefined;
        }
      }
    } finally {
      await this.o.onCheckpoint?.(this.progress());
    }
    return { ...this.progress(), seconds: (this.now() - this.started) / 1000, stoppedBy, reconnects: this.reconnects };
  }

  private async runScalar(env: EnvLike, seed: number): Promise<TrainResult['stoppedBy']> {
    const obsSize = observationSize(env.spec.observationSpace);
    const t = transitions(1, obsSize);
    let { observation, info } = await env.reset({ seed });
    let shortest = info.shortestPath;
    let ret = 0;
    let len = 0;
    for (;;) {
      await this.breathe();
      const stop = this.budgetSpent();
      if (stop) return stop;
      const action = (await this.o.agent.act(observation, 1, true))[0]!;
      const r = await env.step(action);
      this.failures = 0;
      t.observations = observation;
      t.nextObservations = r.observation;
      t.actions[0] = action;
      t.rewards[0] = r.reward;
      t.terminated[0] = r.terminated ? 1 : 0;
      t.truncated[0] = r.truncated ? 1 : 0;
      await this.o.agent.learn?.(t);
      this.steps++;
      ret += r.reward;
      len++;
      if (r.terminated || r.truncated) {
        await this.endEpisode(r.info.episode?.return ?? ret, r.info.episode?.length ?? len, shortest, r.terminated);
        ({ observation, info } = await env.reset());
        shortest = info.shortestPath;
        ret = 0;
        len = 0;
      } else {
        observation = r.observation;
      }
      this.maybeReport();
      this.current = observation;
      // Checked here, not in runTasks: an await per step would cost the in-process loop a microtask turn per step.
      if (this.steps >= this.nextDue) await this.runTasks(false);
    }
  }

  private async runVector(env: VectorEnvLike, seed: number): Promise<TrainResult['stoppedBy']> {
    const n = env.numEnvs;
    const obsSize = observationSize(env.spec.observationSpace);
    const t = transitions(n, obsSize);
    await env.reset({ seed });
    // The env's buffers are overwritten by each call: the loop keeps its own copies.
    t.observations = copyOf(env.observations);
    t.nextObservations = copyOf(env.observations);
    const shortest = Array.from({ length: n }, (_, i) => shortestOf(env.infoAt?.(i)));
    for (;;) {
      await this.breathe();
      const stop = this.budgetSpent();
      if (stop) return stop;
      const actions = await this.o.agent.act(t.observations, n, true);
      for (let i = 0; i < n; i++) t.actions[i] = actions[i]!;
      await env.step(t.actions);
      this.failures = 0;
      t.nextObservations.set(env.observations);
      for (const e of env.ended) t.nextObservations.set(e.finalObservation, e.index * obsSize);
      for (let i = 0; i < n; i++) {
        t.rewards[i] = env.rewards[i]!;
        t.terminated[i] = env.terminated[i] ? 1 : 0;
        t.truncated[i] = env.truncated[i] ? 1 : 0;
      }
      await this.o.agent.learn?.(t);
      this.steps += n;
      for (const e of env.ended) {
        await this.endEpisode(e.episode.return, e.episode.length, shortest[e.index], t.terminated[e.index] === 1);
        shortest[e.index] = shortestOf(env.infoAt?.(e.index));
      }
      t.observations.set(env.observations);
      this.maybeReport();
      this.current = t.observations.subarray(0, obsSize);
      if (this.steps >= this.nextDue) await this.runTasks(false);
    }
  }

  /**
   * In-process environments never wait, so `await` alone never leaves the microtask queue: signals (Ctrl-C),
   * timers and sockets would starve. Yield to the event loop every few milliseconds.
   */
  private async breathe(): Promise<void> {
    const now = performance.now();
    if (now - this.lastYield < YIELD_EVERY_MS) return;
    this.lastYield = now;
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Runs the periodic tasks that are due (at the end: those that ask for a last run). */
  private async runTasks(atEnd: boolean): Promise<void> {
    for (const entry of this.tasks) {
      const due = atEnd ? entry.task.atEnd === true && entry.last !== this.steps : this.steps >= entry.next;
      if (!due || !this.current) continue;
      entry.next = nextMultiple(this.steps, entry.task.every);
      entry.last = this.steps;
      const send = this.opened?.telemetry;
      await entry.task.run({ progress: this.progress(), observation: this.current, ...(send ? { telemetry: send } : {}) });
    }
    this.nextDue = this.earliest();
  }

  private earliest(): number {
    return this.tasks.reduce((min, e) => Math.min(min, e.next), Infinity);
  }

  private budgetSpent(): TrainResult['stoppedBy'] | undefined {
    if (this.o.shouldStop?.()) return 'signal';
    if (this.o.targetReached?.()) return 'target';
    if (this.o.steps !== undefined && this.steps >= this.o.steps) return 'budget';
    if (this.o.episodes !== undefined && this.episodes >= this.o.episodes) return 'budget';
    return undefined;
  }

  private async endEpisode(ret: number, length: number, shortestPath: number | undefined, success: boolean): Promise<void> {
    this.episodes++;
    const record: EpisodeRecord = { episode: this.episodes, return: ret, length, success, steps: this.steps };
    if (shortestPath !== undefined) record.shortestPath = shortestPath;
    this.opened?.telemetry?.({ [Metric.episodeReturn]: ret, [Metric.episodeLength]: length });
    await this.o.onEpisode?.(record);
    const every = this.o.checkpointEvery;
    if (every && this.episodes % every === 0) await this.o.onCheckpoint?.(this.progress());
  }

  private maybeReport(): void {
    const every = this.o.reportEvery ?? 200;
    if (this.steps - this.lastReportSteps < every) return;
    const now = this.now();
    const seconds = (now - this.lastReportTime) / 1000;
    const report: TrainReport = {
      ...this.progress(),
      stepsPerSecond: seconds > 0 ? (this.steps - this.lastReportSteps) / seconds : 0,
      metrics: this.o.agent.metrics?.() ?? {},
    };
    this.lastReportSteps = this.steps;
    this.lastReportTime = now;
    this.opened?.telemetry?.({ ...report.metrics, [Metric.stepsPerSecond]: report.stepsPerSecond } as Record<string, number>);
    this.o.onReport?.(report);
  }

  private async backoff(err: Error): Promise<void> {
    const policy = this.o.reconnect ?? DEFAULT_RECONNECT;
    const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** this.failures);
    this.failures++;
    this.reconnects++;
    if (isServerLeaving(err)) this.o.log?.(`server ${this.o.source.where} is draining or full (${err.message}); reconnecting in ${delay} ms`);
    else this.o.log?.(`connection lost (${err.message}); reconnecting in ${delay} ms (attempt ${this.failures} of ${policy.retries})`);
    await (this.o.sleep ?? defaultSleep)(delay);
  }

  private progress(): Progress {
    return { steps: this.steps, episodes: this.episodes };
  }
}

/** The first multiple of `every` above `steps`. */
function nextMultiple(steps: number, every: number): number {
  return (Math.floor(steps / every) + 1) * every;
}

function transitions(count: number, obsSize: number): Transitions {
  return {
    count,
    obsSize,
    observations: new Float32Array(0),
    nextObservations: new Float32Array(0),
    actions: new Int32Array(count),
    rewards: new Float64Array(count),
    terminated: new Uint8Array(count),
    truncated: new Uint8Array(count),
  };
}

function copyOf(values: Observation): Observation {
  return values.slice();
}

function shortestOf(info: StepInfo | undefined): number | undefined {
  return typeof info?.shortestPath === 'number' ? info.shortestPath : undefined;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
