/**
 * Draw commands: what a picture is made of, as plain data. `draw/` and `plot/` compute lists of these from
 * the session's data (pure, testable without a canvas); `render.ts` is the only place that hands them to p5.
 */

export type TextAlign = 'left' | 'center' | 'right';
export type TextBaseline = 'top' | 'middle' | 'bottom' | 'alphabetic';

export interface RectCmd {
  kind: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  fill?: string;
  stroke?: string;
  weight?: number;
  radius?: number;
  /** Dash pattern for the outline, in pixels (e.g. [6, 4]); solid when absent. */
  dash?: number[];
}
export interface CircleCmd {
  kind: 'circle';
  x: number;
  y: number;
  d: number;
  fill?: string;
  stroke?: string;
  weight?: number;
}
export interface LineCmd {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stroke: string;
  weight: number;
  dash?: number[];
}
/** An open polyline through `points` = [x0, y0, x1, y1, ...]; NaN coordinates break the line. */
export interface PolylineCmd {
  kind: 'polyline';
  points: number[];
  stroke: string;
  weight: number;
}
/** Many small dots of one colour (a scatter series) in one command: `points` = [x0, y0, x1, y1, ...]. */
export interface DotsCmd {
  kind: 'dots';
  points: number[];
  d: number;
  fill: string;
}
export interface TextCmd {
  kind: 'text';
  x: number;
  y: number;
  text: string;
  size: number;
  fill: string;
  align?: TextAlign;
  baseline?: TextBaseline;
  bold?: boolean;
  /** Rotation in radians about (x, y) (axis labels). */
  rotate?: number;
}
/** A closed polygon (arrows, diamonds): `points` = [x0, y0, x1, y1, ...]. */
export interface PolygonCmd {
  kind: 'polygon';
  points: number[];
  fill?: string;
  stroke?: string;
  weight?: number;
}

export type DrawCmd = RectCmd | CircleCmd | LineCmd | PolylineCmd | DotsCmd | TextCmd | PolygonCmd;

/** A rectangle of the canvas that a drawing fills. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Colours shared by the page, the charts and the tests that read pixels back. */
export const PALETTE = {
  background: '#0e1320',
  panel: '#151c2c',
  cell: '#1c2539',
  cellAlt: '#1f2a40',
  gridLine: '#0e1320',
  wall: '#c9d3e6',
  wrap: '#5b8def',
  obstacle: '#4a5570',
  obstacleEdge: '#626e8c',
  agent: '#ff7a45',
  goal: '#3ddc97',
  trail: '#ffb38a',
  text: '#e6ebf5',
  muted: '#8c97ad',
  axis: '#3a4660',
  gridGuide: '#222c42',
  positive: '#3ddc97',
  negative: '#ff6b6b',
  series: ['#5b8def', '#ffb020', '#c77dff', '#3ddc97', '#ff6b6b', '#4dd0e1'],
} as const;

/** `#rrggbb` to [r, g, b]. */
export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new TypeError(`colour: expected #rrggbb, got ${JSON.stringify(hex)}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** `#rrggbb` with an alpha 0..1, as a CSS `rgba(...)` string. */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = hexToRgb(hex);
  return `rgba(${r},${g},${b},${Math.max(0, Math.min(1, alpha)).toFixed(3)})`;
}
