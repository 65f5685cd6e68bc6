/**
 * The GridWorld board as draw commands: cells, obstacles, the boundary (walls solid, wrap dashed with arrows
 * through the edges), the agent's recent trail, the goal and the agent. Pure: a function of the state.
 */
import type { Cell, GridState, ValueMap } from '@rlfs/protocol';
import type { Box, DrawCmd } from './commands';
import { PALETTE, withAlpha } from './commands';
import { policyArrowCommands, valueCellCommands } from './value-map';

/** `unknown` until a spectator has seen a move at the edge (drawn as a thin neutral frame). */
export type Boundary = 'walls' | 'wrap' | 'unknown';

export interface GridView {
  state: GridState;
  /** How the edges behave; unknown boundaries are drawn as walls. */
  boundary?: Boundary;
  /** Recent agent cells, oldest first (the current cell may be last). */
  trail?: readonly Cell[];
  /** An agent's value map to overlay (colours and arrows), when its size matches the board. */
  valueMap?: ValueMap;
}

/** Where the board sits in its box: top-left corner and cell side, in pixels. */
export interface GridGeometry {
  size: number;
  x0: number;
  y0: number;
  cell: number;
}

/**
 * Fits a `size` x `size` board in `box`, centred, leaving `margin` pixels around it for the boundary marks.
 * Cells are whole pixels when they are large enough, so that lines stay crisp.
 */
export function gridGeometry(size: number, box: Box, margin = 14): GridGeometry {
  const side = Math.max(0, Math.min(box.w, box.h) - 2 * margin);
  let cell = side / Math.max(1, size);
  if (cell >= 4) cell = Math.floor(cell);
  const board = cell * size;
  return { size, cell, x0: box.x + (box.w - board) / 2, y0: box.y + (box.h - board) / 2 };
}

/** The pixel centre of a cell `[row, col]`. */
export function cellCenter(geom: GridGeometry, [row, col]: Cell): [number, number] {
  return [geom.x0 + (col + 0.5) * geom.cell, geom.y0 + (row + 0.5) * geom.cell];
}

/** The cell under a pixel, or undefined off the board. */
export function cellAt(geom: GridGeometry, x: number, y: number): Cell | undefined {
  const col = Math.floor((x - geom.x0) / geom.cell);
  const row = Math.floor((y - geom.y0) / geom.cell);
  if (row < 0 || col < 0 || row >= geom.size || col >= geom.size) return undefined;
  return [row, col];
}

/** The board's draw commands, back to front. */
export function drawGrid(view: GridView, box: Box): DrawCmd[] {
  const { state } = view;
  const geom = gridGeometry(state.size, box);
  const { x0, y0, cell, size } = geom;
  const board = cell * size;
  const out: DrawCmd[] = [];

  out.push({ kind: 'rect', x: x0, y: y0, w: board, h: board, fill: PALETTE.cell });
  // Grid lines instead of one rect per cell: 2(size+1) lines whatever the size.
  if (cell >= 6) {
    const weight = cell >= 24 ? 2 : 1;
    for (let i = 1; i < size; i++) {
      out.push({ kind: 'line', x1: x0 + i * cell, y1: y0, x2: x0 + i * cell, y2: y0 + board, stroke: PALETTE.gridLine, weight });
      out.push({ kind: 'line', x1: x0, y1: y0 + i * cell, x2: x0 + board, y2: y0 + i * cell, stroke: PALETTE.gridLine, weight });
    }
  }

  const values = view.valueMap && view.valueMap.size === size ? view.valueMap : undefined;
  if (values) out.push(...valueCellCommands(values, geom));

  const inset = cell >= 12 ? Math.max(1, cell * 0.06) : 0;
  for (const [r, c] of state.obstacles) {
    out.push({ kind: 'rect', x: x0 + c * cell + inset, y: y0 + r * cell + inset, w: cell - 2 * inset, h: cell - 2 * inset, fill: PALETTE.obstacle, stroke: cell >= 12 ? PALETTE.obstacleEdge : undefined, weight: 1, radius: cell * 0.12 });
  }

  out.push(...boundaryCommands(geom, view.boundary ?? 'walls'));
  out.push(...trailCommands(geom, view.trail ?? [], view.boundary === 'wrap'));
  if (values) out.push(...policyArrowCommands(values, geom));

  const gi = cell * 0.16;
  out.push({ kind: 'rect', x: x0 + state.goal[1] * cell + gi, y: y0 + state.goal[0] * cell + gi, w: cell - 2 * gi, h: cell - 2 * gi, fill: PALETTE.goal, radius: cell * 0.18 });
  const [ax, ay] = cellCenter(geom, state.agent);
  out.push({ kind: 'circle', x: ax, y: ay, d: cell * 0.66, fill: PALETTE.agent });
  return out;
}

