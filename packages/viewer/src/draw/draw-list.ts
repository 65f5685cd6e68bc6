/**
 * Any environment's picture from its draw list (docs/protocol.md "Draw lists"): the viewport, in world units with
 * y up, fitted into a box of the canvas with one scale for both axes and centred; shapes in list order. Pure.
 */
import type { DrawItem, DrawList, DrawViewport } from '@rlfs/protocol';
import type { Box, DrawCmd } from './commands';
import { PALETTE } from './commands';

/** Where the viewport lands on the canvas: pixels per world unit and the canvas point of the world origin. */
export interface WorldFit {
  scale: number;
  /** Canvas x of world x = 0. */
  ox: number;
  /** Canvas y of world y = 0 (canvas y grows down, world y up). */
  oy: number;
  /** The viewport's rectangle on the canvas. */
  frame: Box;
}

/** Fits `viewport` into `box` keeping its aspect ratio, centred, `margin` pixels inside the box. */
export function fitViewport(viewport: DrawViewport, box: Box, margin = 8): WorldFit {
  const w = Math.max(1, box.w - 2 * margin);
  const h = Math.max(1, box.h - 2 * margin);
  const scale = Math.min(w / viewport.width, h / viewport.height);
  const fw = viewport.width * scale;
  const fh = viewport.height * scale;
  const frame = { x: box.x + (box.w - fw) / 2, y: box.y + (box.h - fh) / 2, w: fw, h: fh };
  return { scale, frame, ox: frame.x - viewport.x * scale, oy: frame.y + fh + viewport.y * scale };
}

/** The canvas point of world point `(x, y)`. */
export function toCanvas(fit: WorldFit, x: number, y: number): [number, number] {
  return [fit.ox + x * fit.scale, fit.oy - y * fit.scale];
}

/** The draw list as draw commands in `box`: the viewport's background, then every item in order (not clipped). */
export function drawListCommands(list: DrawList, box: Box): DrawCmd[] {
  const fit = fitViewport(list.viewport, box);
  const out: DrawCmd[] = [{ kind: 'rect', ...fit.frame, fill: list.background ?? '#ffffff' }];
  for (const item of list.items) {
    const cmd = itemCommand(item, fit);
    if (cmd) out.push(cmd);
  }
  return out;
}

/** Outline width in pixels: world units scaled, at least one pixel (the contract's default is one pixel). */
function weight(lineWidth: number | undefined, fit: WorldFit): number {
  return lineWidth === undefined ? 1 : Math.max(1, lineWidth * fit.scale);
}

function itemCommand(item: DrawItem, fit: WorldFit): DrawCmd | undefined {
  switch (item.type) {
    case 'rect': {
      // (x, y) is the corner of least x and y: on the canvas that is the bottom-left, so the top is y + height.
      const [x, top] = toCanvas(fit, item.x, item.y + item.height);
      return { kind: 'rect', x, y: top, w: item.width * fit.scale, h: item.height * fit.scale, fill: item.fill, stroke: item.stroke, weight: weight(item.lineWidth, fit) };
    }
    case 'circle': {
      const [x, y] = toCanvas(fit, item.x, item.y);
      return { kind: 'circle', x, y, d: 2 * item.radius * fit.scale, fill: item.fill, stroke: item.stroke, weight: weight(item.lineWidth, fit) };
    }
    case 'line': {
      const points: number[] = [];
      for (let i = 0; i + 1 < item.points.length; i += 2) points.push(...toCanvas(fit, item.points[i]!, item.points[i + 1]!));
      return { kind: 'polyline', points, stroke: item.stroke ?? '#000000', weight: weight(item.lineWidth, fit) };
    }
    case 'text': {
      const [x, y] = toCanvas(fit, item.x, item.y);
      return { kind: 'text', x, y, text: item.text, size: item.size * fit.scale, fill: item.fill ?? '#000000', align: item.align ?? 'left', baseline: 'alphabetic' };
    }
    default:
      return undefined; // an item type from a newer server: skipped, the rest still drawn
  }
}

/** True for a value shaped like a draw list (what a frame's `draw` should be); the server's checker vouches for the rest. */
export function isDrawList(value: unknown): value is DrawList {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<DrawList>;
  const vp = v.viewport;
  return !!vp && typeof vp === 'object' && [vp.x, vp.y, vp.width, vp.height].every((n) => typeof n === 'number' && Number.isFinite(n)) && vp.width > 0 && vp.height > 0 && Array.isArray(v.items);
}

/** The picture of an environment that defines neither GridWorld's state nor a draw list: a clear note, not a blank. */
export function noPictureCommands(env: string, box: Box, hint = 'Give it a draw list (docs/environments.md) to see it drawn here.'): DrawCmd[] {
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  return [
    { kind: 'text', x: cx, y: cy - 10, text: `${env} defines no picture`, size: 16, fill: PALETTE.muted, align: 'center', baseline: 'middle' },
    { kind: 'text', x: cx, y: cy + 16, text: hint, size: 12, fill: PALETTE.muted, align: 'center', baseline: 'middle' },
  ];
}
