/**
 * A software rasterizer for draw commands (draw/commands.ts): the same pictures the viewer's canvas shows, as an
 * RGBA buffer, with no canvas and no native code, so `npm run record` can write GIFs in Node. Each shape is tested
 * at the centre of every sample of a grid `supersample` times finer than the output, then the samples are averaged:
 * smooth edges without an anti-aliasing algorithm per shape. Lines have round caps, as p5's default.
 *
 * Text is drawn with the small bitmap font of font.ts (upper and lower case ASCII); rotated text is skipped.
 */
import type { DrawCmd } from '../draw/commands';
import type { Rgba } from './colour';
import { parseColour } from './colour';
import { glyphRows, GLYPH_HEIGHT, GLYPH_WIDTH } from './font';

export interface RasterOptions {
  /** Output width in pixels (an integer >= 1). */
  width: number;
  /** Output height in pixels (an integer >= 1). */
  height: number;
  /** What is under every command (default `#0e1320`, the page's background). */
  background?: string;
  /** Samples per pixel along each axis (default 3: 9 samples per pixel; 1 draws hard edges). */
  supersample?: number;
}

/** An opaque picture: `data` holds width * height RGBA pixels, row-major, alpha always 255. */
export interface Raster {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export const RASTER_DEFAULTS = { background: '#0e1320', supersample: 3 } as const;

/** Draws `commands` in order into a new raster. */
export function rasterize(commands: readonly DrawCmd[], options: RasterOptions): Raster {
  const { width, height } = options;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 4096) throw new RangeError(`${name}: expected an integer 1..4096, got ${v}`);
  }
  const s = options.supersample ?? RASTER_DEFAULTS.supersample;
  if (!Number.isInteger(s) || s < 1 || s > 8) throw new RangeError(`supersample: expected an integer 1..8, got ${s}`);
  const canvas = new SampleGrid(width * s, height * s, s, parseColour(options.background ?? RASTER_DEFAULTS.background));
  for (const c of commands) drawCommand(canvas, c);
  return { width, height, data: canvas.downsample() };
}

function drawCommand(g: SampleGrid, c: DrawCmd): void {
  switch (c.kind) {
    case 'rect': {
      const r = Math.max(0, Math.min(c.radius ?? 0, c.w / 2, c.h / 2));
      if (c.fill) g.fill(c.fill, c.x, c.y, c.x + c.w, c.y + c.h, (x, y) => inRoundRect(x, y, c.x, c.y, c.w, c.h, r));
      if (!c.stroke) return;
      const h = (c.weight ?? 1) / 2;
      if (c.dash && c.dash.length > 0) {
        const corners = [c.x, c.y, c.x + c.w, c.y, c.x + c.w, c.y + c.h, c.x, c.y + c.h, c.x, c.y];
        strokePath(g, c.stroke, c.weight ?? 1, dashed(corners, c.dash));
        return;
      }
      g.fill(c.stroke, c.x - h, c.y - h, c.x + c.w + h, c.y + c.h + h, (x, y) =>
        inRoundRect(x, y, c.x - h, c.y - h, c.w + 2 * h, c.h + 2 * h, r + h) && !inRoundRect(x, y, c.x + h, c.y + h, c.w - 2 * h, c.h - 2 * h, Math.max(0, r - h)));
      return;
    }
    case 'circle': {
      const rad = c.d / 2;
      if (c.fill) g.fill(c.fill, c.x - rad, c.y - rad, c.x + rad, c.y + rad, (x, y) => (x - c.x) ** 2 + (y - c.y) ** 2 <= rad * rad);
      if (!c.stroke) return;
      const h = (c.weight ?? 1) / 2;
      g.fill(c.stroke, c.x - rad - h, c.y - rad - h, c.x + rad + h, c.y + rad + h, (x, y) => Math.abs(Math.hypot(x - c.x, y - c.y) - rad) <= h);
      return;
    }
    case 'line': {
      const path = [[c.x1, c.y1, c.x2, c.y2]];
      strokePath(g, c.stroke, c.weight, c.dash && c.dash.length > 0 ? dashed(path[0]!, c.dash) : path);
      return;
    }
    case 'polyline':
      strokePath(g, c.stroke, c.weight, splitAtNaN(c.points));
      return;
    case 'dots': {
      const rad = c.d / 2;
      for (let i = 0; i + 1 < c.points.length; i += 2) {
        const x0 = c.points[i]!;
        const y0 = c.points[i + 1]!;
        if (Number.isNaN(x0) || Number.isNaN(y0)) continue;
        g.fill(c.fill, x0 - rad, y0 - rad, x0 + rad, y0 + rad, (x, y) => (x - x0) ** 2 + (y - y0) ** 2 <= rad * rad);
      }
      return;
    }
    case 'polygon': {
      const p = c.points;
      if (p.length < 6) return;
      const [minX, minY, maxX, maxY] = bounds(p);
      if (c.fill) g.fill(c.fill, minX, minY, maxX, maxY, (x, y) => insidePolygon(p, x, y));
      if (c.stroke) strokePath(g, c.stroke, c.weight ?? 1, [[...p, p[0]!, p[1]!]]);
      return;
    }
    case 'text':
      if (!c.rotate) drawText(g, c);
      return;
  }
}

