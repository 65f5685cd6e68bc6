/**
 * The terminal play screen as one ANSI string: the board (two columns per cell) with letters in the cells as well
 * as background colours (A agent, G goal, # obstacle, · trail: readable without colour and by colour-blind
 * players), a legend line, walls or wrap drawn around it, and the step's reward with its parts, the return and the
 * shortest path. Colours come in 24-bit, in the 16 standard colours, or not at all (NO_COLOR). Pure.
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

/** How the screen is coloured: 24-bit, the 16 standard colours, or no colour escapes at all. */
export type ColourMode = 'truecolor' | '16' | 'none';

/**
 * The colour mode a terminal asks for: none when NO_COLOR is set to anything but the empty string (no-color.org),
 * 24-bit only when COLORTERM says `truecolor` or `24bit`, else the 16 colours every terminal has.
 */
export function colourModeFrom(env: Record<string, string | undefined>): ColourMode {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 'none';
  const colorterm = (env.COLORTERM ?? '').toLowerCase();
  return colorterm === 'truecolor' || colorterm === '24bit' ? 'truecolor' : '16';
}

type Palette = Record<'cell' | 'cellAlt' | 'agent' | 'goal' | 'obstacle' | 'trail' | 'wall' | 'wrap' | 'muted' | 'pos' | 'neg' | 'title' | 'bold' | 'reset', string>;

const rgbBg = (r: number, g: number, b: number): string => `${ESC}48;2;${r};${g};${b}m`;
const rgbFg = (r: number, g: number, b: number): string => `${ESC}38;2;${r};${g};${b}m`;
const sgr = (...codes: number[]): string => `${ESC}${codes.join(';')}m`;
const INK = rgbFg(12, 17, 28); // the letters on the bright cells

/** The browser viewer's colours (src/draw/commands.ts PALETTE), with the cell letters drawn dark on them. */
const TRUECOLOR: Palette = {
  cell: rgbBg(28, 37, 57),
  cellAlt: rgbBg(31, 42, 64),
  agent: rgbBg(255, 122, 69) + INK + ANSI.bold,
  goal: rgbBg(61, 220, 151) + INK + ANSI.bold,
  obstacle: rgbBg(74, 85, 112) + rgbFg(140, 151, 173),
  trail: rgbBg(110, 80, 70) + rgbFg(230, 200, 180),
  wall: rgbFg(201, 211, 230),
  wrap: rgbFg(91, 141, 239),
  muted: rgbFg(140, 151, 173),
  pos: rgbFg(61, 220, 151),
  neg: rgbFg(255, 107, 107),
  title: rgbFg(230, 235, 245),
  bold: ANSI.bold,
  reset: ANSI.reset,
};

/** The nearest of the 16 standard colours (SGR 30-37/40-47 and their bright 90-97/100-107). */
const SIXTEEN: Palette = {
  cell: sgr(40),
  cellAlt: sgr(40),
  agent: sgr(101, 30, 1),
  goal: sgr(102, 30, 1),
  obstacle: sgr(100, 37),
  trail: sgr(40, 33),
  wall: sgr(37),
  wrap: sgr(94),
  muted: sgr(90),
  pos: sgr(32),
  neg: sgr(91),
  title: sgr(97),
  bold: ANSI.bold,
  reset: ANSI.reset,
};

const NONE: Palette = { cell: '', cellAlt: '', agent: '', goal: '', obstacle: '', trail: '', wall: '', wrap: '', muted: '', pos: '', neg: '', title: '', bold: '', reset: '' };

const PALETTES: Record<ColourMode, Palette> = { truecolor: TRUECOLOR, '16': SIXTEEN, none: NONE };

/** What each cell shows, two columns wide. An empty cell shows a dot only without colour (to see the grid). */
export const CELL_TEXT = { agent: 'A ', agentOnGoal: 'AG', goal: 'G ', obstacle: '##', trail: '· ', empty: '  ', emptyNoColour: '. ' } as const;

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

