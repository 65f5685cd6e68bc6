/**
 * Deep Q-learning (Mnih et al. 2015) on TensorFlow.js, read top to bottom: options, targets, the agent
 * (network, replay, update, target sync), the plugin.
 *
 * The network Q(s, .; theta) is trained towards y = r + gamma * Q_target(s', a*) for transitions sampled from a
 * replay ring; a* = argmax Q_target(s', .) or, with Double DQN, argmax Q(s', .; theta). y = r at terminal states.
 * A time-limit truncation is not terminal: the runner stores it with done = 0 and it bootstraps.
 */
import * as tf from '@tensorflow/tfjs-core';
// Gradients are registered separately from the ops in tfjs-core; variableGrads needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { Agent, AgentPlugin, AgentSnapshot, Transitions } from './plugin';
import { Metric, definePlugin } from './plugin';
import type { AgentSpec, Observation } from './env-like';
import { formatSpace, observationSize } from './env-like';
import { Rng, argmaxRandomTie } from './rng';
import { InvalidAgentOptionsError, UnsupportedSpaceError } from './errors';
import type { EpsilonSchedule, ScheduleKind } from './schedules';
import { epsilonAt, scheduleProblem } from './schedules';
import { ReplayBuffer } from './replay-buffer';
import type { ReplayBatch } from './replay-buffer';
import { Mlp } from './mlp';
import { initBackend } from './backend';
import { makeFeaturizer } from './features';
import type { Featurizer, InputEncoding } from './features';
import { gridViewOf } from './egocentric';
import { resolveAuto } from './dqn-auto';
import type { Auto, DqnAutoOptions } from './dqn-auto';

/**
 * The options a user gives. Those that may be "auto" (learningRate, gamma, bufferSize, targetUpdateInterval,
 * epsilonDecaySteps, and inputEncoding) are worked out from the environment's spec at creation (dqn-auto.ts).
 */
export type DqnOptions = Omit<DqnSettings, keyof DqnAutoOptions> & Auto<DqnAutoOptions>;

/** The options an agent runs with: every "auto" replaced by its value for the environment. */
export interface DqnSettings {
  /** Widths of the hidden layers of the MLP. */
  hiddenSizes: number[];
  /** Adam step size. */
  learningRate: number;
  /** Discount factor. */
  gamma: number;
  /** Transitions the replay ring holds. */
  bufferSize: number;
  /** Transitions per gradient update. */
  batchSize: number;
  /** Environment steps collected before the first update. */
  learningStarts: number;
  /** One gradient update every this many agent steps (vector steps count once). */
  trainFrequency: number;
  /** Copy the online network into the target network every this many updates. */
  targetUpdateInterval: number;
  /** 1 = hard copy; below 1, Polyak averaging target <- tau * online + (1 - tau) * target at each sync. */
  tau: number;
  /** Pick the bootstrap action with the online network, value it with the target network. */
  doubleDqn: boolean;
  /** Huber loss threshold: quadratic below, linear above, so rare large errors do not blow up the gradient. */
  huberDelta: number;
  /** Gradients are rescaled when their global norm exceeds this. */
  maxGradNorm: number;
  /**
   * "onehot": small-integer observations become one indicator per value (see features.ts); "raw": values scaled;
   * "egocentric": GridWorld seen from the agent (obstacles and goal relative to it, egocentric.ts); "auto":
   * egocentric on GridWorld, else onehot.
   */
  inputEncoding: InputEncoding;
  /** Rewards are multiplied by this before learning, keeping Q-values near 1 (GridWorld's goal is worth 100). */
  rewardScale: number;
  epsilonStart: number;
  epsilonEnd: number;
  /** Environment steps (all sub-envs together) until epsilon reaches epsilonEnd. */
  epsilonDecaySteps: number;
  epsilonSchedule: ScheduleKind;
}

export const DQN_DEFAULTS: DqnOptions = {
  hiddenSizes: [64, 64],
  learningRate: 'auto',
  gamma: 'auto',
  bufferSize: 'auto',
  batchSize: 64,
  learningStarts: 500,
  trainFrequency: 1,
  targetUpdateInterval: 'auto',
  tau: 1,
  doubleDqn: true,
  huberDelta: 1,
  maxGradNorm: 10,
  inputEncoding: 'auto',
  rewardScale: 0.1,
  epsilonStart: 1,
  epsilonEnd: 0.05,
  epsilonDecaySteps: 'auto',
  epsilonSchedule: 'linear',
};

/**
 * TD targets of a minibatch: `out[i] = r[i] + gamma * (1 - done[i]) * nextQ[i, a*]`, with a* the argmax of
 * `selectQ` (the online network's values for Double DQN) or of `nextQ` itself. Rows are `numActions` wide.
 */
