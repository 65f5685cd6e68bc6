/**
 * The viewer's board: the HUD over the watched sub-env's picture. GridWorld's render state gets its rich board
 * (trail, boundary); any other environment is drawn from its frames' draw list; one with neither gets a note.
 */
import type { DrawList } from '@rlfs/protocol';
import type { Box, DrawCmd } from '../draw/commands';
import { PALETTE } from '../draw/commands';
import { drawListCommands, noPictureCommands } from '../draw/draw-list';
import { drawGrid, gridGeometry } from '../draw/grid';
import type { GridGeometry } from '../draw/grid';
import { HUD_HEIGHT, drawHud } from '../draw/hud';
import type { SessionData } from './session-data';

export { HUD_HEIGHT };

/** What the browser tests read back of the last picture: GridWorld's board or the draw list, and where it sat. */
export interface BoardProbe {
  kind: 'grid' | 'draw' | 'none';
  state?: unknown;
  geometry?: GridGeometry;
  draw?: DrawList;
  /** The box the picture was fitted into, in CSS pixels. */
  box: Box;
  density: number;
  hudHeight: number;
  /** The value map drawn over the board, if one was (its size and the cells coloured). */
  valueMap?: { size: number; cells: number; arrows: number };
}

/** What the user chose to see on the board. */
export interface BoardOptions {
  /** Overlay the agent's value map (colours and policy arrows) when it sends one. */
  showValues: boolean;
}

/** The part of the canvas under the HUD. */
export function boardBox(box: Box): Box {
  return { x: box.x, y: box.y + HUD_HEIGHT, w: box.w, h: box.h - HUD_HEIGHT };
}

/** Everything the board canvas shows for `data` (undefined: nothing watched yet). */
export function boardCommands(data: SessionData | undefined, box: Box, options: BoardOptions = { showValues: false }): DrawCmd[] {
  const frame = data?.latest.get(data.watchIndex);
  if (!data || !frame) {
    const text = data ? (data.ended ? 'Session ended' : 'Waiting for the first frame…') : 'Waiting for an agent…';
    const sub = data ? '' : 'Start one with  npm start  or play at /play';
    return [
      { kind: 'text', x: box.w / 2, y: box.h / 2 - 10, text, size: 16, fill: PALETTE.muted, align: 'center', baseline: 'middle' },
      { kind: 'text', x: box.w / 2, y: box.h / 2 + 16, text: sub, size: 12, fill: PALETTE.axis, align: 'center', baseline: 'middle' },
    ];
  }
  const hud = drawHud({
    episodes: data.episodeCount(), step: frame.step, lastReward: frame.reward,
    returnSoFar: data.returnKnown ? data.returnSoFar : undefined,
    index: data.summary.numEnvs !== undefined ? data.watchIndex : undefined,
    stepsPerSecond: data.stepsPerSecond > 0 ? data.stepsPerSecond : undefined,
  }, { x: box.x + 8, y: box.y + 4, w: box.w - 16, h: HUD_HEIGHT });
  return [...hud, ...pictureCommands(data, boardBox(box), options)];
}

function pictureCommands(data: SessionData, box: Box, options: BoardOptions): DrawCmd[] {
  const state = data.watchedState();
  if (state) return drawGrid({ state, boundary: data.boundary ?? 'unknown', trail: data.trail.cells(), valueMap: options.showValues ? data.valueMap : undefined }, box);
  const draw = data.watchedDraw();
  if (draw) return drawListCommands(draw, box);
  return noPictureCommands(data.summary.env, box, 'Give it a draw list (docs/environments.md) to see it here; returns and lengths still chart below.');
}

/** What was drawn last, for the tests. */
export function boardProbe(data: SessionData | undefined, box: Box, density: number, options: BoardOptions = { showValues: false }): BoardProbe | undefined {
  if (!data?.latest.get(data.watchIndex)) return undefined;
  const inner = boardBox(box);
  const state = data.watchedState();
  if (state) {
    const probe: BoardProbe = { kind: 'grid', state, geometry: gridGeometry(state.size, inner), box: inner, density, hudHeight: HUD_HEIGHT };
    const vm = data.valueMap;
    if (options.showValues && vm && vm.size === state.size) {
      probe.valueMap = { size: vm.size, cells: vm.values.filter((v) => v !== null).length, arrows: vm.actions.filter((a) => a >= 0).length };
    }
    return probe;
  }
  const draw = data.watchedDraw();
  return { kind: draw ? 'draw' : 'none', draw, box: inner, density, hudHeight: HUD_HEIGHT };
}
