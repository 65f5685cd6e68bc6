/**
 * CSS colours as the draw commands write them, parsed to RGBA for the software rasterizer: `#rgb`, `#rrggbb`,
 * `#rrggbbaa` (draw lists), `rgb(r,g,b)` and `rgba(r,g,b,a)` (`withAlpha`). Nothing else is written by our drawing
 * code, so nothing else is accepted: an unknown form throws with the value.
 */

/** Red, green, blue 0..255 and alpha 0..1. */
export type Rgba = readonly [number, number, number, number];

const cache = new Map<string, Rgba>();

/** The RGBA of a CSS colour string (see the file comment for the forms). */
export function parseColour(css: string): Rgba {
  const hit = cache.get(css);
  if (hit) return hit;
  const rgba = parse(css.trim());
  if (!rgba) throw new TypeError(`colour: expected #rgb, #rrggbb, #rrggbbaa, rgb() or rgba(), got ${JSON.stringify(css)}`);
  if (cache.size < 4096) cache.set(css, rgba);
  return rgba;
}

function parse(s: string): Rgba | undefined {
  let m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(s);
  if (m) return [hex(m[1]! + m[1]!), hex(m[2]! + m[2]!), hex(m[3]! + m[3]!), 1];
  m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})?$/i.exec(s);
  if (m) return [hex(m[1]!), hex(m[2]!), hex(m[3]!), m[4] ? hex(m[4]) / 255 : 1];
  m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/i.exec(s);
  if (m) return [clamp255(+m[1]!), clamp255(+m[2]!), clamp255(+m[3]!), m[4] === undefined ? 1 : Math.max(0, Math.min(1, +m[4]))];
  return undefined;
}

function hex(two: string): number {
  return parseInt(two, 16);
}

function clamp255(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}
