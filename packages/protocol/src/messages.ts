/**
 * The messages of protocol 1 (see docs/protocol.md). Every frame is one MessagePack map with a string `type`.
 * Field names and shapes are fixed by the contract; these types only describe them.
 */
import type { DrawList } from './draw';
import type { ErrorCode } from './errors';

export const PROTOCOL_VERSION = 1 as const;

export const MessageType = {
  hello: 'hello',
  welcome: 'welcome',
  error: 'error',
  make: 'make',
  made: 'made',
  reset: 'reset',
  reset_result: 'reset_result',
  step: 'step',
  step_result: 'step_result',
  render: 'render',
  render_result: 'render_result',
  telemetry: 'telemetry',
  close: 'close',
  closed: 'closed',
  sessions: 'sessions',
  sessions_result: 'sessions_result',
  subscribe: 'subscribe',
  subscribed: 'subscribed',
  unsubscribe: 'unsubscribe',
  unsubscribed: 'unsubscribed',
  frame: 'frame',
  episode: 'episode',
  session_closed: 'session_closed',
  draining: 'draining',
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const Role = { agent: 'agent', spectator: 'spectator' } as const;
export type Role = (typeof Role)[keyof typeof Role];

export const Encoding = { plain: 'plain', packed: 'packed' } as const;
export type Encoding = (typeof Encoding)[keyof typeof Encoding];

/** `draw`: the environment's draw list (docs/protocol.md "Draw lists"); BAD_REQUEST where it defines none. */
export const RenderMode = { ansi: 'ansi', state: 'state', draw: 'draw' } as const;
export type RenderMode = (typeof RenderMode)[keyof typeof RenderMode];

export const DTYPES = ['int8', 'uint8', 'int16', 'int32', 'float32', 'float64'] as const;
export type DType = (typeof DTYPES)[number];

// ---- spaces and spec ----

export interface DiscreteSpace {
  type: 'Discrete';
  n: number;
}
/**
 * `low` and `high` each bound every element (a single number) or one element each (a flat row-major list of
 * `product(shape)` numbers); bounds may be `Infinity`/`-Infinity` (MessagePack float64 carries them).
 */
export interface BoxSpace {
  type: 'Box';
  low: number | number[];
  high: number | number[];
  shape: number[];
  dtype: DType;
}
export type Space = DiscreteSpace | BoxSpace;

/** What `made` describes: the environment as the session runs it. */
export interface EnvSpec {
  id: string;
  /** Every option, defaults resolved (`layout` omitted when none was given). */
  options: Record<string, unknown>;
  observationSpace: Space;
  actionSpace: Space;
  maxEpisodeSteps: number;
  numEnvs?: number;
  encoding: Encoding;
  /**
   * One entry per action of a Discrete action space, when the environment names them: what the action does and
   * the keys a person presses for it (docs/protocol.md "Action names and keys"). Absent: clients choose.
   */
  actions?: ActionName[];
}

/** A Discrete action's name (`"push left"`) and keys, as `KeyboardEvent.key` values (`"ArrowLeft"`, `"a"`, `" "`). */
export interface ActionName {
  name: string;
  keys: string[];
}

/** A packed array: little-endian, row-major bytes of `product(shape)` items of `dtype`. */
export interface PackedArray {
  dtype: DType;
  shape: number[];
  data: Uint8Array;
}

export type Cell = [row: number, col: number];

/** GridWorld's `render {mode:"state"}` frame, also the `state` of spectator frames. */
export interface GridState {
  size: number;
  agent: Cell;
  goal: Cell;
  obstacles: Cell[];
}

export interface EpisodeStats {
  return: number;
  length: number;
}

/** Per-env `info`; GridWorld fills `agent`, `goal`, `hitWall`, `shortestPath`; vector autoreset adds the rest. */
export interface StepInfo {
  agent?: Cell;
  goal?: Cell;
  hitWall?: boolean;
  shortestPath?: number;
  episode?: EpisodeStats;
  finalObservation?: unknown;
  [key: string]: unknown;
}

// ---- requests (client -> server) ----

interface Base {
  id?: number;
}
export interface Hello extends Base {
  type: 'hello';
  protocol: number;
  role: Role;
  name?: string;
  token?: string;
}
export interface Make extends Base {
  type: 'make';
  env: string;
  options?: Record<string, unknown>;
  numEnvs?: number;
  seed?: number;
  encoding?: Encoding;
}
export interface Reset extends Base {
  type: 'reset';
  seed?: number;
  options?: Record<string, unknown>;
}
export interface Step extends Base {
  type: 'step';
  action: number | number[] | PackedArray;
}
export interface Render extends Base {
  type: 'render';
  mode: RenderMode;
}
export interface Telemetry extends Base {
  type: 'telemetry';
  metrics: Record<string, number>;
  /** GridWorld's greedy values and actions per cell (docs/protocol.md "Value maps"); a malformed one drops the telemetry. */
  valueMap?: ValueMap;
}

/**
 * An agent's greedy value and action of every cell for the current goal and obstacles, row-major, `size * size`
 * long: `values[i]` is max_a Q(s_i, a) with the agent on cell i (null where no such state: obstacle, goal),
 * `actions[i]` the greedy action 0-3 (-1 where none). `size` is at most 64.
 */
export interface ValueMap {
  size: number;
  goal: [number, number];
  values: (number | null)[];
  actions: number[];
}
export interface Close extends Base {
  type: 'close';
}
export interface Sessions extends Base {
  type: 'sessions';
}
export interface Subscribe extends Base {
  type: 'subscribe';
  session: string;
}
export interface Unsubscribe extends Base {
  type: 'unsubscribe';
  session: string;
}

export type Request = Hello | Make | Reset | Step | Render | Telemetry | Close | Sessions | Subscribe | Unsubscribe;
export type AgentRequest = Make | Reset | Step | Render | Close;
export type SpectatorRequest = Sessions | Subscribe | Unsubscribe;

// ---- replies (server -> client) ----

export interface Welcome extends Base {
  type: 'welcome';
  protocol: number;
  server: string;
  envs: string[];
}
export interface ErrorMessage extends Base {
  type: 'error';
  code: ErrorCode;
  message: string;
}
export interface Made extends Base {
  type: 'made';
  session: string;
  spec: EnvSpec;
}
export interface ResetResult<O = unknown> extends Base {
  type: 'reset_result';
  observation: O;
  info: StepInfo | StepInfo[];
}
export interface StepResult<O = unknown> extends Base {
  type: 'step_result';
  observation: O;
  reward: number | number[] | PackedArray;
  terminated: boolean | boolean[] | PackedArray;
  truncated: boolean | boolean[] | PackedArray;
  info?: StepInfo | StepInfo[];
  /** Packed vector sessions only: the sub-envs whose episode ended in this step. */
  ended?: EndedEpisode[];
}
export interface EndedEpisode {
  index: number;
  finalObservation: PackedArray;
  episode: EpisodeStats;
}
export interface RenderResult extends Base {
  type: 'render_result';
  frame: string | GridState | unknown;
}
export interface Closed extends Base {
  type: 'closed';
}
export interface SessionSummary {
  session: string;
  env: string;
  name: string;
  numEnvs?: number;
  episodes: number;
  steps: number;
}
export interface SessionsResult extends Base {
  type: 'sessions_result';
  sessions: SessionSummary[];
}
export interface Subscribed extends Base {
  type: 'subscribed';
  session: string;
}
export interface Unsubscribed extends Base {
  type: 'unsubscribed';
  session: string;
}

// ---- spectator events (no id) ----

export interface FrameEvent {
  type: 'frame';
  session: string;
  index: number;
  step: number;
  action: number | null;
  reward: number | null;
  terminated: boolean;
  truncated: boolean;
  state: unknown;
  /** The sub-env's draw list, only when its environment defines one (docs/protocol.md "Draw lists"). */
  draw?: DrawList;
}
export interface EpisodeEvent {
  type: 'episode';
  session: string;
  index: number;
  episode: number;
  return: number;
  length: number;
  terminated: boolean;
  shortestPath?: number;
  /** This server's addition: the session's env steps (all sub-envs) at the episode's end. */
  step?: number;
}
export interface TelemetryEvent {
  type: 'telemetry';
  session: string;
  metrics: Record<string, number>;
  /** This server's addition: the session's env steps (all sub-envs) when the telemetry arrived. */
  step?: number;
  valueMap?: ValueMap;
}
/** One telemetry metric's downsampled history: the env step and value of each kept point. */
export interface MetricHistory {
  step: number[];
  value: number[];
}
/**
 * This server's addition (docs/protocol.md "History for late viewers"), sent once right after `subscribed` and
 * before live events: a bounded summary of the session so far. Episode columns are parallel arrays, one entry per
 * kept point; each point stands for `width` consecutive episodes (the last point maybe fewer): `episode` and
 * `step` are those of its last episode, `return`, `length` and `shortestPath` their means.
 */
export interface HistoryEvent {
  type: 'history';
  session: string;
  /** Ended episodes and env steps of the session when the history was taken. */
  episodes: number;
  steps: number;
  width: number;
  episode: number[];
  step: number[];
  return: number[];
  length: number[];
  /** null where the environment reports none. */
  shortestPath: (number | null)[];
  telemetry: Record<string, MetricHistory>;
  /** The latest value of every metric, as last sent. */
  latest: Record<string, number>;
  valueMap?: ValueMap;
}
export interface SessionClosedEvent {
  type: 'session_closed';
  session: string;
}
/**
 * This server's addition to the contract (docs/protocol.md): sent without id to every agent and spectator when the
 * server starts draining. Running episodes may finish until `deadline` (milliseconds since the Unix epoch); each agent
 * connection is closed with 1001 once its episode has ended, the rest at the deadline. New sessions belong elsewhere.
 */
export interface DrainingEvent {
  type: 'draining';
  deadline: number;
}
export type SpectatorEvent = FrameEvent | EpisodeEvent | TelemetryEvent | SessionClosedEvent | HistoryEvent;

export type Reply =
  | Welcome
  | ErrorMessage
  | Made
  | ResetResult
  | StepResult
  | RenderResult
  | Closed
  | SessionsResult
  | Subscribed
  | Unsubscribed;

export type ServerMessage = Reply | SpectatorEvent | DrainingEvent;

/** A reply before its `id` is set: what a server builds for a request (each member of `Reply` without `id`). */
export type ReplyBody = Reply extends infer R ? (R extends Reply ? Omit<R, 'id'> : never) : never;

/** A decoded frame: a map with a string `type`, fields not yet checked. */
export interface Message {
  type: string;
  [key: string]: unknown;
}
