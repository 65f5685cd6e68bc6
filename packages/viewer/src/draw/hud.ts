/**
 * The counters above the board: sub-env, episode, step, last reward (coloured by sign), return so far.
 */
import type { Box, DrawCmd } from './commands';
import { PALETTE } from './commands';

/** Height of the HUD band above a board, on both pages. */
export const HUD_HEIGHT = 46;

export interface HudData {
  /** Episodes ended in this session so far. */
  episodes: number;
  /** Step within the current episode. */
  step: number;
  /** Reward of the last step, or null right after a reset. */
  lastReward: number | null;
  /** Sum of the rewards of the current episode so far (when known). */
  returnSoFar?: number;
  /** Sub-env shown, in a vector session. */
  index?: number;
  /** Frames received per second (how fast the agent steps). */
  stepsPerSecond?: number;
}

/** Formats a reward with a sign and at most 2 decimals: `+100`, `-0.8`, `-1.14`. */
export function formatReward(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const rounded = Math.round(value * 100) / 100;
  const text = Number.isInteger(rounded) ? String(Math.abs(rounded)) : Math.abs(rounded).toFixed(2).replace(/0$/, '');
  return `${rounded < 0 ? '-' : rounded > 0 ? '+' : ''}${text}`;
}

/** Formats a count compactly: 999, 1.2k, 3.4M. */
export function formatCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)}M`;
}

/** The HUD's label/value pairs, left to right. */
export function hudItems(data: HudData): { label: string; value: string; color: string }[] {
  const items: { label: string; value: string; color: string }[] = [];
  if (data.index !== undefined) items.push({ label: 'env', value: `#${data.index}`, color: PALETTE.text });
  items.push({ label: 'episode', value: formatCount(data.episodes + 1), color: PALETTE.text });
  items.push({ label: 'step', value: String(data.step), color: PALETTE.text });
  const r = data.lastReward;
  items.push({ label: 'reward', value: formatReward(r), color: r === null ? PALETTE.muted : r >= 0 ? PALETTE.positive : PALETTE.negative });
  if (data.returnSoFar !== undefined) items.push({ label: 'return', value: formatReward(data.returnSoFar), color: PALETTE.text });
  if (data.stepsPerSecond !== undefined) items.push({ label: 'steps/s', value: formatCount(data.stepsPerSecond), color: PALETTE.muted });
  return items;
}

/** Lays the HUD items out in `box` (one row). */
export function drawHud(data: HudData, box: Box): DrawCmd[] {
  const items = hudItems(data);
  const out: DrawCmd[] = [];
  const slot = box.w / items.length;
  items.forEach((item, i) => {
    const x = box.x + slot * i + slot / 2;
    out.push({ kind: 'text', x, y: box.y + 2, text: item.label.toUpperCase(), size: 10, fill: PALETTE.muted, align: 'center', baseline: 'top' });
    out.push({ kind: 'text', x, y: box.y + 16, text: item.value, size: 18, fill: item.color, align: 'center', baseline: 'top', bold: true });
  });
  return out;
}
