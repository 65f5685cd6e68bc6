/**
 * The terminal play screen as one ANSI string: the board in background colours (two columns per cell),
 * walls or wrap drawn around it, and the step's reward with its parts, the return and the shortest path. Pure.
 */
import type { GridState } from '@rlfs/protocol';
import type { RewardParts } from '../play/reward';

export const ESC = '\x1b[';
export const ANSI = {
  reset: `${ESC}0m`,
  clear: `${ESC}H${ESC}2J`,
  home: `${ESC}H`,
  clearBelow: `${ESC}J`,
  hideCursor: `${ESC}?25l`,
  showCursor: `${ESC}?25h`,
  altScreen: `${ESC}?1049h`,
  mainScreen: `${ESC}?1049l`,
  bold: `${ESC}1m`,
  dim: `${ESC}2m`,
} as const;

const rgbBg = (r: number, g: number, b: number): string => `${ESC}48;2;${r};${g};${b}m`;
const rgbFg = (r: number, g: number, b: number): string => `${ESC}38;2;${r};${g};${b}m`;
const COLOURS = {
  cell: rgbBg(28, 37, 57),
  cellAlt: rgbBg(31, 42, 64),
  agent: rgbBg(255, 122, 69),
  goal: rgbBg(61, 220, 151),
  obstacle: rgbBg(74, 85, 112),
  trail: rgbBg(110, 80, 70),
  wall: rgbFg(201, 211, 230),
  wrap: rgbFg(91, 141, 239),
  muted: rgbFg(140, 151, 173),
  pos: rgbFg(61, 220, 151),
  neg: rgbFg(255, 107, 107),
  title: rgbFg(230, 235, 245),
};

export interface TerminalView {
  state: GridState;
  boundary: 'walls' | 'wrap';
  trail: readonly [number, number][];
  session: string;
  episode: number;
  step: number;
  maxSteps: number;
  returnSoFar: number;
  shortestPath: number | undefined;
  last?: { action: string; reward: number; parts: RewardParts };
  /** The last episode's result line, kept until the next one ends. */
  result?: string;
  message?: string;
}

/** The whole screen, from the top-left corner. */
export function renderScreen(v: TerminalView): string {
  const lines: string[] = [];
  lines.push(`${ANSI.bold}${COLOURS.title}rl-from-scratch · GridWorld-v0${ANSI.reset}  ${COLOURS.muted}session ${v.session} · ${v.state.size}×${v.state.size} · ${v.boundary}${ANSI.reset}`);
  lines.push('');
  lines.push(...renderBoard(v.state, v.boundary, v.trail));
  lines.push('');
  lines.push(`episode ${ANSI.bold}${v.episode}${ANSI.reset}   step ${ANSI.bold}${v.step}${ANSI.reset}/${v.maxSteps}   return ${ANSI.bold}${fmt(v.returnSoFar)}${ANSI.reset}   shortest path ${ANSI.bold}${v.shortestPath ?? '–'}${ANSI.reset}`);
  if (v.last) {
    const parts = (['step', 'shaping', 'wall', 'goal'] as const)
      .filter((k) => k === 'step' || v.last!.parts[k] !== 0)
      .map((k) => `${k} ${colourOf(v.last!.parts[k])}${signed(v.last!.parts[k])}${ANSI.reset}`);
    lines.push(`${v.last.action}: reward ${ANSI.bold}${colourOf(v.last.reward)}${signed(v.last.reward)}${ANSI.reset}  = ${parts.join(' + ')}`);
  } else {
    lines.push(`${COLOURS.muted}make a move: its reward and why show here${ANSI.reset}`);
  }
  lines.push(v.result ? `${ANSI.bold}${v.result}${ANSI.reset}` : '');
  lines.push(v.message ? `${COLOURS.muted}${v.message}${ANSI.reset}` : '');
  lines.push(`${COLOURS.muted}arrows/WASD move · r new episode · q quit${ANSI.reset}`);
  return ANSI.home + lines.map((l) => `${l}${ESC}K`).join('\r\n') + ANSI.clearBelow;
}

/** The board's lines: each cell two columns wide, framed by walls (solid) or wrap (dotted). */
export function renderBoard(state: GridState, boundary: 'walls' | 'wrap', trail: readonly [number, number][] = []): string[] {
  const n = state.size;
  const blocked = new Set(state.obstacles.map(([r, c]) => r * n + c));
  const trailCells = new Set(trail.map(([r, c]) => r * n + c));
  const edge = boundary === 'wrap' ? COLOURS.wrap : COLOURS.wall;
  const [h, v, tl, tr, bl, br] = boundary === 'wrap' ? ['┄', '┆', '┌', '┐', '└', '┘'] : ['━', '┃', '┏', '┓', '┗', '┛'];
  const out = [`${edge}${tl}${h.repeat(2 * n)}${tr}${ANSI.reset}`];
  for (let r = 0; r < n; r++) {
    let line = `${edge}${v}${ANSI.reset}`;
    for (let c = 0; c < n; c++) {
      const cell = r * n + c;
      const isAgent = state.agent[0] === r && state.agent[1] === c;
      const isGoal = state.goal[0] === r && state.goal[1] === c;
      if (isAgent) line += `${COLOURS.agent}${isGoal ? '★ ' : '  '}`;
      else if (isGoal) line += `${COLOURS.goal}  `;
      else if (blocked.has(cell)) line += `${COLOURS.obstacle}  `;
      else if (trailCells.has(cell)) line += `${COLOURS.trail}  `;
      else line += `${(r + c) % 2 ? COLOURS.cellAlt : COLOURS.cell}  `;
    }
    out.push(`${line}${ANSI.reset}${edge}${v}${ANSI.reset}`);
  }
  out.push(`${edge}${bl}${h.repeat(2 * n)}${br}${ANSI.reset}`);
  return out;
}

/** Removes ANSI escapes (for tests and for logs). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

function colourOf(v: number): string {
  return v > 0 ? COLOURS.pos : v < 0 ? COLOURS.neg : COLOURS.muted;
}

function signed(v: number): string {
  const t = fmt(v);
  return v > 0 ? `+${t}` : t;
}

function fmt(v: number): string {
  return String(Math.round(v * 100) / 100);
}
