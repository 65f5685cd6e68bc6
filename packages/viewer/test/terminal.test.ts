import { ANSI, renderBoard, renderScreen, stripAnsi } from '../src/terminal/ansi';
import { parseKeys } from '../src/terminal/keys';

test('key codes: arrows in both cursor modes, WASD, r, q, Ctrl-C, several keys per chunk', () => {
  expect(parseKeys('\x1b[A\x1b[B\x1b[D\x1b[C')).toEqual([0, 1, 2, 3].map((action) => ({ kind: 'move', action })));
  expect(parseKeys('\x1bOA')).toEqual([{ kind: 'move', action: 0 }]);
  expect(parseKeys('wasdW')).toEqual([0, 2, 1, 3, 0].map((action) => ({ kind: 'move', action })));
  expect(parseKeys('r')).toEqual([{ kind: 'reset' }]);
  expect(parseKeys('q')).toEqual([{ kind: 'quit' }]);
  expect(parseKeys('\x03')).toEqual([{ kind: 'quit' }]);
  expect(parseKeys('\x1b')).toEqual([{ kind: 'quit' }]);
  expect(parseKeys('\x1b[5~x')).toEqual([]); // page up and unknown keys ignored
});

test('the board: two columns per cell, walls solid, wrap dotted, the agent on the goal starred', () => {
  const lines = renderBoard({ size: 2, agent: [0, 0], goal: [1, 1], obstacles: [[0, 1]] }, 'walls').map(stripAnsi);
  expect(lines).toEqual(['┏━━━━┓', '┃    ┃', '┃    ┃', '┗━━━━┛']);
  expect(renderBoard({ size: 2, agent: [0, 0], goal: [1, 1], obstacles: [] }, 'wrap').map(stripAnsi)[0]).toBe('┌┄┄┄┄┐');
  expect(stripAnsi(renderBoard({ size: 2, agent: [1, 1], goal: [1, 1], obstacles: [] }, 'walls')[2]!)).toBe('┃  ★ ┃');
  const raw = renderBoard({ size: 2, agent: [0, 0], goal: [1, 1], obstacles: [[0, 1]] }, 'walls')[1]!;
  expect(raw).toContain('\x1b[48;2;255;122;69m'); // agent colour, as in the browser
  expect(raw).toContain('\x1b[48;2;74;85;112m'); // obstacle
});

test('the screen shows the reward with its parts, the return and the shortest path', () => {
  const screen = renderScreen({
    state: { size: 3, agent: [0, 1], goal: [2, 2], obstacles: [] }, boundary: 'walls', trail: [[0, 0], [0, 1]], session: 's1', episode: 1, step: 1, maxSteps: 100,
    returnSoFar: -0.8025, shortestPath: 4, last: { action: 'right', reward: -0.8025, parts: { step: -1, shaping: 0.1975, wall: 0, goal: 0, total: -0.8025 } },
  });
  expect(screen.startsWith(ANSI.home)).toBe(true);
  const text = stripAnsi(screen);
  expect(text).toContain('episode 1   step 1/100   return -0.8   shortest path 4');
  expect(text).toContain('right: reward -0.8  = step -1 + shaping +0.2');
});
