import type { DrawList, FrameEvent } from '@rlfs/protocol';
import { boardCommands, boardProbe } from '../src/app/board';
import { lengthChart } from '../src/app/charts';
import { SessionData } from '../src/app/session-data';
import { drawListCommands, fitViewport, isDrawList, toCanvas } from '../src/draw/draw-list';

describe('draw lists on the canvas', () => {
  test('the viewport keeps its aspect: 4 x 2 world units in a 208 x 208 box fill the width, centred vertically, y up', () => {
    const fit = fitViewport({ x: -2, y: -1, width: 4, height: 2 }, { x: 0, y: 0, w: 208, h: 208 }, 4);
    // 200 px wide for 4 units: 50 px per unit; 100 px tall, so 54 px above and below.
    expect(fit.scale).toBe(50);
    expect(fit.frame).toEqual({ x: 4, y: 54, w: 200, h: 100 });
    expect(toCanvas(fit, -2, -1)).toEqual([4, 154]); // the viewport's bottom-left corner
    expect(toCanvas(fit, 2, 1)).toEqual([204, 54]); // its top-right corner
    expect(toCanvas(fit, 0, 0)).toEqual([104, 104]);
  });

  test('rect, circle, line and text become commands in canvas pixels, after the background, in list order', () => {
    const list: DrawList = {
      viewport: { x: 0, y: 0, width: 10, height: 10 },
      background: '#dff1ff',
      items: [
        { type: 'rect', x: 1, y: 2, width: 3, height: 1, fill: '#ff0000', stroke: '#000000', lineWidth: 0.1 },
        { type: 'circle', x: 5, y: 5, radius: 1, fill: '#00ff00' },
        { type: 'line', points: [0, 0, 10, 10, 10, 0], lineWidth: 0.01 },
        { type: 'text', x: 5, y: 9, text: 'hi', size: 0.5, align: 'center' },
      ],
    };
    // 100 x 100 box, margin 8: 84 px for 10 units, 8.4 px per unit; world (0, 0) at canvas (8, 92).
    const cmds = drawListCommands(list, { x: 0, y: 0, w: 100, h: 100 });
    expect(cmds.map((c) => c.kind)).toEqual(['rect', 'rect', 'circle', 'polyline', 'text']);
    expect(cmds[0]).toMatchObject({ x: 8, y: 8, w: 84, h: 84, fill: '#dff1ff' });
    const rect = cmds[1] as { x: number; y: number; w: number; h: number; weight: number };
    expect(rect.x).toBeCloseTo(8 + 8.4, 9);
    expect(rect.y).toBeCloseTo(92 - 3 * 8.4, 9); // top edge at world y = 2 + 1
    expect(rect.w).toBeCloseTo(3 * 8.4, 9);
    expect(rect.h).toBeCloseTo(8.4, 9);
    expect(rect.weight).toBe(1); // 0.1 units = 0.84 px, drawn at least one pixel
    expect(cmds[2]).toMatchObject({ x: 50, y: 50, d: 2 * 8.4, fill: '#00ff00' });
    expect(cmds[2]).not.toHaveProperty('stroke', expect.anything());
    const line = cmds[3] as { points: number[]; stroke: string };
    expect(line.stroke).toBe('#000000'); // the default
    expect(line.points.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([8, 92, 92, 8, 92, 92]);
    expect(cmds[4]).toMatchObject({ text: 'hi', x: 50, fill: '#000000', align: 'center', baseline: 'alphabetic' });
    expect((cmds[4] as { size: number }).size).toBeCloseTo(4.2, 9);
  });

  test('the background defaults to white; an unknown item type is skipped, not fatal', () => {
    const list = { viewport: { x: 0, y: 0, width: 1, height: 1 }, items: [{ type: 'sprite' }, { type: 'circle', x: 0.5, y: 0.5, radius: 0.1 }] } as unknown as DrawList;
    const cmds = drawListCommands(list, { x: 0, y: 0, w: 50, h: 50 });
    expect(cmds.map((c) => c.kind)).toEqual(['rect', 'circle']);
    expect(cmds[0]).toMatchObject({ fill: '#ffffff' });
  });

  test('isDrawList accepts a list and refuses what is not one', () => {
    expect(isDrawList({ viewport: { x: 0, y: 0, width: 1, height: 1 }, items: [] })).toBe(true);
    expect(isDrawList({ viewport: { x: 0, y: 0, width: 0, height: 1 }, items: [] })).toBe(false);
    expect(isDrawList({ items: [] })).toBe(false);
    expect(isDrawList({ x: 1 })).toBe(false);
  });
});

describe('the viewer board for any environment', () => {
  const frame = (state: unknown, draw?: DrawList): FrameEvent => ({ type: 'frame', session: 's1', index: 0, step: 3, action: 1, reward: 1, terminated: false, truncated: false, state, ...(draw ? { draw } : {}) });
  const box = { x: 0, y: 0, w: 400, h: 300 };
  const list: DrawList = { viewport: { x: -2.4, y: -1, width: 4.8, height: 3.2 }, items: [{ type: 'rect', x: -0.2, y: -0.12, width: 0.4, height: 0.24, fill: '#000000' }] };

  test('a frame with a draw list is drawn from it under the HUD', () => {
    const data = new SessionData({ session: 's1', env: 'CartPole-v1', name: 'a', episodes: 0, steps: 0 });
    data.onFrame(frame({ x: 0, theta: 0 }, list), 0);
    const cmds = boardCommands(data, box);
    expect(cmds.some((c) => c.kind === 'rect' && c.fill === '#000000')).toBe(true);
    expect(cmds.some((c) => c.kind === 'text' && c.text === 'STEP')).toBe(true);
    expect(boardProbe(data, box, 1)).toMatchObject({ kind: 'draw', draw: list, box: { x: 0, y: 46, w: 400, h: 254 } });
  });

  test('an environment with neither a grid state nor a draw list gets a note naming it', () => {
    const data = new SessionData({ session: 's1', env: 'Plain-v0', name: 'a', episodes: 0, steps: 0 });
    data.onFrame(frame({ observation: [1, 2] }), 0);
    const texts = boardCommands(data, box).filter((c) => c.kind === 'text').map((c) => (c as { text: string }).text);
    expect(texts).toContain('Plain-v0 defines no picture');
    expect(boardProbe(data, box, 1)).toMatchObject({ kind: 'none' });
  });

  test('the length chart names the shortest path only when episodes report one', () => {
    const series = { episodeNos: [1, 2], steps: [10, 30], returns: [10, 20], lengths: [10, 20], shortest: [NaN, NaN] };
    expect(lengthChart(series, 5)).toMatchObject({ title: 'Episode length' });
    expect(lengthChart(series, 5).series).toHaveLength(2);
    expect(lengthChart({ ...series, shortest: [4, 4] }, 5).title).toBe('Episode length vs shortest path');
  });
});
