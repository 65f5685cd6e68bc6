/**
 * Animated GIFs of rasters, encoded by gifenc (mattdesl/gifenc: pure JS, no dependencies). One palette of up to
 * 256 colours is chosen from a sample of the frames and used for all of them, so colours do not flicker from
 * frame to frame as they would with a palette per frame.
 */
// gifenc ships no types: the declaration must come along into every project that typechecks this file (tools/scripts too).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./gifenc.d.ts" />
import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import type { Raster } from './raster';

export interface GifOptions {
  /** Milliseconds each frame shows (GIF counts in hundredths: rounded to 10 ms; default 100, 10 frames a second). */
  delayMs?: number;
  /** 'forever' (default) loops the animation; 'once' plays it once and stops on the last frame. */
  loop?: 'forever' | 'once';
  /** Frames sampled to choose the palette (default 8, spread evenly). */
  paletteSample?: number;
}

export const GIF_DEFAULTS = { delayMs: 100, loop: 'forever', paletteSample: 8 } as const;

/**
 * Frames drawn on demand, so that a long recording holds one picture at a time, not all of them: `frame(i)` for
 * i in 0..count-1 is called once per frame in order (and again for the palette's sample).
 */
export interface FrameSource {
  count: number;
  frame(index: number): Raster;
}

/** The GIF file of `frames` (all the same size), in order. */
export function encodeGif(frames: readonly Raster[] | FrameSource, options: GifOptions = {}): Uint8Array {
  const source: FrameSource = Array.isArray(frames) ? { count: frames.length, frame: (i) => frames[i]! } : (frames as FrameSource);
  if (source.count === 0) throw new RangeError('frames: a GIF needs at least one frame');
  const { width, height } = source.frame(0);
  const delay = options.delayMs ?? GIF_DEFAULTS.delayMs;
  if (!Number.isFinite(delay) || delay < 10 || delay > 655_350) throw new RangeError(`delayMs: expected 10..655350 ms, got ${delay}`);
  const palette = quantize(sample(source, options.paletteSample ?? GIF_DEFAULTS.paletteSample), 256, { format: 'rgb565' });
  const gif = GIFEncoder();
  const repeat = (options.loop ?? GIF_DEFAULTS.loop) === 'once' ? -1 : 0;
  for (let i = 0; i < source.count; i++) {
    const f = source.frame(i);
    if (f.width !== width || f.height !== height) throw new RangeError(`frames[${i}]: ${f.width}x${f.height}, expected ${width}x${height} like frame 0`);
    gif.writeFrame(applyPalette(f.data, palette, 'rgb565'), width, height, { palette, delay, ...(i === 0 ? { repeat } : {}) });
  }
  gif.finish();
  return gif.bytes();
}

/** Up to `n` evenly spread frames' pixels, end to end (the palette's input). */
function sample(source: FrameSource, n: number): Uint8ClampedArray {
  const count = Math.max(1, Math.min(source.count, Math.floor(n)));
  const picked: Raster[] = [];
  for (let k = 0; k < count; k++) picked.push(source.frame(count === 1 ? 0 : Math.round((k * (source.count - 1)) / (count - 1))));
  const size = picked[0]!.data.length;
  const out = new Uint8ClampedArray(size * count);
  picked.forEach((f, k) => {
    if (f.data.length === size) out.set(f.data, k * size);
  });
  return out;
}
