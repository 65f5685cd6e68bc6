import { GifReader } from 'omggif';
import { encodeGif, glyphRows, hasGlyph, parseColour, playCommands, rasterize } from '../src/pictures';
import type { DrawCmd, Raster } from '../src/pictures';

function pixel(r: Raster, x: number, y: number): [number, number, number] {
  const i = (y * r.width + x) * 4;
  return [r.data[i]!, r.data[i + 1]!, r.data[i + 2]!];
}

describe('parseColour', () => {
  it('reads the forms our drawing code writes', () => {
    expect(parseColour('#ff7a45')).toEqual([255, 122, 69, 1]);
    expect(parseColour('#fff')).toEqual([255, 255, 255, 1]);
    expect(parseColour('#00000080')).toEqual([0, 0, 0, 128 / 255]);
    expect(parseColour('rgba(255,179,138,0.500)')).toEqual([255, 179, 138, 0.5]);
    expect(parseColour('rgb(1, 2, 3)')).toEqual([1, 2, 3, 1]);
  });
  it('names a colour it cannot read', () => {
    expect(() => parseColour('tomato')).toThrow(/colour: .*"tomato"/);
  });
});

describe('rasterize', () => {
  const opts = { width: 20, height: 10, background: '#000000', supersample: 1 };

  it('fills the background and a rect exactly on whole pixels', () => {
    const r = rasterize([{ kind: 'rect', x: 2, y: 3, w: 4, h: 2, fill: '#ff0000' }], opts);
    expect(r.data.length).toBe(20 * 10 * 4);
    expect(pixel(r, 2, 3)).toEqual([255, 0, 0]);
    expect(pixel(r, 5, 4)).toEqual([255, 0, 0]);
    expect(pixel(r, 6, 4)).toEqual([0, 0, 0]); // x = 6 is past the right edge (2 + 4)
    expect(pixel(r, 2, 5)).toEqual([0, 0, 0]);
    expect(r.data[3]).toBe(255);
  });

  it('blends a translucent fill over what is below', () => {
    const r = rasterize([{ kind: 'rect', x: 0, y: 0, w: 20, h: 10, fill: 'rgba(255,255,255,0.5)' }], opts);
    expect(pixel(r, 10, 5)).toEqual([128, 128, 128]); // 0 + (255 - 0) * 0.5 = 127.5, rounded
  });

  it('draws a circle, a line and a polygon where they are, and a hollow rect outline', () => {
    const cmds: DrawCmd[] = [
      { kind: 'circle', x: 5, y: 5, d: 6, fill: '#00ff00' },
      { kind: 'line', x1: 10, y1: 1.5, x2: 18, y2: 1.5, stroke: '#0000ff', weight: 1 },
      { kind: 'polygon', points: [10, 4, 18, 4, 14, 9], fill: '#ffffff' },
    ];
    const r = rasterize(cmds, opts);
    expect(pixel(r, 5, 5)).toEqual([0, 255, 0]);
    expect(pixel(r, 1, 1)).toEqual([0, 0, 0]); // outside the circle of radius 3 (corner of its box)
    expect(pixel(r, 14, 1)).toEqual([0, 0, 255]);
    expect(pixel(r, 14, 5)).toEqual([255, 255, 255]);
    expect(pixel(r, 10, 8)).toEqual([0, 0, 0]); // beside the triangle's apex
    const outline = rasterize([{ kind: 'rect', x: 2, y: 2, w: 10, h: 6, stroke: '#ffffff', weight: 2 }], opts);
    expect(pixel(outline, 2, 4)).toEqual([255, 255, 255]);
    expect(pixel(outline, 7, 5)).toEqual([0, 0, 0]); // the inside stays empty
  });

  it('smooths edges with supersampling: a half-covered pixel is a blend', () => {
    const r = rasterize([{ kind: 'rect', x: 0, y: 0, w: 2.5, h: 10, fill: '#ffffff' }], { ...opts, supersample: 2 });
    expect(pixel(r, 1, 5)).toEqual([255, 255, 255]);
    expect(pixel(r, 2, 5)).toEqual([128, 128, 128]); // one of two sample columns covered
    expect(pixel(r, 3, 5)).toEqual([0, 0, 0]);
  });

  it('writes text with the bitmap font: "1" lights its stem, a space nothing', () => {
    // size 9: one font pixel per canvas pixel; top baseline puts the glyph's first row at y = 0.
    const r = rasterize([{ kind: 'text', x: 0, y: 0, text: '1 ', size: 9, fill: '#ffffff', baseline: 'top' }], opts);
    // "1" rows: "  #  ", " ##  ", "  #  " ... " ### ": column 2 is lit in every row.
    for (let y = 0; y < 7; y++) expect(pixel(r, 2, y)).toEqual([255, 255, 255]);
    expect(pixel(r, 0, 0)).toEqual([0, 0, 0]);
    for (let x = 6; x < 11; x++) for (let y = 0; y < 7; y++) expect(pixel(r, x, y)).toEqual([0, 0, 0]);
    expect(hasGlyph('e')).toBe(true); // lower case drawn in capitals
    expect(glyphRows('e')).toBe(glyphRows('E'));
    expect(hasGlyph('€')).toBe(false);
  });

  it('refuses a size it cannot draw', () => {
    expect(() => rasterize([], { width: 0, height: 5 })).toThrow(/width: expected an integer 1\.\.4096, got 0/);
    expect(() => rasterize([], { width: 5, height: 5, supersample: 1.5 })).toThrow(/supersample/);
  });
});