export function tdTargets(
  rewards: ArrayLike<number>,
  dones: ArrayLike<number>,
  nextQ: ArrayLike<number>,
  selectQ: ArrayLike<number> | null,
  numActions: number,
  gamma: number,
  out: Float32Array,
): Float32Array {
  const chooser = selectQ ?? nextQ;
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let a = 1; a < numActions; a++) if (chooser[i * numActions + a]! > chooser[i * numActions + best]!) best = a;
    out[i] = rewards[i]! + gamma * (1 - dones[i]!) * nextQ[i * numActions + best]!;
  }
  return out;
}

export class DqnAgent implements Agent {
  readonly online: Mlp;
  readonly target: Mlp;
  readonly replay: ReplayBuffer;
  readonly numActions: number;
  readonly obsSize: number;
  /** Turns observations into network inputs. */
  readonly features: Featurizer;
  private optimizer: tf.Optimizer;
  private readonly rng: Rng;
  private readonly batch: ReplayBatch;
  private readonly targets: Float32Array;
  private input: Float32Array;
  private readonly nextInput: Float32Array;
  private actions = new Int32Array(1);
  private steps = 0;
  private agentSteps = 0;
  private updates = 0;
  private lastLoss: tf.Scalar | undefined;
  private lastQMean: tf.Scalar | undefined;

  /** The options as given ("auto" included), as checkpoints record them. */
  readonly options: DqnOptions;
  /** What the agent runs with: the options with every "auto" worked out for this environment. */
  readonly settings: DqnSettings;
  private readonly schedule: EpsilonSchedule;

  constructor(spec: AgentSpec, options: DqnOptions, seed: number) {
    this.options = options;
    this.settings = resolveAuto(spec, options);
    this.schedule = scheduleOf(this.settings);
    const problem = scheduleProblem(this.schedule);
    if (problem) throw new InvalidAgentOptionsError(problem.option, `dqn: ${problem.message}`);
    const o = this.settings;
    if (spec.actionSpace.type !== 'Discrete') throw new UnsupportedSpaceError(`dqn needs a Discrete action space, got ${formatSpace(spec.actionSpace)}`);
    this.numActions = spec.actionSpace.n;
    this.obsSize = observationSize(spec.observationSpace);
    this.features = makeFeaturizer(spec.observationSpace, o.inputEncoding, gridViewOf(spec) ?? boundaryOf(spec));
    this.rng = new Rng(seed);
    const sizes = [this.features.size, ...o.hiddenSizes, this.numActions];
    this.online = new Mlp(sizes, this.rng);
    this.target = new Mlp(sizes, this.rng, false);
    this.target.copyFrom(this.online);
    this.optimizer = tf.train.adam(o.learningRate);
    this.replay = new ReplayBuffer(o.bufferSize, this.features.size);
    this.batch = this.replay.allocateBatch(o.batchSize);
    this.targets = new Float32Array(o.batchSize);
    this.input = new Float32Array(this.features.size);
    this.nextInput = new Float32Array(this.features.size);
  }

  get epsilon(): number {
    return epsilonAt(this.schedule, this.steps);
  }

  /** Epsilon-greedy on the online network; the network runs only when some row acts greedily. */
  act(observations: Observation, count: number, explore: boolean): Int32Array {
    if (this.actions.length !== count) this.actions = new Int32Array(count);
    const width = this.features.size;
    if (this.input.length < count * width) this.input = new Float32Array(count * width);
    const epsilon = explore ? this.epsilon : 0;
    let greedy = 0;
    for (let i = 0; i < count; i++) {
      const random = explore && this.rng.next() < epsilon;
      this.actions[i] = random ? this.rng.int(this.numActions) : -1;
      if (!random) greedy++;
    }
    if (greedy === 0) return this.actions;
    for (let i = 0; i < count; i++) this.features.write(observations, i * this.obsSize, this.input, i * width);
    const q = this.online.predict(this.input, count);
    for (let i = 0; i < count; i++) {
      if (this.actions[i] === -1) this.actions[i] = argmaxRandomTie(q, i * this.numActions, this.numActions, this.rng);
    }
    return this.actions;
  }

  /** Q of each row from the online network in one forward pass, in reward units (undoing rewardScale). */
  actionValues(observations: Observation, count: number): Float32Array {
    const width = this.features.size;
    const input = new Float32Array(count * width);
    for (let i = 0; i < count; i++) this.features.write(observations, i * this.obsSize, input, i * width);
    const q = this.online.predict(input, count);
    const out = new Float32Array(q.length);
    for (let i = 0; i < q.length; i++) out[i] = q[i]! / this.settings.rewardScale;
    return out;
  }

  /** Stores the step's transitions (done = terminated only) and trains when it is time. */
  learn(t: Transitions): void {
    this.store(t);
    this.steps += t.count;
    this.agentSteps++;
    if (this.steps < this.settings.learningStarts || this.agentSteps % this.settings.trainFrequency !== 0) return;
    this.update();
  }