/** Strokes open paths ([x0, y0, x1, y1, ...] each) as one shape, so that joints of a translucent line are not doubled. */
function strokePath(g: SampleGrid, colour: string, weight: number, paths: number[][]): void {
  const h = Math.max(0.5, weight / 2);
  const segs: number[] = [];
  for (const p of paths) {
    if (p.length === 2) segs.push(p[0]!, p[1]!, p[0]!, p[1]!);
    for (let i = 0; i + 3 < p.length; i += 2) segs.push(p[i]!, p[i + 1]!, p[i + 2]!, p[i + 3]!);
  }
  if (segs.length === 0) return;
  const [minX, minY, maxX, maxY] = bounds(segs);
  g.fill(colour, minX - h, minY - h, maxX + h, maxY + h, (x, y) => {
    for (let i = 0; i < segs.length; i += 4) {
      if (segmentDistance2(x, y, segs[i]!, segs[i + 1]!, segs[i + 2]!, segs[i + 3]!) <= h * h) return true;
    }
    return false;
  });
}

function drawText(g: SampleGrid, c: Extract<DrawCmd, { kind: 'text' }>): void {
  // One font pixel is size/9 canvas pixels: a 7-row glyph plus spacing fills about the text's size, as a canvas font does.
  const px = Math.max(1, c.size / 9);
  const advance = (GLYPH_WIDTH + 1) * px;
  const w = c.text.length * advance - px;
  const h = GLYPH_HEIGHT * px;
  const left = c.align === 'center' ? c.x - w / 2 : c.align === 'right' ? c.x - w : c.x;
  const baseline = c.baseline ?? 'alphabetic';
  const top = baseline === 'top' ? c.y : baseline === 'middle' ? c.y - h / 2 : c.y - h;
  const weight = c.bold ? px * 0.35 : 0;
  [...c.text].forEach((ch, k) => {
    const rows = glyphRows(ch);
    const x0 = left + k * advance;
    rows.forEach((bits, row) => {
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        if (!(bits & (1 << (GLYPH_WIDTH - 1 - col)))) continue;
        const x = x0 + col * px;
        const y = top + row * px;
        g.fill(c.fill, x, y, x + px + weight, y + px, (sx, sy) => sx >= x && sx < x + px + weight && sy >= y && sy < y + px);
      }
    });
  });
}

/** Samples at `supersample` times the output resolution, RGB as floats over an opaque background. */
class SampleGrid {
  private readonly rgb: Float32Array;

  constructor(readonly w: number, readonly h: number, readonly s: number, background: Rgba) {
    this.rgb = new Float32Array(w * h * 3);
    for (let i = 0; i < w * h; i++) this.rgb.set([background[0], background[1], background[2]], i * 3);
  }

  /** Blends `colour` over every sample in the canvas-unit box whose centre passes `inside`. */
  fill(colour: string, minX: number, minY: number, maxX: number, maxY: number, inside: (x: number, y: number) => boolean): void {
    const [r, gr, b, a] = parseColour(colour);
    if (a <= 0) return;
    const { s, w, h, rgb } = this;
    const px0 = Math.max(0, Math.floor(minX * s));
    const px1 = Math.min(w - 1, Math.ceil(maxX * s));
    const py0 = Math.max(0, Math.floor(minY * s));
    const py1 = Math.min(h - 1, Math.ceil(maxY * s));
    for (let py = py0; py <= py1; py++) {
      const y = (py + 0.5) / s;
      for (let px = px0; px <= px1; px++) {
        if (!inside((px + 0.5) / s, y)) continue;
        const i = (py * w + px) * 3;
        rgb[i] = rgb[i]! + (r - rgb[i]!) * a;
        rgb[i + 1] = rgb[i + 1]! + (gr - rgb[i + 1]!) * a;
        rgb[i + 2] = rgb[i + 2]! + (b - rgb[i + 2]!) * a;
      }
    }
  }

