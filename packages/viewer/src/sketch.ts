/**
 * The p5 sketches, in instance mode (`new p5(sketch, node)`), kept thin: they size the canvas, ask their
 * source for draw commands when something changed, and hand them to the renderer.
 */
import p5 from 'p5';
import type { Box, DrawCmd } from './draw/commands';
import { PALETTE } from './draw/commands';
import { renderCommands } from './render';

/** What a sketch draws: `version` changes whenever the picture would; `draw` makes the commands for a size. */
export interface SceneSource {
  version(): number;
  draw(box: Box, hover: { x: number; y: number } | undefined): DrawCmd[];
  /** Called after each drawn picture (test hooks, stats). */
  drawn?(box: Box): void;
}

export interface SketchHandle {
  p: p5;
  remove(): void;
}

/**
 * Mounts a canvas that fills `node` and redraws at display rate, only when the source's version moved or the
 * pointer moved: however fast frames arrive, at most one picture per display frame is drawn.
 */
export function mountSketch(node: HTMLElement, source: SceneSource, options: { height?: number; fps?: number } = {}): SketchHandle {
  let drawnVersion = -1;
  let hover: { x: number; y: number } | undefined;
  let hoverMoved = false;
  const size = (): { w: number; h: number } => ({ w: Math.max(50, node.clientWidth), h: options.height ?? Math.max(50, node.clientHeight) });
  const sketch = (p: p5): void => {
    p.setup = () => {
      const { w, h } = size();
      p.createCanvas(w, h);
      if (options.fps) p.frameRate(options.fps);
    };
    p.draw = () => {
      const v = source.version();
      if (v === drawnVersion && !hoverMoved) return;
      drawnVersion = v;
      hoverMoved = false;
      p.background(PALETTE.panel);
      const box = { x: 0, y: 0, w: p.width, h: p.height };
      renderCommands(p, source.draw(box, hover));
      source.drawn?.(box);
    };
    p.mouseMoved = () => {
      const inside = p.mouseX >= 0 && p.mouseY >= 0 && p.mouseX <= p.width && p.mouseY <= p.height;
      const next = inside ? { x: p.mouseX, y: p.mouseY } : undefined;
      if (next || hover) hoverMoved = true;
      hover = next;
    };
    p.windowResized = () => {
      const { w, h } = size();
      if (w !== p.width || h !== p.height) {
        p.resizeCanvas(w, h);
        drawnVersion = -1;
      }
    };
  };
  const p = new p5(sketch, node);
  return { p, remove: () => p.remove() };
}