  /**
   * Demonstrations go into the replay ring as the agent's own transitions would (done = terminated only), without
   * counting as env steps: updates still start after `learningStarts` steps of the agent's own. A ring smaller than
   * the demonstrations keeps their last `bufferSize`.
   */
  addDemonstrations(t: Transitions): number {
    this.store(t);
    return Math.min(t.count, this.replay.capacity);
  }

  /** Puts transitions in the replay ring, featurized, rewards scaled, done = terminated only. */
  private store(t: Transitions): void {
    for (let i = 0; i < t.count; i++) {
      this.features.write(t.observations, i * t.obsSize, this.input, 0);
      this.features.write(t.nextObservations, i * t.obsSize, this.nextInput, 0);
      this.replay.add(this.input, 0, t.actions[i]!, t.rewards[i]! * this.settings.rewardScale, this.nextInput, 0, t.terminated[i] === 1);
    }
  }

  /** One gradient step on a sampled minibatch, then the target sync when due. */
  update(): void {
    const { batchSize: size, gamma, doubleDqn, huberDelta, maxGradNorm } = this.settings;
    const b = this.replay.sample(this.rng, this.batch);
    const nextQ = this.target.predict(b.nextObservations, size);
    const selectQ = doubleDqn ? this.online.predict(b.nextObservations, size) : null;
    tdTargets(b.rewards, b.dones, nextQ, selectQ, this.numActions, gamma, this.targets);
    const [loss, qMean] = tf.tidy(() => {
      const x = tf.tensor2d(b.observations, [size, this.features.size]);
      const mask = tf.cast(tf.oneHot(tf.tensor1d(b.actions, 'int32'), this.numActions), 'float32');
      const y = tf.tensor1d(this.targets);
      let mean: tf.Scalar | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const chosen = tf.sum(tf.mul(this.online.forward(x), mask), 1);
        // variableGrads tidies everything but the loss; keep the mean Q for the metrics.
        mean = tf.keep(tf.mean(chosen) as tf.Scalar);
        return tf.losses.huberLoss(y, chosen, undefined, huberDelta) as tf.Scalar;
      }, this.online.weights);
      this.optimizer.applyGradients(clipByGlobalNorm(grads, maxGradNorm));
      return [value, mean!];
    });
    this.lastLoss?.dispose();
    this.lastQMean?.dispose();
    this.lastLoss = loss;
    this.lastQMean = qMean;
    this.updates++;
    if (this.updates % this.settings.targetUpdateInterval === 0) this.target.copyFrom(this.online, this.settings.tau);
  }

  /** Gradient updates so far. */
  get updateCount(): number {
    return this.updates;
  }

  metrics(): Partial<Record<Metric, number>> {
    const m: Partial<Record<Metric, number>> = { [Metric.epsilon]: this.epsilon };
    // Read lazily: a sync per update would stall the backend for numbers nobody looks at.
    if (this.lastLoss) m[Metric.loss] = this.lastLoss.dataSync()[0]!;
    if (this.lastQMean) m[Metric.qMean] = this.lastQMean.dataSync()[0]! / this.settings.rewardScale;
    return m;
  }

  async snapshot(): Promise<AgentSnapshot> {
    const tensors: AgentSnapshot['tensors'] = {};
    this.online.read().forEach((data, i) => (tensors[`online/${i}`] = { shape: [...this.online.weights[i]!.shape], data }));
    this.target.read().forEach((data, i) => (tensors[`target/${i}`] = { shape: [...this.target.weights[i]!.shape], data }));
    const adam = await this.optimizer.getWeights();
    let iterations = 0;
    adam.forEach(({ name, tensor }, i) => {
      // 'iter' is a scalar made for this call (the moments are the optimizer's own variables): free it once read.
      if (name === 'iter') {
        iterations = tensor.dataSync()[0]!;
        tensor.dispose();
      } else tensors[`adam/${i}`] = { shape: [...tensor.shape], data: Float32Array.from(tensor.dataSync()) };
    });
    return {
      state: { steps: this.steps, agentSteps: this.agentSteps, updates: this.updates, rng: this.rng.getState(), adamIterations: iterations, adamSlots: adam.length - 1 },
      tensors,
    };
  }

  async restore(snapshot: AgentSnapshot): Promise<void> {
    const { state, tensors } = snapshot;
    const weights = (prefix: string): Float32Array[] => this.online.weights.map((_, i) => {
      const t = tensors[`${prefix}/${i}`];
      if (!t) throw new Error(`dqn snapshot lacks ${prefix}/${i}`);
      return Float32Array.from(t.data);
    });
    this.online.write(weights('online'));
    this.target.write(weights('target'));
    // A fresh Adam takes the saved moments in order (first moments, then second), after the iteration count.
    this.optimizer.dispose();
    this.optimizer = tf.train.adam(this.settings.learningRate);
    const slots = state.adamSlots as number;
    if (slots > 0) {
      const named: Array<{ name: string; tensor: tf.Tensor }> = [{ name: 'iter', tensor: tf.scalar(state.adamIterations as number, 'int32') }];
      for (let i = 1; i <= slots; i++) {
        const t = tensors[`adam/${i}`];
        if (!t) throw new Error(`dqn snapshot lacks adam/${i}`);
        named.push({ name: `slot${i}`, tensor: tf.tensor(Float32Array.from(t.data), t.shape) });
      }
      await this.optimizer.setWeights(named);
      named.forEach(({ tensor }) => tensor.dispose());
    }
    this.steps = state.steps as number;
    this.agentSteps = state.agentSteps as number;
    this.updates = state.updates as number;
    this.rng.setState(state.rng as number[]);
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.optimizer.dispose();
    this.lastLoss?.dispose();
    this.lastQMean?.dispose();
  }
}