  /** The output pixels: each the mean of its s x s samples. */
  downsample(): Uint8ClampedArray {
    const { s, w, rgb } = this;
    const ow = w / s;
    const oh = this.h / s;
    const out = new Uint8ClampedArray(ow * oh * 4);
    const n = s * s;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let dy = 0; dy < s; dy++) {
          for (let dx = 0; dx < s; dx++) {
            const i = ((oy * s + dy) * w + ox * s + dx) * 3;
            r += rgb[i]!;
            g += rgb[i + 1]!;
            b += rgb[i + 2]!;
          }
        }
        const o = (oy * ow + ox) * 4;
        out[o] = Math.round(r / n);
        out[o + 1] = Math.round(g / n);
        out[o + 2] = Math.round(b / n);
        out[o + 3] = 255;
      }
    }
    return out;
  }
}

function inRoundRect(x: number, y: number, rx: number, ry: number, rw: number, rh: number, r: number): boolean {
  if (rw <= 0 || rh <= 0 || x < rx || y < ry || x > rx + rw || y > ry + rh) return false;
  if (r <= 0) return true;
  const dx = Math.max(rx + r - x, 0, x - (rx + rw - r));
  const dy = Math.max(ry + r - y, 0, y - (ry + rh - r));
  return dx * dx + dy * dy <= r * r;
}

function segmentDistance2(x: number, y: number, x1: number, y1: number, x2: number, y2: number): number {
  const vx = x2 - x1;
  const vy = y2 - y1;
  const len2 = vx * vx + vy * vy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - x1) * vx + (y - y1) * vy) / len2));
  const dx = x - (x1 + t * vx);
  const dy = y - (y1 + t * vy);
  return dx * dx + dy * dy;
}

/** Non-zero winding, as the canvas fills by default. */
function insidePolygon(p: readonly number[], x: number, y: number): boolean {
  let winding = 0;
  const n = p.length / 2;
  for (let i = 0; i < n; i++) {
    const x1 = p[2 * i]!;
    const y1 = p[2 * i + 1]!;
    const x2 = p[(2 * i + 2) % p.length]!;
    const y2 = p[(2 * i + 3) % p.length]!;
    const side = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1);
    if (y1 <= y) {
      if (y2 > y && side > 0) winding++;
    } else if (y2 <= y && side < 0) {
      winding--;
    }
  }
  return winding !== 0;
}

function bounds(p: readonly number[]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < p.length; i += 2) {
    const x = p[i]!;
    const y = p[i + 1]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

/** A polyline's runs between NaN points. */
function splitAtNaN(points: readonly number[]): number[][] {
  const out: number[][] = [];
  let run: number[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i]!;
    const y = points[i + 1]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (run.length > 0) out.push(run);
      run = [];
      continue;
    }
    run.push(x, y);
  }
  if (run.length > 0) out.push(run);
  return out;
}

/** The "on" pieces of a polyline under a dash pattern (on, off, on, ...), the pattern running on across corners. */
function dashed(points: readonly number[], dash: readonly number[]): number[][] {
  const pattern = dash.length % 2 === 0 ? dash : [...dash, ...dash];
  if (pattern.every((d) => d <= 0)) return [points.slice()];
  const out: number[][] = [];
  let k = 0;
  let left = pattern[0]!;
  let piece: number[] | undefined = [points[0]!, points[1]!];
  for (let i = 0; i + 3 < points.length; i += 2) {
    let x = points[i]!;
    let y = points[i + 1]!;
    const x2 = points[i + 2]!;
    const y2 = points[i + 3]!;
    let seg = Math.hypot(x2 - x, y2 - y);
    while (seg > 0) {
      const step = Math.min(left, seg);
      const t = step / seg;
      x += (x2 - x) * t;
      y += (y2 - y) * t;
      seg -= step;
      left -= step;
      if (piece) piece.push(x, y);
      if (left <= 1e-9) {
        if (piece) out.push(piece);
        k = (k + 1) % pattern.length;
        left = pattern[k]!;
        piece = k % 2 === 0 ? [x, y] : undefined;
      }
    }
  }
  if (piece && piece.length >= 4) out.push(piece);
  return out;
}
