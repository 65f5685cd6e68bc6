/**
 * What the /play canvas shows: the HUD over GridWorld's board, another environment's draw list, or a note
 * when the environment defines no picture. Pure.
 */
import type { Cell, DrawList, GridState } from '@rlfs/protocol';
import type { Box, DrawCmd } from '../draw/commands';
import { PALETTE } from '../draw/commands';
import { drawListCommands, noPictureCommands } from '../draw/draw-list';
import { drawGrid } from '../draw/grid';
import { HUD_HEIGHT, drawHud } from '../draw/hud';

export { HUD_HEIGHT };

export interface PlayView {
  env: string;
  episodes: number;
  step: number;
  lastReward: number | null;
  returnSoFar: number;
  grid?: { state: GridState; boundary: 'walls' | 'wrap'; trail: readonly Cell[] };
  draw?: DrawList;
}

export function playCommands(view: PlayView | undefined, box: Box): DrawCmd[] {
  if (!view) {
    return [{ kind: 'text', x: box.w / 2, y: box.h / 2, text: 'Pick an environment and press Start', size: 16, fill: PALETTE.muted, align: 'center', baseline: 'middle' }];
  }
  const hud = drawHud({ episodes: view.episodes, step: view.step, lastReward: view.lastReward, returnSoFar: view.returnSoFar }, { x: 8, y: 4, w: box.w - 16, h: HUD_HEIGHT });
  const below = { x: box.x, y: box.y + HUD_HEIGHT, w: box.w, h: box.h - HUD_HEIGHT };
  if (view.grid) return [...hud, ...drawGrid({ state: view.grid.state, boundary: view.grid.boundary, trail: view.grid.trail }, below)];
  if (view.draw) return [...hud, ...drawListCommands(view.draw, below)];
  return [...hud, ...noPictureCommands(view.env, below, 'Play on: the step and the return still count.')];
}
