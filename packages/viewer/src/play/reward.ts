/**
 * Why a GridWorld step earned its reward, from the contract's formula:
 * `step + shaping * (d_before - d_after) / size + (bumped ? wall : 0) + (reached ? goal : 0)`,
 * d the Euclidean agent-goal distance, each axis difference taken the shorter way round under wrap. Pure.
 */
import type { Cell } from '@rlfs/protocol';

export interface Rewards {
  step: number;
  goal: number;
  wall: number;
  shaping: number;
}

export const DEFAULT_REWARDS: Rewards = { step: -1, goal: 100, wall: -1, shaping: 1 };

export interface RewardParts {
  step: number;
  shaping: number;
  wall: number;
  goal: number;
  total: number;
}

/** Agent-goal distance: Euclidean, torus-aware when `wrap`. */
export function gridDistance(a: Cell, b: Cell, size: number, wrap: boolean): number {
  let dr = Math.abs(a[0] - b[0]);
  let dc = Math.abs(a[1] - b[1]);
  if (wrap) {
    dr = Math.min(dr, size - dr);
    dc = Math.min(dc, size - dc);
  }
  return Math.sqrt(dr * dr + dc * dc);
}

export interface StepFacts {
  before: Cell;
  after: Cell;
  goal: Cell;
  hitWall: boolean;
  reached: boolean;
}

/** The components of one step's reward (their sum is the reward the server pays). */
export function rewardBreakdown(env: { rewards: Rewards; size: number; boundary: 'walls' | 'wrap' }, facts: StepFacts): RewardParts {
  const wrap = env.boundary === 'wrap';
  const dBefore = gridDistance(facts.before, facts.goal, env.size, wrap);
  const dAfter = gridDistance(facts.after, facts.goal, env.size, wrap);
  const parts = {
    step: env.rewards.step,
    shaping: (env.rewards.shaping * (dBefore - dAfter)) / env.size,
    wall: facts.hitWall ? env.rewards.wall : 0,
    goal: facts.reached ? env.rewards.goal : 0,
  };
  return { ...parts, total: parts.step + parts.shaping + parts.wall + parts.goal };
}

/** Reads `spec.options.rewards` (every key resolved by the server), falling back to the defaults. */
export function rewardsOf(options: Record<string, unknown>): Rewards {
  const r = (options.rewards ?? {}) as Partial<Rewards>;
  return { ...DEFAULT_REWARDS, ...r };
}

/** "−1 step, +0.20 shaping, +100 goal": the non-zero parts, signed, at most 2 decimals. */
export function describeParts(parts: RewardParts): { name: keyof Omit<RewardParts, 'total'>; value: number }[] {
  return (['step', 'shaping', 'wall', 'goal'] as const).filter((name) => name === 'step' || parts[name] !== 0).map((name) => ({ name, value: parts[name] }));
}

/** Parses a layout typed by a person: rows split by newlines, commas or spaces; blank means none. */
export function parseLayoutText(text: string): string[] | undefined {
  const rows = text.split(/[\s,]+/).map((r) => r.trim()).filter(Boolean);
  return rows.length ? rows : undefined;
}
