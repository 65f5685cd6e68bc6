/**
 * Greedy evaluation with every episode played at once: the same episodes as {@link evaluate} on one environment
 * (the first reset seeded, later ones continuing its stream), but on `batch` environments stepped together, with
 * ONE call of the agent per step for all live episodes instead of one per episode and step. For a network agent
 * that is one forward pass of up to `batch` rows in place of up to `batch` single-row passes, which is most of an
 * evaluation's time (100 episodes of a 8x8 GridWorld: thousands of passes become a few dozen).
 *
 * Episode k must start where the sequential evaluation would start it: after the seeded reset and k more resets
 * of one environment. An environment cannot be copied, so environment j is brought there by replaying those
 * resets (environment j plays episodes j, j + batch, ...). That gives the same episodes when
 * - the environment's `step` draws no random number (only `reset` does): true of GridWorld-v0 and CartPole-v1, not
 *   necessarily of a `defineEnv` environment whose step uses its generator; and
 * - the agent's greedy action depends on the observation alone: DQN's and tabular Q's do, except that an exact tie
 *   between the best actions is broken by the agent's generator, which the batch draws in another order (a tie is
 *   common in tabular Q's unvisited states, practically never in a trained network's outputs).
 * Where those do not hold, use {@link evaluate}. Figures are summed in episode order, so they are equal to the bit.
 */
import type { EnvLike, Observation } from './env-like';
import type { Agent } from './plugin';
import { summarize } from './evaluate';
import type { EvalEpisode, EvalResult, EvaluateOptions } from './evaluate';

/** Built-in environments whose step draws no random number (only their reset does). */
const STEP_WITHOUT_RANDOMNESS: ReadonlySet<string> = new Set(['GridWorld-v0', 'CartPole-v1']);
/** Built-in agents whose greedy action is a function of the observation (DQN: but for an exact tie of floats). */
const GREEDY_FROM_OBSERVATION: ReadonlySet<string> = new Set(['dqn']);

/**
 * Whether {@link evaluateBatched} plays the same episodes as {@link evaluate} for this built-in agent and
 * environment (see the conditions above). Tabular Q is not on the list: its unvisited states tie all four actions.
 */
export function playsSameEpisodesBatched(agent: string, env: string): boolean {
  return GREEDY_FROM_OBSERVATION.has(agent) && STEP_WITHOUT_RANDOMNESS.has(env);
}

export interface BatchedEvaluateOptions extends EvaluateOptions {
  /** Environments stepped together (default: one per episode). Fewer means fewer resets to replay, more steps. */
  batch?: number;
}

interface Slot {
  env: EnvLike;
  /** The episode it plays, -1 when it has none left. */
  episode: number;
  /** The episode its next reset starts (the resets it has done: its position in the reset stream). */
  next: number;
  observation: Observation;
  shortest: number | undefined;
  ret: number;
  length: number;
}

/** Plays `opts.episodes` greedy episodes of `agent` on environments made by `makeEnv`, `batch` at a time. */
export async function evaluateBatched(agent: Agent, makeEnv: () => EnvLike, opts: BatchedEvaluateOptions): Promise<EvalResult> {
  if (opts.batch !== undefined && !(Number.isInteger(opts.batch) && opts.batch >= 1)) throw new RangeError(`evaluateBatched: batch must be a whole number >= 1, got ${opts.batch}`);
  const total = opts.episodes;
  const batch = Math.min(opts.batch ?? total, total);
  const done: Array<EvalEpisode | undefined> = new Array<EvalEpisode | undefined>(total);
  let reported = 0;
  const slots: Slot[] = [];
  try {
    for (let j = 0; j < batch && j < total; j++) {
      const env = makeEnv();
      slots.push({ env, episode: -1, next: 0, observation: new Float32Array(0), shortest: undefined, ret: 0, length: 0 });
    }
    for (let j = 0; j < slots.length; j++) await start(slots[j]!, j, opts.seed);
    // Rows of the observations' own type, so the agent reads what the sequential evaluation would hand it.
    const width = slots[0] ? slots[0].observation.length : 0;
    const Rows = (slots[0]?.observation.constructor ?? Float32Array) as new (length: number) => Observation;
    const rows = new Rows(slots.length * width);
    let live = slots.filter((s) => s.episode >= 0);
    while (live.length && !opts.shouldStop?.()) {
      live.forEach((s, k) => rows.set(s.observation, k * width));
      const actions = await agent.act(rows.subarray(0, live.length * width), live.length, false);
      const chosen = Array.from({ length: live.length }, (_, k) => actions[k]!);
      for (let k = 0; k < live.length; k++) {
        const s = live[k]!;
        const r = await s.env.step(chosen[k]!);
        s.ret += r.reward;
        s.length++;
        s.observation = r.observation;
        if (!r.terminated && !r.truncated) continue;
        const episode: EvalEpisode = { return: s.ret, length: s.length };
        if (s.shortest !== undefined) Object.assign(episode, { success: r.terminated, shortestPath: s.shortest });
        done[s.episode] = episode;
        // Report in episode order, as the sequential evaluation does.
        for (; reported < total && done[reported]; reported++) opts.onEpisode?.(done[reported]!, reported);
        const next = s.episode + slots.length;
        if (next < total) await start(s, next, opts.seed);
        else s.episode = -1;
      }
      live = slots.filter((s) => s.episode >= 0);
    }
  } finally {
    for (const s of slots) await s.env.close();
  }
  // Stopped early: the episodes finished before the first unfinished one, as the sequential evaluation would have.
  return summarize(done.slice(0, reported) as EvalEpisode[], opts.seed);
}

/** Brings `slot`'s environment to the start of episode `k` of the stream seeded by `seed` (k >= its position). */
async function start(slot: Slot, k: number, seed: number): Promise<void> {
  if (slot.next > k) throw new Error(`evaluateBatched: environment already past episode ${k}`);
  let first: Awaited<ReturnType<EnvLike['reset']>> | undefined;
  // The seeded reset starts episode 0; every further reset starts the next episode.
  for (; slot.next <= k; slot.next++) first = await slot.env.reset(slot.next === 0 ? { seed } : {});
  slot.observation = first!.observation;
  slot.shortest = typeof first!.info.shortestPath === 'number' ? first!.info.shortestPath : undefined;
  slot.episode = k;
  slot.ret = 0;
  slot.length = 0;
}
