/**
 * Greedy evaluation: the agent acts without exploration for a number of episodes; we report its mean return for
 * every environment. Where the environment defines success (its reset info carries `shortestPath`, as GridWorld's
 * does: success = reaching the goal, a terminal state), also how often it succeeds and its optimality gap: moves
 * taken minus the BFS shortest path, over the successful episodes (a failed episode has no path to compare, and
 * counts in successRate instead). Elsewhere a terminal state need not be a success (CartPole's is a fall), so
 * neither figure is reported.
 */
import type { EnvLike } from './env-like';
import type { Agent } from './plugin';

export interface EvalEpisode {
  return: number;
  length: number;
  /** Whether the episode reached the goal; absent where the environment defines no success. */
  success?: boolean;
  shortestPath?: number;
}

export interface EvalResult {
  meanReturn: number;
  /** Fraction of episodes that reached the goal; only where the environment defines success. */
  successRate?: number;
  /** Mean of (length - shortestPath) over successful episodes, null when none succeeded; only with successRate. */
  meanGap?: number | null;
  episodes: number;
  meanLength: number;
  seed: number;
}

export interface EvaluateOptions {
  episodes: number;
  /** Seeds the first reset; later episodes continue the environment's stream, so the set is fixed by the seed. */
  seed: number;
  onEpisode?(episode: EvalEpisode, index: number): void;
  shouldStop?(): boolean;
}

/** Plays `episodes` greedy episodes of `agent` on `env`. */
export async function evaluate(agent: Agent, env: EnvLike, opts: EvaluateOptions): Promise<EvalResult> {
  const all: EvalEpisode[] = [];
  for (let k = 0; k < opts.episodes && !opts.shouldStop?.(); k++) {
    let { observation, info } = await env.reset(k === 0 ? { seed: opts.seed } : {});
    const shortest = typeof info.shortestPath === 'number' ? info.shortestPath : undefined;
    let ret = 0;
    let length = 0;
    for (;;) {
      const action = (await agent.act(observation, 1, false))[0]!;
      const r = await env.step(action);
      ret += r.reward;
      length++;
      if (r.terminated || r.truncated) {
        const episode: EvalEpisode = { return: ret, length };
        if (shortest !== undefined) Object.assign(episode, { success: r.terminated, shortestPath: shortest });
        all.push(episode);
        opts.onEpisode?.(episode, k);
        break;
      }
      observation = r.observation;
      info = r.info;
    }
  }
  return summarize(all, opts.seed);
}

/** The figures of a list of evaluated episodes. */
export function summarize(episodes: readonly EvalEpisode[], seed: number): EvalResult {
  const n = episodes.length;
  const result: EvalResult = { meanReturn: n ? mean(episodes.map((e) => e.return)) : 0, episodes: n, meanLength: n ? mean(episodes.map((e) => e.length)) : 0, seed };
  if (!episodes.some((e) => e.success !== undefined)) return result;
  const wins = episodes.filter((e) => e.success);
  const gaps = wins.filter((e) => e.shortestPath !== undefined).map((e) => e.length - e.shortestPath!);
  return { ...result, successRate: n ? wins.length / n : 0, meanGap: gaps.length ? mean(gaps) : null };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
