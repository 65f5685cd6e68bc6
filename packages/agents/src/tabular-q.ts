/**
 * Tabular Q-learning (Watkins 1989). One row of action values per distinct observation, kept in a Map keyed
 * by the observation's values, so it works with every GridWorld encoding (grid, onehot, coords).
 *
 *   Q(s, a) <- Q(s, a) + alpha * (r + gamma * max_a' Q(s', a') - Q(s, a))
 *
 * with max_a' Q(s', a') taken as 0 when s' is terminal. A truncated episode (time limit) still bootstraps:
 * the agent was cut off, the state it stood in still had a future.
 */
import type { Agent, AgentPlugin, AgentSnapshot, Transitions } from './plugin';
import { Metric, definePlugin } from './plugin';
import type { Observation } from './env-like';
import { formatSpace, observationSize } from './env-like';
import { Rng, argmaxRandomTie } from './rng';
import { InvalidAgentOptionsError, UnsupportedSpaceError } from './errors';
import type { EpsilonSchedule, ScheduleKind } from './schedules';
import { epsilonAt, scheduleProblem } from './schedules';

export interface TabularQOptions {
  /** alpha: how far each update moves Q(s, a) towards its target. */
  learningRate: number;
  /** gamma: how much a reward one step later is worth. */
  gamma: number;
  epsilonStart: number;
  epsilonEnd: number;
  /** Environment steps (all sub-envs together) until epsilon reaches epsilonEnd. */
  epsilonDecaySteps: number;
  epsilonSchedule: ScheduleKind;
  /** The value of actions never tried. */
  initialQ: number;
}

export const TABULAR_Q_DEFAULTS: TabularQOptions = {
  learningRate: 0.5,
  gamma: 0.99,
  epsilonStart: 1,
  epsilonEnd: 0.05,
  epsilonDecaySteps: 30_000,
  epsilonSchedule: 'exponential',
  initialQ: 0,
};

export const tabularQPlugin: AgentPlugin<TabularQOptions> = definePlugin<TabularQOptions>({
  name: 'tabular-q',
  description: 'Q-learning with a table keyed by the observation, epsilon-greedy with decay',
  defaultSteps: 50_000,
  defaults: TABULAR_Q_DEFAULTS,
  schema: {
    learningRate: { type: 'number', min: 0, max: 1, minExclusive: true, doc: 'alpha, step size of each update' },
    gamma: { type: 'number', min: 0, max: 1, doc: 'discount factor' },
    epsilonStart: { type: 'number', min: 0, max: 1, doc: 'exploration rate at step 0' },
    epsilonEnd: { type: 'number', min: 0, max: 1, doc: 'exploration rate after epsilonDecaySteps' },
    epsilonDecaySteps: { type: 'number', min: 0, integer: true, doc: 'env steps over which epsilon decays' },
    epsilonSchedule: { type: 'enum', values: ['exponential', 'linear'], doc: 'shape of the decay' },
    initialQ: { type: 'number', doc: 'value of untried actions' },
  },
  create(spec, options, { seed }) {
    if (spec.actionSpace.type !== 'Discrete') {
      throw new UnsupportedSpaceError(`tabular-q needs a Discrete action space, got ${formatSpace(spec.actionSpace)}`);
    }
    const obs = spec.observationSpace;
    if (obs.type === 'Box' && obs.dtype.startsWith('float')) {
      // A table has one row per distinct observation: continuous values almost never repeat, so nothing is learnt.
      throw new UnsupportedSpaceError(`tabular-q needs a Discrete or integer Box observation space (one table row per observation), got ${formatSpace(obs)}: continuous observations never repeat; use --agent dqn`);
    }
    const schedule = scheduleOf(options);
    const problem = scheduleProblem(schedule);
    if (problem) throw new InvalidAgentOptionsError(problem.option, `tabular-q: ${problem.message}`);
    return new TabularQAgent(spec.actionSpace.n, observationSize(spec.observationSpace), options, schedule, seed);
  },
});

/** The agent itself; exported for tests of the update rule. */
export class TabularQAgent implements Agent {
  readonly table = new Map<string, Float64Array>();
  private readonly rng: Rng;
  private steps = 0;
  private actions = new Int32Array(1);

