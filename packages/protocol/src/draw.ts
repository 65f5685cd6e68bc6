/**
 * Draw lists: what an environment looks like, as a few shapes in world units, so that any client (the browser
 * viewer, a Python notebook) can draw any environment without knowing its rules. docs/protocol.md "Draw lists".
 *
 * Coordinates are world units with x growing to the right and y growing UP. The client maps `viewport` onto its
 * canvas keeping the aspect ratio (uniform scale, centred). Items are drawn in list order (later ones on top).
 * Colours are CSS hex strings `#rrggbb` or `#rrggbbaa`. A shape without `fill` is not filled; without `stroke`
 * it has no outline. Widths and text sizes are world units too, so a picture scales as a whole.
 */

/** The world rectangle to show: `x .. x + width` by `y .. y + height`. */
export interface DrawViewport {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Paint {
  fill?: string;
  stroke?: string;
  /** Outline width in world units; a client may draw at least one pixel. Default: one pixel. */
  lineWidth?: number;
}

/** Axis-aligned rectangle, `(x, y)` its corner of least x and y. */
export interface DrawRect extends Paint {
  type: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DrawCircle extends Paint {
  type: 'circle';
  x: number;
  y: number;
  radius: number;
}

/** A polyline through `points = [x0, y0, x1, y1, ...]` (at least two points), stroked `stroke` (default black). */
export interface DrawLine {
  type: 'line';
  points: number[];
  stroke?: string;
  /** World units; a thick line draws a pole or a wall. Default: one pixel. */
  lineWidth?: number;
}

/** Text whose baseline starts (align "left"), centres or ends at `(x, y)`; `size` is its height in world units. */
export interface DrawText {
  type: 'text';
  x: number;
  y: number;
  text: string;
  size: number;
  fill?: string;
  align?: 'left' | 'center' | 'right';
}

export type DrawItem = DrawRect | DrawCircle | DrawLine | DrawText;

export interface DrawList {
  viewport: DrawViewport;
  /** Colour of the viewport before the items; default white. */
  background?: string;
  items: DrawItem[];
}
