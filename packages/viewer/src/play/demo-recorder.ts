/**
 * Human demonstrations: the transitions a person plays on /play, kept while recording is on and written as JSON
 * lines, one transition a line (the format `npm run train -- --demos FILE` reads; docs/agents.md "Demonstrations"):
 *
 *   {"env":"GridWorld-v0","options":{...},"episode":1,"step":1,"observation":[...],"action":3,"reward":-0.8,
 *    "nextObservation":[...],"terminated":false,"truncated":false}
 *
 * `options` are the session's resolved options (spec.options), so that training can refuse demonstrations of another
 * world. `episode` numbers the recorded episodes from 1 and `step` the steps within one. Pure: no DOM, no socket.
 */

/** One recorded transition: a line of the file. */
export interface DemoTransition {
  env: string;
  options: Record<string, unknown>;
  episode: number;
  step: number;
  observation: number[];
  action: number;
  reward: number;
  nextObservation: number[];
  terminated: boolean;
  truncated: boolean;
}

/** Transitions kept at most (about 100 bytes each on a 5x5 grid): past it recording stops and says so. */
export const MAX_DEMO_TRANSITIONS = 200_000;

export class DemoRecorder {
  private readonly lines: DemoTransition[] = [];
  private env: { id: string; options: Record<string, unknown> } | undefined;
  private observation: number[] | undefined;
  private episode = 0;
  private step = 0;
  private episodeOpen = false;
  /** Whether steps are being kept. */
  recording = false;

  constructor(readonly limit = MAX_DEMO_TRANSITIONS) {}

  /** Transitions kept. */
  get count(): number {
    return this.lines.length;
  }

  /** Recorded episodes that have at least one transition. */
  get episodes(): number {
    return new Set(this.lines.map((l) => l.episode)).size;
  }

  /** Whether the limit stopped the recording. */
  get full(): boolean {
    return this.lines.length >= this.limit;
  }

  /** A new session: the environment id and its resolved options, written on every later line. */
  session(env: string, options: Record<string, unknown>): void {
    this.env = { id: env, options: structuredClone(options) };
    this.observation = undefined;
    this.episodeOpen = false;
  }

  /** An episode began with this observation. */
  reset(observation: unknown): void {
    this.observation = flat(observation);
    this.episodeOpen = false;
    this.step = 0;
  }

  /** One step of the player's, with the step's result; kept when recording (and the episode's start was seen). */
  record(action: number, result: { observation: unknown; reward: unknown; terminated: unknown; truncated: unknown }): void {
    const next = flat(result.observation);
    const before = this.observation;
    this.observation = next;
    this.step++;
    if (!this.recording || !this.env || !before || !next || this.full) return;
    if (!this.episodeOpen) {
      this.episode++;
      this.episodeOpen = true;
    }
    this.lines.push({
      env: this.env.id, options: this.env.options, episode: this.episode, step: this.step, observation: before, action,
      reward: Number(result.reward), nextObservation: next, terminated: result.terminated === true, truncated: result.truncated === true,
    });
    if (result.terminated === true || result.truncated === true) this.episodeOpen = false;
  }

  /** Starts or stops keeping steps; a step taken while stopped is not kept, and a later one starts a new episode. */
  setRecording(on: boolean): void {
    this.recording = on;
    this.episodeOpen = false;
  }

  clear(): void {
    this.lines.length = 0;
    this.episode = 0;
    this.episodeOpen = false;
  }

  /** The file: one JSON object a line, each line ending in a newline. */
  toJsonLines(): string {
    return this.lines.map((l) => JSON.stringify(l)).join('\n') + (this.lines.length ? '\n' : '');
  }

  /** A file name that says what the demonstrations are of: `demos-GridWorld-v0-20260101-120000.jsonl`. */
  fileName(now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    return `demos-${(this.env?.id ?? 'env').replace(/[^\w.-]+/g, '_')}-${stamp}.jsonl`;
  }
}

/** A plain observation as a flat list of numbers; undefined for anything else (a packed or nested one is not kept). */
function flat(observation: unknown): number[] | undefined {
  if (Array.isArray(observation) && observation.every((v) => typeof v === 'number')) return observation.slice();
  return undefined;
}
