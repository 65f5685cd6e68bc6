/**
 * One learning measurement: train an agent in chunks, evaluate a greedy copy after each chunk, and note the
 * environment steps and training seconds at which greedy success first reaches the bar. Evaluation runs on a
 * copy (snapshot, restore) so that measuring never changes the agent's own random stream or table, and its time
 * is not counted.
 */
import { makeEnv } from '@rlfs/envs';
import { evaluateBatched, inProcessSource, resolvePlugin, train } from '@rlfs/agents';
import type { Agent, AnyAgentPlugin, Transitions } from '@rlfs/agents';

export interface LearnCase {
  agent: string;
  label: string;
  envOptions: Record<string, unknown>;
  /** Agent options over the plugin's defaults ({} = the defaults). */
  agentOptions?: Record<string, unknown>;
  /** Train on a vector env of this many sub-envs (absent = a scalar env). */
  numEnvs?: number;
  /** Steps between evaluations. */
  every: number;
  /** Give up after this many steps. */
  maxSteps: number;
  /** Greedy success that counts as learnt (default SUCCESS_BAR). */
  bar?: number;
  /** Also require a mean gap at most this (default: no requirement). */
  maxGap?: number;
  /** Learnt when the greedy mean return reaches this instead (environments without success, e.g. CartPole's 475). */
  returnBar?: number;
  /** The environment (default GridWorld-v0). */
  env?: string;
  /** Demonstrations given to the agent before it trains (`--demos`). */
  demos?: Transitions;
}

export interface LearnRun {
  seed: number;
  /** Steps until greedy success >= the bar; null when not reached within maxSteps. */
  steps: number | null;
  seconds: number | null;
  finalSuccess: number | null;
  finalReturn: number;
  finalGap: number | null;
  trainedSteps: number;
  trainSeconds: number;
  /** Seconds spent in the greedy evaluations (not counted in trainSeconds). */
  evalSeconds: number;
}

export const SUCCESS_BAR = 0.95;
export const EVAL_EPISODES = 100;
const EVAL_SEED = 4_000_000;

export async function measure(c: LearnCase, seed: number, log: (line: string) => void): Promise<LearnRun> {
  const { plugin } = await resolvePlugin(c.agent);
  const envId = c.env ?? 'GridWorld-v0';
  const env = makeEnv(envId, c.envOptions);
  const options = plugin.resolveOptions(c.agentOptions ?? {});
  const agent = await plugin.create(env.spec, options, { seed });
  if (c.demos) {
    if (!agent.addDemonstrations) throw new Error(`--demos: the ${c.agent} agent cannot learn from demonstrations`);
    await agent.addDemonstrations(c.demos);
  }
  const source = inProcessSource({ env: envId, options: c.envOptions, ...(c.numEnvs ? { numEnvs: c.numEnvs } : {}) });
  let trainSeconds = 0;
  let evalSeconds = 0;
  let steps = 0;
  let episodes = 0;
  let reached: { steps: number; seconds: number } | undefined;
  let last: Figures = { meanReturn: -Infinity };
  while (steps < c.maxSteps) {
    const result = await train({ agent, source, steps: steps + c.every, start: { steps, episodes }, seed: seed + steps });
    trainSeconds += result.seconds;
    steps = result.steps;
    episodes = result.episodes;
    const evalStart = performance.now();
    last = await greedyCopy(plugin, options, env.spec, agent, seed);
    evalSeconds += (performance.now() - evalStart) / 1000;
    if (process.env.LEARN_VERBOSE) log(`    ${steps} steps, ${trainSeconds.toFixed(1)} s training, ${evalSeconds.toFixed(1)} s evaluating: ${describe(last)}`);
    if (learnt(c, last)) {
      reached = { steps, seconds: trainSeconds };
      break;
    }
  }
  agent.dispose?.();
  log(`  ${c.agent} ${c.label} seed ${seed}: ${reached ? `${reached.steps} steps, ${reached.seconds.toFixed(1)} s` : `not reached in ${steps} steps`} (${describe(last)})`);
  return {
    seed,
    steps: reached?.steps ?? null,
    seconds: reached ? round(reached.seconds) : null,
    finalSuccess: last.successRate ?? null,
    finalReturn: round(last.meanReturn),
    finalGap: last.meanGap === null || last.meanGap === undefined ? null : round(last.meanGap),
    trainedSteps: steps,
    trainSeconds: round(trainSeconds),
    evalSeconds: round(evalSeconds),
  };
}

/**
 * Greedy mean return over `episodes` episodes, episode i on its own env seeded `seed + i`, all played together so
 * that the network runs once per step for every live episode (CartPole's 100 episodes of up to 500 steps would
 * otherwise be 50,000 single-row forward passes per evaluation). The CartPole figures in docs/performance.md were
 * measured on this episode set, which is not the one of @rlfs/agents' evaluate (one env's reset stream).
 */
async function evaluateSeeded(agent: Agent, id: string, options: Record<string, unknown>, episodes: number, seed: number): Promise<Figures> {
  const envs = Array.from({ length: episodes }, () => makeEnv(id, options));
  const first = envs[0]!.reset({ seed }).observation;
  const width = first.length;
  const obs = new Float32Array(episodes * width);
  obs.set(first, 0);
  for (let i = 1; i < episodes; i++) obs.set(envs[i]!.reset({ seed: seed + i }).observation, i * width);
  const returns = new Float64Array(episodes);
  let live = Array.from({ length: episodes }, (_, i) => i);
  while (live.length) {
    const rows = new Float32Array(live.length * width);
    live.forEach((e, k) => rows.set(obs.subarray(e * width, (e + 1) * width), k * width));
    const actions = await agent.act(rows, live.length, false);
    live = live.filter((e, k) => {
      const r = envs[e]!.step(actions[k]!);
      returns[e] += r.reward;
      obs.set(r.observation, e * width);
      return !r.terminated && !r.truncated;
    });
  }
  envs.forEach((env) => env.close());
  return { meanReturn: returns.reduce((a, b) => a + b, 0) / episodes };
}

type Figures = { meanReturn: number; successRate?: number; meanGap?: number | null };

function learnt(c: LearnCase, f: Figures): boolean {
  if (c.returnBar !== undefined) return f.meanReturn >= c.returnBar;
  return (f.successRate ?? 0) >= (c.bar ?? SUCCESS_BAR) && (c.maxGap === undefined || (f.meanGap ?? Infinity) <= c.maxGap);
}

async function greedyCopy(plugin: AnyAgentPlugin, options: object, spec: Parameters<AnyAgentPlugin['create']>[0], agent: Agent, seed: number) {
  const copy = await plugin.create(spec, options, { seed });
  await copy.restore(await agent.snapshot());
  // GridWorld: the episodes of the sequential evaluation (one env, its reset stream), all played at once.
  const result = spec.id === 'GridWorld-v0' ? await evaluateBatched(copy, () => makeEnv(spec.id, spec.options), { episodes: EVAL_EPISODES, seed: EVAL_SEED }) : await evaluateSeeded(copy, spec.id, spec.options, EVAL_EPISODES, EVAL_SEED);
  copy.dispose?.();
  return result;
}

function describe(f: Figures): string {
  const ret = `greedy mean return ${f.meanReturn.toFixed(1)}`;
  return f.successRate === undefined ? ret : `greedy success ${(100 * f.successRate).toFixed(1)}%, gap ${f.meanGap?.toFixed(2) ?? '-'}, ${ret}`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
