/** Reconnect delays: doubling from `base` up to `max`, with optional jitter (injected for exact tests). */

export interface BackoffOptions {
  /** First delay in ms (default 500). */
  base: number;
  /** Longest delay in ms (default 8000). */
  max: number;
  /** Fraction of the delay added at random, 0..1 (default 0.2). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { base: 500, max: 8000, jitter: 0.2 };

/** The delay before reconnect attempt `attempt` (0 for the first retry). `random` returns 0..1. */
export function backoffDelay(attempt: number, options: Partial<BackoffOptions> = {}, random: () => number = Math.random): number {
  const o = { ...DEFAULT_BACKOFF, ...options };
  const raw = Math.min(o.max, o.base * 2 ** Math.max(0, attempt));
  return Math.round(raw * (1 + o.jitter * random()));
}
