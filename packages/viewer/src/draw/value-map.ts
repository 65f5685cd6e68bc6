/**
 * An agent's value map on the GridWorld board: each cell coloured by its greedy value (low blue-grey to high
 * green, scaled to the map's own range) and an arrow for its greedy action. Pure.
 */
import type { ValueMap } from '@rlfs/protocol';
import type { DrawCmd } from './commands';
import { hexToRgb } from './commands';
import type { GridGeometry } from './grid';

const LOW = '#2b3a67';
const HIGH = '#3ddc97';
/** Arrow direction per action: 0 up, 1 down, 2 left, 3 right, as [dRow, dCol]. */
const DIRECTIONS: ReadonlyArray<readonly [number, number]> = [[-1, 0], [1, 0], [0, -1], [0, 1]];

/** The colour of `value` on the LOW..HIGH scale between `min` and `max`, with alpha `alpha`. */
export function valueColor(value: number, min: number, max: number, alpha = 0.55): string {
  const t = max > min ? Math.max(0, Math.min(1, (value - min) / (max - min))) : 1;
  const [r1, g1, b1] = hexToRgb(LOW);
  const [r2, g2, b2] = hexToRgb(HIGH);
  const mix = (a: number, b: number): number => Math.round(a + (b - a) * t);
  return `rgba(${mix(r1, r2)},${mix(g1, g2)},${mix(b1, b2)},${alpha})`;
}

/** The smallest and largest known value of the map ([0, 0] when none is known). */
export function valueRange(map: ValueMap): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of map.values) {
    if (v === null) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min === Infinity ? [0, 0] : [min, max];
}

/** One translucent rect per cell with a known value. */
export function valueCellCommands(map: ValueMap, geom: GridGeometry): DrawCmd[] {
  const [min, max] = valueRange(map);
  const out: DrawCmd[] = [];
  for (let i = 0; i < map.values.length; i++) {
    const v = map.values[i];
    if (v === null || v === undefined) continue;
    const row = Math.floor(i / map.size);
    const col = i % map.size;
    out.push({ kind: 'rect', x: geom.x0 + col * geom.cell, y: geom.y0 + row * geom.cell, w: geom.cell, h: geom.cell, fill: valueColor(v, min, max) });
  }
  return out;
}

/** One arrow (a shaft and a head) per cell with a greedy action, pointing where the agent would move. */
export function policyArrowCommands(map: ValueMap, geom: GridGeometry): DrawCmd[] {
  const out: DrawCmd[] = [];
  const half = geom.cell * 0.3;
  const head = geom.cell * 0.14;
  const weight = Math.max(1, geom.cell / 18);
  for (let i = 0; i < map.actions.length; i++) {
    const dir = DIRECTIONS[map.actions[i]!];
    if (!dir) continue;
    const [dr, dc] = dir;
    const cx = geom.x0 + ((i % map.size) + 0.5) * geom.cell;
    const cy = geom.y0 + (Math.floor(i / map.size) + 0.5) * geom.cell;
    const tipX = cx + dc * half;
    const tipY = cy + dr * half;
    out.push({ kind: 'line', x1: cx - dc * half, y1: cy - dr * half, x2: tipX, y2: tipY, stroke: 'rgba(230,235,245,0.85)', weight });
    // the head: a triangle at the tip, its base across the shaft
    out.push({ kind: 'polygon', points: [tipX + dc * head, tipY + dr * head, tipX - dr * head - dc * head * 0.2, tipY - dc * head - dr * head * 0.2, tipX + dr * head - dc * head * 0.2, tipY + dc * head - dr * head * 0.2], fill: 'rgba(230,235,245,0.85)' });
  }
  return out;
}
