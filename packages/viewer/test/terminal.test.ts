import { ANSI, colourModeFrom, renderBoard, renderLegend, renderScreen, stripAnsi } from '../src/terminal/ansi';
import type { TerminalView } from '../src/terminal/ansi';
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

test('the board: two columns per cell with its letter, walls solid, wrap dotted, the agent on the goal AG', () => {
  const lines = renderBoard({ size: 2, agent: [0, 0], goal: [1, 1], obstacles: [[0, 1]] }, 'walls').map(stripAnsi);
  expect(lines).toEqual(['┏━━━━┓', '┃A ##┃', '┃  G ┃', '┗━━━━┛']);
  expect(renderBoard({ size: 2, agent: [0, 0], goal: [1, 1], obstacles: [] }, 'wrap').map(stripAnsi)[0]).toBe('┌┄┄┄┄┐');
  expect(stripAnsi(renderBoard({ size: 2, agent: [1, 1], goal: [1, 1], obstacles: [] }, 'walls')[2]!)).toBe('┃  AG┃');
  // the trail: a dot where the agent has been
  expect(stripAnsi(renderBoard({ size: 3, agent: [0, 2], goal: [2, 2], obstacles: [] }, 'walls', [[0, 0], [0, 1], [0, 2]])[1]!)).toBe('┃· · A ┃');
  const raw = renderBoard({ size: 2, agent: [0, 0], goal: [1, 1], obstacles: [[0, 1]] }, 'walls')[1]!;
  expect(raw).toContain('\x1b[48;2;255;122;69m'); // agent colour, as in the browser
  expect(raw).toContain('\x1b[48;2;74;85;112m'); // obstacle
});

test('the colour mode: NO_COLOR (non-empty) wins, 24-bit only when COLORTERM says so, else 16 colours', () => {
  expect(colourModeFrom({})).toBe('16');
  expect(colourModeFrom({ COLORTERM: 'truecolor' })).toBe('truecolor');
  expect(colourModeFrom({ COLORTERM: '24bit' })).toBe('truecolor');
  expect(colourModeFrom({ COLORTERM: 'yes', TERM: 'xterm-256color' })).toBe('16');
  expect(colourModeFrom({ NO_COLOR: '1', COLORTERM: 'truecolor' })).toBe('none');
  expect(colourModeFrom({ NO_COLOR: '', COLORTERM: 'truecolor' })).toBe('truecolor'); // empty NO_COLOR is unset
});

const VIEW: TerminalView = {
  state: { size: 3, agent: [0, 1], goal: [2, 2], obstacles: [[1, 1]] }, boundary: 'walls', trail: [[0, 0], [0, 1]], session: 's1', episode: 1, step: 1, maxSteps: 100,
  returnSoFar: -0.8025, shortestPath: 4, last: { action: 'right', reward: -0.8025, parts: { step: -1, shaping: 0.1975, wall: 0, goal: 0, total: -0.8025 } },
};
const SGR = /\x1b\[[0-9;]*m/g;

test('16 colours: standard SGR codes only, the same letters and legend', () => {
  const screen = renderScreen(VIEW, '16');
  expect(screen).not.toMatch(/\x1b\[(38|48);2;/); // no 24-bit colour
  for (const code of screen.match(SGR)!) expect(code).toMatch(/^\x1b\[(\d+;)*\d*m$/);
  expect(screen).toContain('\x1b[101;30;1mA \x1b[0m'); // agent: black A on bright red
  expect(screen).toContain('\x1b[102;30;1mG \x1b[0m'); // goal: black G on bright green
  const text = stripAnsi(screen).split('\r\n');
  expect(text.slice(2, 7)).toEqual(['┏━━━━━━┓', '┃· A   ┃', '┃  ##  ┃', '┃    G ┃', '┗━━━━━━┛']);
  expect(text[7]).toBe('A agent  G goal  # obstacle  · trail  ┃ walls');
});

test('NO_COLOR: not one colour or bold escape, empty cells dotted, everything still readable', () => {
  const screen = renderScreen(VIEW, 'none');
  expect(screen.match(SGR)).toBeNull();
  const lines = screen.split('\r\n').map((l) => l.replace(/\x1b\[K$/, ''));
  expect(lines.slice(2, 8)).toEqual(['┏━━━━━━┓', '┃· A . ┃', '┃. ##. ┃', '┃. . G ┃', '┗━━━━━━┛', 'A agent  G goal  # obstacle  · trail  ┃ walls']);
  expect(screen).toContain('right: reward -0.8  = step -1 + shaping +0.2');
  expect(renderLegend('wrap', 'none')).toBe('A agent  G goal  # obstacle  · trail  ┆ wrap');
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