  constructor(
    readonly numActions: number,
    readonly obsSize: number,
    readonly options: TabularQOptions,
    private readonly schedule: EpsilonSchedule,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  get epsilon(): number {
    return epsilonAt(this.schedule, this.steps);
  }

  act(observations: Observation, count: number, explore: boolean): Int32Array {
    if (this.actions.length !== count) this.actions = new Int32Array(count);
    const epsilon = this.epsilon;
    for (let i = 0; i < count; i++) {
      if (explore && this.rng.next() < epsilon) {
        this.actions[i] = this.rng.int(this.numActions);
      } else {
        this.actions[i] = argmaxRandomTie(this.row(observations, i), 0, this.numActions, this.rng);
      }
    }
    return this.actions;
  }

  learn(t: Transitions): void {
    const { learningRate: alpha, gamma } = this.options;
    for (let i = 0; i < t.count; i++) {
      const q = this.row(t.observations, i);
      const a = t.actions[i]!;
      const next = this.row(t.nextObservations, i);
      const bootstrap = t.terminated[i] ? 0 : max(next);
      const target = t.rewards[i]! + gamma * bootstrap;
      q[a] = q[a]! + alpha * (target - q[a]!);
    }
    this.steps += t.count;
  }

  metrics(): Partial<Record<Metric, number>> {
    return { [Metric.epsilon]: this.epsilon };
  }

  /** Q of each row; a row never seen has `initialQ` everywhere (it is not added to the table). */
  actionValues(observations: Observation, count: number): Float64Array {
    const out = new Float64Array(count * this.numActions);
    for (let i = 0; i < count; i++) {
      const row = this.table.get(this.keyOf(observations, i));
      if (row) out.set(row, i * this.numActions);
      else out.fill(this.options.initialQ, i * this.numActions, (i + 1) * this.numActions);
    }
    return out;
  }

  /** The action values of one observation, created at `initialQ` the first time it is seen. */
  valuesOf(observation: Observation): Float64Array {
    return this.row(observation, 0);
  }

  snapshot(): AgentSnapshot {
    const keys = [...this.table.keys()];
    const q = new Float64Array(keys.length * this.numActions);
    keys.forEach((key, i) => q.set(this.table.get(key)!, i * this.numActions));
    return {
      state: { steps: this.steps, rng: this.rng.getState(), keys },
      tensors: { q: { shape: [keys.length, this.numActions], data: q } },
    };
  }

  restore(snapshot: AgentSnapshot): void {
    const keys = snapshot.state.keys as string[];
    const q = snapshot.tensors.q?.data;
    if (!Array.isArray(keys) || !q || q.length !== keys.length * this.numActions) {
      throw new Error(`tabular-q snapshot: ${keys?.length ?? 'no'} keys do not match the q table of ${q?.length ?? 0} values`);
    }
    this.table.clear();
    keys.forEach((key, i) => {
      const row = new Float64Array(this.numActions);
      for (let a = 0; a < this.numActions; a++) row[a] = q[i * this.numActions + a]!;
      this.table.set(key, row);
    });
    this.steps = snapshot.state.steps as number;
    this.rng.setState(snapshot.state.rng as number[]);
  }

  private keyOf(observations: Observation, index: number): string {
    const start = index * this.obsSize;
    let key = '';
    for (let j = 0; j < this.obsSize; j++) key += (j ? ',' : '') + observations[start + j];
    return key;
  }

  private row(observations: Observation, index: number): Float64Array {
    const key = this.keyOf(observations, index);
    let row = this.table.get(key);
    if (!row) {
      row = new Float64Array(this.numActions).fill(this.options.initialQ);
      this.table.set(key, row);
    }
    return row;
  }
}

function max(values: Float64Array): number {
  let best = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > best) best = values[i]!;
  return best;
}

function scheduleOf(o: TabularQOptions): EpsilonSchedule {
  return { kind: o.epsilonSchedule, start: o.epsilonStart, end: o.epsilonEnd, decaySteps: o.epsilonDecaySteps };
}
