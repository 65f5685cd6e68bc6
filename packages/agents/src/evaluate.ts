/**
 * Greedy evaluation: the agent acts without exploration for a number of episodes; we report how often it
 * reaches the goal, its mean return, and its optimality gap: moves taken minus the BFS shortest path, over the
 * successful episodes (a failed episode has no path to compare, and counts in successRate instead).
 */
import type { EnvLike } from './env-like';
import type { Agent } from './plugin';

export interface EvalEpisode {
  return: number;
  length: number;
  success: boolean;
  shortestPath?: number;
}

export interface EvalResult {
  /** Fraction of episodes that reached the goal. */
  successRate: number;
  meanReturn: number;
  /** Mean of (length - shortestPath) over successful episodes; null when none succeeded. */
  meanGap: number | null;
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
        const episode: EvalEpisode = { return: ret, length, success: r.terminated };
        if (shortest !== undefined) episode.shortestPath = shortest;
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
  const wins = episodes.filter((e) => e.success);
  const gaps = wins.filter((e) => e.shortestPath !== undefined).map((e) => e.length - e.shortestPath!);
  return {
    successRate: n ? wins.length / n : 0,
    meanReturn: n ? mean(episodes.map((e) => e.return)) : 0,
    meanGap: gaps.length ? mean(gaps) : null,
    episodes: n,
    meanLength: n ? mean(episodes.map((e) => e.length)) : 0,
    seed,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