export const dqnPlugin: AgentPlugin<DqnOptions> = definePlugin<DqnOptions>({
  name: 'dqn',
  description: 'deep Q-network on TensorFlow.js: MLP, replay ring, target network, Double DQN, Huber, Adam',
  defaultSteps: 10_000,
  defaults: DQN_DEFAULTS,
  schema: {
    hiddenSizes: { type: 'integers', min: 1, doc: 'hidden layer widths of the MLP' },
    learningRate: { type: 'number', min: 0, minExclusive: true, auto: true, doc: 'Adam step size (auto: from the environment, see docs/agents.md)' },
    gamma: { type: 'number', min: 0, max: 1, auto: true, doc: 'discount factor (auto: from the environment, see docs/agents.md)' },
    bufferSize: { type: 'number', min: 1, integer: true, auto: true, doc: 'replay ring capacity (transitions) (auto: from the environment, see docs/agents.md)' },
    batchSize: { type: 'number', min: 1, integer: true, doc: 'transitions per update' },
    learningStarts: { type: 'number', min: 0, integer: true, doc: 'env steps before the first update' },
    trainFrequency: { type: 'number', min: 1, integer: true, doc: 'one update every this many agent steps' },
    targetUpdateInterval: { type: 'number', min: 1, integer: true, auto: true, doc: 'updates between target syncs (auto: from the environment, see docs/agents.md)' },
    tau: { type: 'number', min: 0, max: 1, minExclusive: true, doc: '1 = hard copy, < 1 = Polyak averaging' },
    doubleDqn: { type: 'boolean', doc: 'Double DQN bootstrap action' },
    huberDelta: { type: 'number', min: 0, minExclusive: true, doc: 'Huber loss threshold' },
    maxGradNorm: { type: 'number', min: 0, minExclusive: true, doc: 'global gradient norm clip' },
    inputEncoding: { type: 'enum', values: ['auto', 'onehot', 'raw', 'egocentric'], doc: 'how observations are fed to the network (auto: egocentric on GridWorld, else onehot; egocentric: GridWorld only)' },
    rewardScale: { type: 'number', min: 0, minExclusive: true, doc: 'rewards are multiplied by this for learning' },
    epsilonStart: { type: 'number', min: 0, max: 1, doc: 'exploration rate at step 0' },
    epsilonEnd: { type: 'number', min: 0, max: 1, doc: 'exploration rate after epsilonDecaySteps' },
    epsilonDecaySteps: { type: 'number', min: 0, integer: true, auto: true, doc: 'env steps over which epsilon decays (auto: from the environment, see docs/agents.md)' },
    epsilonSchedule: { type: 'enum', values: ['linear', 'exponential'], doc: 'shape of the decay' },
  },
  async create(spec, options, { seed }) {
    // Library users who never chose a backend get the best available one (node, then wasm, then cpu).
    await initBackend('auto');
    return new DqnAgent(spec, options, seed);
  },
});

/** Rescales all gradients together so that their global L2 norm is at most `maxNorm`. */
function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  const list = Object.values(grads);
  const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
  const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
  const out: tf.NamedTensorMap = {};
  for (const [name, g] of Object.entries(grads)) out[name] = tf.mul(g, scale);
  return out;
}

function scheduleOf(o: DqnSettings): EpsilonSchedule {
  return { kind: o.epsilonSchedule, start: o.epsilonStart, end: o.epsilonEnd, decaySteps: o.epsilonDecaySteps };
}

/** GridWorld's boundary from the spec's env options ("walls" unless it says "wrap"). */
function boundaryOf(spec: AgentSpec): 'walls' | 'wrap' {
  const options = (spec as { options?: Record<string, unknown> }).options;
  return options?.boundary === 'wrap' ? 'wrap' : 'walls';
}