/** Walls: a solid frame. Wrap: a dashed frame with arrows on each side showing that the agent passes through. */
export function boundaryCommands(geom: GridGeometry, boundary: Boundary): DrawCmd[] {
  const { x0, y0, cell, size } = geom;
  const board = cell * size;
  if (boundary === 'unknown') {
    return [{ kind: 'rect', x: x0 - 1, y: y0 - 1, w: board + 2, h: board + 2, stroke: PALETTE.axis, weight: 2, radius: 2 }];
  }
  if (boundary !== 'wrap') {
    return [{ kind: 'rect', x: x0 - 2, y: y0 - 2, w: board + 4, h: board + 4, stroke: PALETTE.wall, weight: 4, radius: 3 }];
  }
  const out: DrawCmd[] = [{ kind: 'rect', x: x0 - 2, y: y0 - 2, w: board + 4, h: board + 4, stroke: PALETTE.wrap, weight: 2, dash: [7, 5] }];
  const a = 6; // arrow half-width
  const gap = 8;
  const cx = x0 + board / 2;
  const cy = y0 + board / 2;
  // Arrows point out of the board on every side: leaving one edge brings the agent in at the opposite one.
  out.push({ kind: 'polygon', points: [cx - a, y0 - gap + 2, cx + a, y0 - gap + 2, cx, y0 - gap - a], fill: PALETTE.wrap });
  out.push({ kind: 'polygon', points: [cx - a, y0 + board + gap - 2, cx + a, y0 + board + gap - 2, cx, y0 + board + gap + a], fill: PALETTE.wrap });
  out.push({ kind: 'polygon', points: [x0 - gap + 2, cy - a, x0 - gap + 2, cy + a, x0 - gap - a, cy], fill: PALETTE.wrap });
  out.push({ kind: 'polygon', points: [x0 + board + gap - 2, cy - a, x0 + board + gap - 2, cy + a, x0 + board + gap + a, cy], fill: PALETTE.wrap });
  return out;
}

/**
 * The trail: dots that fade with age, joined where two consecutive cells are neighbours on the board
 * (a move through a wrap edge is not drawn across the whole board).
 */
export function trailCommands(geom: GridGeometry, trail: readonly Cell[], _wrap = false): DrawCmd[] {
  const n = trail.length;
  if (n === 0) return [];
  const out: DrawCmd[] = [];
  const weight = Math.max(1, geom.cell * 0.1);
  for (let i = 1; i < n; i++) {
    const a = trail[i - 1]!;
    const b = trail[i]!;
    if (Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) !== 1) continue;
    const [x1, y1] = cellCenter(geom, a);
    const [x2, y2] = cellCenter(geom, b);
    out.push({ kind: 'line', x1, y1, x2, y2, stroke: withAlpha(PALETTE.trail, 0.1 + 0.5 * (i / n)), weight });
  }
  for (let i = 0; i < n; i++) {
    const [x, y] = cellCenter(geom, trail[i]!);
    out.push({ kind: 'circle', x, y, d: geom.cell * (0.14 + 0.14 * ((i + 1) / n)), fill: withAlpha(PALETTE.trail, 0.15 + 0.6 * ((i + 1) / n)) });
  }
  return out;
}