describe('encodeGif', () => {
  it('writes frames that decode to the same size, count, delay and pixels', () => {
    const board = (agent: [number, number]): Raster =>
      rasterize(playCommands({ env: 'GridWorld-v0', episodes: 0, step: 0, lastReward: null, returnSoFar: 0, grid: { state: { size: 3, agent, goal: [2, 2], obstacles: [] }, boundary: 'walls', trail: [] } }, { x: 0, y: 0, w: 120, h: 160 }), { width: 120, height: 160 });
    const frames = [board([0, 0]), board([0, 1]), board([0, 1])];
    const bytes = encodeGif(frames, { delayMs: 250 });
    const gif = new GifReader(Buffer.from(bytes));
    expect([gif.width, gif.height, gif.numFrames(), gif.loopCount()]).toEqual([120, 160, 3, 0]);
    expect(gif.frameInfo(0).delay).toBe(25); // hundredths of a second
    const decoded = [0, 1, 2].map((k) => {
      const rgba = new Uint8Array(120 * 160 * 4);
      gif.decodeAndBlitFrameRGBA(k, rgba);
      return rgba;
    });
    expect(Buffer.compare(Buffer.from(decoded[0]!), Buffer.from(decoded[1]!))).not.toBe(0); // the agent moved
    expect(Buffer.compare(Buffer.from(decoded[1]!), Buffer.from(decoded[2]!))).toBe(0);
    // The agent's colour (#ff7a45) survives the palette where it was drawn (under the HUD, cell 0 then cell 1).
    const near = (rgba: Uint8Array, i: number): boolean => Math.abs(rgba[i]! - 255) + Math.abs(rgba[i + 1]! - 122) + Math.abs(rgba[i + 2]! - 69) < 24;
    const countAgent = (rgba: Uint8Array): number => { let n = 0; for (let i = 0; i < rgba.length; i += 4) if (near(rgba, i)) n++; return n; };
    expect(countAgent(decoded[0]!)).toBeGreaterThan(100);
  });

  it('refuses frames of different sizes and no frames', () => {
    expect(() => encodeGif([])).toThrow(/at least one frame/);
    expect(() => encodeGif([rasterize([], { width: 2, height: 2 }), rasterize([], { width: 3, height: 2 })])).toThrow(/frames\[1\]: 3x2, expected 2x2/);
  });
});
