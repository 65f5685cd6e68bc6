// `@rlfs/viewer/pictures`: the viewer's pictures without p5 or the DOM, for Node commands (`npm run record`): the
// board as draw commands (the same functions the pages draw with), the software rasterizer and the GIF encoder.
export { PALETTE } from './draw/commands';
export type { DrawCmd, Box } from './draw/commands';
export { playCommands, HUD_HEIGHT } from './play/picture';
export type { PlayView } from './play/picture';
export { Trail } from './draw/trail';
export { isDrawList } from './draw/draw-list';
export { isGridState } from './app/session-data';
export { rasterize, RASTER_DEFAULTS } from './raster/raster';
export type { Raster, RasterOptions } from './raster/raster';
export { parseColour } from './raster/colour';
export type { Rgba } from './raster/colour';
export { glyphRows, hasGlyph, GLYPH_WIDTH, GLYPH_HEIGHT } from './raster/font';
export { encodeGif, GIF_DEFAULTS } from './raster/gif';
export type { FrameSource, GifOptions } from './raster/gif';
