/**
 * The agent plugin interface. An algorithm is one file exporting an {@link AgentPlugin}; the registry
 * (registry.ts) lists the built-in ones, and `--agent ./my-agent.ts` loads a user's module that exports one.
 *
 * Agents work on batches so that one interface serves scalar sessions (count 1) and vector sessions (count N):
 * observations are row-major typed arrays, row i at `i * obsSize`.
 */
import type { AgentSpec, MaybePromise, Observation } from './env-like';
import type { OptionSchema } from './options';
import { resolveOptions } from './options';

/** The telemetry metric names the runner streams; an agent reports the `train/` ones it has. */
export const Metric = {
  episodeReturn: 'episode/return',
  episodeLength: 'episode/length',
  epsilon: 'train/epsilon',
  loss: 'train/loss',
  qMean: 'train/q_mean',
  stepsPerSecond: 'perf/steps_per_second',
} as const;
export type Metric = (typeof Metric)[keyof typeof Metric];

/** One environment step of `count` sub-environments. */
export interface Transitions {
  count: number;
  obsSize: number;
  /** `[count * obsSize]`: the observations the actions were chosen on. */
  observations: Observation;
  actions: Int32Array;
  rewards: Float64Array;
  /** `[count * obsSize]`: the next observations; for an ended episode its final observation, not the reset one. */
  nextObservations: Observation;
  /** 1 where the episode reached a terminal state: no bootstrap from the next observation. */
  terminated: Uint8Array;
  /** 1 where the time limit cut the episode: the next state still has a value, so it is bootstrapped. */
  truncated: Uint8Array;
}

/** A numeric array saved in the checkpoint's binary file. */
export interface SavedTensor {
  shape: number[];
  data: Float32Array | Float64Array | Int32Array;
}

/** Everything an agent needs to continue exactly where it was: JSON `state` plus named arrays. */
export interface AgentSnapshot {
  state: Record<string, unknown>;
  tensors: Record<string, SavedTensor>;
}

/** A live agent bound to one environment spec. Methods may return promises; the runner awaits them. */
export interface Agent {
  /**
   * Chooses one action per row of `observations` (`count` rows). `explore` is true while training
   * (epsilon-greedy and the like) and false for greedy evaluation. The returned array may be reused by the agent.
   */
  act(observations: Observation, count: number, explore: boolean): MaybePromise<ArrayLike<number>>;
  /**
   * The action values Q(s, .) of each of `count` rows, row-major (`count * numActions`), in reward units, without
   * exploring or changing the agent. Agents that have values implement it (the GridWorld value map uses it).
   */
  actionValues?(observations: Observation, count: number): MaybePromise<ArrayLike<number>>;
  /** Learns from one step's transitions. Agents that do not learn omit it. */
  learn?(transitions: Transitions): MaybePromise<void>;
  /**
   * Takes demonstrations (a person's transitions, `train --demos`) before training, e.g. into a replay buffer; returns
   * how many it kept. Agents that cannot learn from them omit it, and `--demos` is refused for them.
   */
  addDemonstrations?(transitions: Transitions): MaybePromise<number>;
  /** The `train/...` metrics of the latest update, e.g. `{ 'train/epsilon': 0.3, 'train/loss': 0.02 }`. */
  metrics?(): Partial<Record<Metric, number>>;
  /** Captures the agent's state for a checkpoint. */
  snapshot(): MaybePromise<AgentSnapshot>;
  /** Restores a state captured by `snapshot` of an agent created with the same spec and options. */
  restore(snapshot: AgentSnapshot): MaybePromise<void>;
  /** Frees what the agent holds outside the JS heap (tensors). */
  dispose?(): void;
}

export interface AgentContext {
  /** Seeds the agent's own generator: same seed, same run. */
  seed: number;
}

/** An algorithm: its options, their defaults, and a factory of agents. */
export interface AgentPlugin<O extends object = Record<string, unknown>> {
  /** The name `--agent` takes and checkpoints record. */
  readonly name: string;
  /** One line for --help. */
  readonly description: string;
  /** Every option with the default that solves GridWorld-v0 5x5. */
  readonly defaults: Readonly<O>;
  /** Environment steps `train` runs when no --steps or --episodes is given (enough for GridWorld-v0 5x5). */
  readonly defaultSteps?: number;
  /** Per option: its type, range and a doc line (for validation and --help). */
  readonly schema: { readonly [K in keyof O]: OptionSchema };
  /**
   * Checks user options over the defaults.
   * @throws InvalidAgentOptionsError naming the bad option and what was expected.
   */
  resolveOptions(user: unknown): O;
  /**
   * Builds a fresh agent for an environment.
   * @throws UnsupportedSpaceError when the spaces are not ones the algorithm handles.
   */
  create(spec: AgentSpec, options: O, context: AgentContext): MaybePromise<Agent>;
}

/** A plugin with its option type erased, as the registry and the runner hold them. */
export type AnyAgentPlugin = AgentPlugin<object>;

/**
 * Builds a plugin from its parts, deriving `resolveOptions` from `defaults` and `schema`:
 * what a user's own algorithm module calls (see docs/agents.md).
 */
export function definePlugin<O extends object>(parts: Omit<AgentPlugin<O>, 'resolveOptions'>): AgentPlugin<O> {
  return { ...parts, resolveOptions: (user: unknown) => resolveOptions(parts.name, parts.defaults as O, parts.schema, user) };
}

/** True when `value` has the shape of a plugin (used on user modules loaded by path). */
export function isAgentPlugin(value: unknown): value is AnyAgentPlugin {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<AgentPlugin>;
  return typeof v.name === 'string' && typeof v.create === 'function' && typeof v.resolveOptions === 'function'
    && typeof v.defaults === 'object' && v.defaults !== null && typeof v.schema === 'object' && v.schema !== null;
}