/** The whole screen, from the top-left corner. `mode` 'none' writes cursor moves only, no colour or bold. */
export function renderScreen(v: TerminalView, mode: ColourMode = 'truecolor'): string {
  const p = PALETTES[mode];
  const b = (text: string | number): string => `${p.bold}${text}${p.reset}`;
  const colourOf = (x: number): string => (x > 0 ? p.pos : x < 0 ? p.neg : p.muted);
  const lines: string[] = [];
  lines.push(`${p.bold}${p.title}rl-from-scratch · GridWorld-v0${p.reset}  ${p.muted}session ${v.session} · ${v.state.size}×${v.state.size} · ${v.boundary}${p.reset}`);
  lines.push('');
  lines.push(...renderBoard(v.state, v.boundary, v.trail, mode));
  lines.push(renderLegend(v.boundary, mode));
  lines.push('');
  lines.push(`episode ${b(v.episode)}   step ${b(v.step)}/${v.maxSteps}   return ${b(fmt(v.returnSoFar))}   shortest path ${b(v.shortestPath ?? '–')}`);
  if (v.last) {
    const parts = (['step', 'shaping', 'wall', 'goal'] as const)
      .filter((k) => k === 'step' || v.last!.parts[k] !== 0)
      .map((k) => `${k} ${colourOf(v.last!.parts[k])}${signed(v.last!.parts[k])}${p.reset}`);
    lines.push(`${v.last.action}: reward ${p.bold}${colourOf(v.last.reward)}${signed(v.last.reward)}${p.reset}  = ${parts.join(' + ')}`);
  } else {
    lines.push(`${p.muted}make a move: its reward and why show here${p.reset}`);
  }
  lines.push(v.result ? b(v.result) : '');
  lines.push(v.message ? `${p.muted}${v.message}${p.reset}` : '');
  lines.push(`${p.muted}arrows/WASD move · r new episode · q quit${p.reset}`);
  return ANSI.home + lines.map((l) => `${l}${ESC}K`).join('\r\n') + ANSI.clearBelow;
}

/** The board's lines: each cell two columns wide with its letter, framed by walls (solid) or wrap (dotted). */
export function renderBoard(state: GridState, boundary: 'walls' | 'wrap', trail: readonly [number, number][] = [], mode: ColourMode = 'truecolor'): string[] {
  const p = PALETTES[mode];
  const n = state.size;
  const blocked = new Set(state.obstacles.map(([r, c]) => r * n + c));
  const trailCells = new Set(trail.map(([r, c]) => r * n + c));
  const edge = boundary === 'wrap' ? p.wrap : p.wall;
  const [h, v, tl, tr, bl, br] = boundary === 'wrap' ? ['┄', '┆', '┌', '┐', '└', '┘'] : ['━', '┃', '┏', '┓', '┗', '┛'];
  const out = [`${edge}${tl}${h.repeat(2 * n)}${tr}${p.reset}`];
  for (let r = 0; r < n; r++) {
    let line = `${edge}${v}${p.reset}`;
    for (let c = 0; c < n; c++) {
      const cell = r * n + c;
      const isAgent = state.agent[0] === r && state.agent[1] === c;
      const isGoal = state.goal[0] === r && state.goal[1] === c;
      if (isAgent) line += `${isGoal ? p.goal : p.agent}${isGoal ? CELL_TEXT.agentOnGoal : CELL_TEXT.agent}${p.reset}`;
      else if (isGoal) line += `${p.goal}${CELL_TEXT.goal}${p.reset}`;
      else if (blocked.has(cell)) line += `${p.obstacle}${CELL_TEXT.obstacle}${p.reset}`;
      else if (trailCells.has(cell)) line += `${p.trail}${CELL_TEXT.trail}${p.reset}`;
      else line += `${(r + c) % 2 ? p.cellAlt : p.cell}${mode === 'none' ? CELL_TEXT.emptyNoColour : CELL_TEXT.empty}${p.reset}`;
    }
    out.push(`${line}${edge}${v}${p.reset}`);
  }
  out.push(`${edge}${bl}${h.repeat(2 * n)}${br}${p.reset}`);
  return out;
}

/** One line naming what the board shows, each sample drawn as on the board. */
export function renderLegend(boundary: 'walls' | 'wrap', mode: ColourMode = 'truecolor'): string {
  const p = PALETTES[mode];
  const sample = (colour: string, text: string): string => `${colour}${text.trimEnd()}${p.reset}`;
  const edge = boundary === 'wrap' ? `${p.wrap}┆${p.reset} wrap` : `${p.wall}┃${p.reset} walls`;
  return [
    `${sample(p.agent, 'A')} agent`,
    `${sample(p.goal, 'G')} goal`,
    `${sample(p.obstacle, '#')} obstacle`,
    `${sample(p.trail, '·')} trail`,
    edge,
  ].join('  ');
}

/** Removes ANSI escapes (for tests and for logs). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

function signed(v: number): string {
  const t = fmt(v);
  return v > 0 ? `+${t}` : t;
}

function fmt(v: number): string {
  return String(Math.round(v * 100) / 100);
}
