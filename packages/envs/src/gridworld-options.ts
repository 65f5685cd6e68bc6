/**
 * GridWorld-v0 options: the defaults as one literal object, and the validation of every option exactly as the
 * contract states it. Every error is an InvalidOptionsError naming the option (`size`, `rewards.goal`, `layout[2]`).
 */
import { describeValue, InvalidOptionsError } from './errors';
import { buildMoves, labelComponents } from './gridworld-geometry';

export type Boundary = 'walls' | 'wrap';
export type ObservationKind = 'grid' | 'onehot' | 'coords';

export interface GridWorldRewards {
  /** Added on every step. */
  step: number;
  /** Added on the step that reaches the goal. */
  goal: number;
  /** Added on a bump (a move off the grid under walls, or into an obstacle). */
  wall: number;
  /** Weight of the distance shaping term `(d_before - d_after) / size`. */
  shaping: number;
}

/** GridWorld-v0 options, every one resolved. */
export interface GridWorldOptions {
  /** Side of the square grid, 2..64 (set by `layout` when one is given). */
  size: number;
  /** `walls`: moves off the grid bump; `wrap`: the grid is a torus. */
  boundary: Boundary;
  /** Encoding of observations: `grid`, `onehot` or `coords`. */
  observation: ObservationKind;
  /** Steps after which an episode that has not reached the goal is truncated. */
  maxEpisodeSteps: number;
  /** Random obstacles drawn anew at every reset, 0..size*size-2; the goal stays reachable. */
  obstacles: number;
  /** Fixed map: N strings of N characters among `. # A G`. Absent when none was given. */
  layout?: string[];
  rewards: GridWorldRewards;
}

/** The defaults; user options spread over them. */
export const GRIDWORLD_DEFAULTS = {
  size: 5,
  boundary: 'walls',
  observation: 'grid',
  maxEpisodeSteps: 100,
  obstacles: 0,
  rewards: { step: -1, goal: 100, wall: -1, shaping: 1 },
} as const satisfies GridWorldOptions;

const OPTION_KEYS: ReadonlySet<string> = new Set([...Object.keys(GRIDWORLD_DEFAULTS), 'layout']);
const REWARD_KEYS: ReadonlySet<string> = new Set(Object.keys(GRIDWORLD_DEFAULTS.rewards));
const MIN_SIZE = 2;
const MAX_SIZE = 64;

/** A layout read into cells: `blocked[cell]` 1 for `#`; `agent` and `goal` the fixed cells, or -1. */
export interface ParsedLayout {
  size: number;
  blocked: Uint8Array;
  agent: number;
  goal: number;
}

/**
 * Validates `options` (user options, or already resolved ones: resolving is idempotent) and returns every option
 * with its default resolved. Throws InvalidOptionsError naming the first bad option.
 */
export function resolveGridWorldOptions(options: unknown): GridWorldOptions {
  if (options === undefined || options === null) return cloneDefaults();
  if (!isPlainObject(options)) throw new InvalidOptionsError('options', `expected a map of options, got ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new InvalidOptionsError(key, `unknown option; GridWorld-v0 options are ${[...OPTION_KEYS].join(', ')}`);
    }
  }
  const o = options as Record<string, unknown>;
  const boundary = oneOf('boundary', o.boundary, ['walls', 'wrap'] as const) ?? GRIDWORLD_DEFAULTS.boundary;
  const observation = oneOf('observation', o.observation, ['grid', 'onehot', 'coords'] as const) ?? GRIDWORLD_DEFAULTS.observation;
  const maxEpisodeSteps = o.maxEpisodeSteps === undefined ? GRIDWORLD_DEFAULTS.maxEpisodeSteps : integerAtLeast('maxEpisodeSteps', o.maxEpisodeSteps, 1);
  const rewards = resolveRewards(o.rewards);

  if (o.layout !== undefined) {
    const layout = checkLayoutShape(o.layout);
    const n = layout.length;
    if (o.size !== undefined) {
      integerInRange('size', o.size, MIN_SIZE, MAX_SIZE);
      if (o.size !== n) throw new InvalidOptionsError('size', `the layout is ${n}x${n}, so size must be ${n} or absent, got ${describeValue(o.size)}`);
    }
    if (o.obstacles !== undefined) {
      integerInRange('obstacles', o.obstacles, 0, n * n - 2);
      if (o.obstacles !== 0) throw new InvalidOptionsError('obstacles', `must be 0 or absent with a layout (the layout places obstacles), got ${describeValue(o.obstacles)}`);
    }
    checkLayoutConnected(parseLayout(layout), boundary === 'wrap');
    return { size: n, boundary, observation, maxEpisodeSteps, obstacles: 0, layout, rewards };
  }

  const size = o.size === undefined ? GRIDWORLD_DEFAULTS.size : integerInRange('size', o.size, MIN_SIZE, MAX_SIZE);
  const obstacles = o.obstacles === undefined ? GRIDWORLD_DEFAULTS.obstacles : integerInRange('obstacles', o.obstacles, 0, size * size - 2);
  return { size, boundary, observation, maxEpisodeSteps, obstacles, rewards };
}

/** Reads a (validated) layout into cells. */
export function parseLayout(layout: readonly string[]): ParsedLayout {
  const size = layout.length;
  const blocked = new Uint8Array(size * size);
  let agent = -1;
  let goal = -1;
  for (let r = 0; r < size; r++) {
    const row = layout[r]!;
    for (let c = 0; c < size; c++) {
      const ch = row[c];
      const cell = r * size + c;
      if (ch === '#') blocked[cell] = 1;
      else if (ch === 'A') agent = cell;
      else if (ch === 'G') goal = cell;
    }
  }
  return { size, blocked, agent, goal };
}

function cloneDefaults(): GridWorldOptions {
  return { ...GRIDWORLD_DEFAULTS, rewards: { ...GRIDWORLD_DEFAULTS.rewards } };
}

function resolveRewards(value: unknown): GridWorldRewards {
  if (value === undefined) return { ...GRIDWORLD_DEFAULTS.rewards };
  if (!isPlainObject(value)) throw new InvalidOptionsError('rewards', `expected a map such as {goal: 10}, got ${describeValue(value)}`);
  const given = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(given)) {
    if (!REWARD_KEYS.has(key)) throw new InvalidOptionsError(`rewards.${key}`, `unknown reward; rewards are ${[...REWARD_KEYS].join(', ')}`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidOptionsError(`rewards.${key}`, `expected a finite number, got ${describeValue(v)}`);
  }
  return { ...GRIDWORLD_DEFAULTS.rewards, ...(given as Partial<GridWorldRewards>) };
}

function checkLayoutShape(value: unknown): string[] {
  if (!Array.isArray(value)) throw new InvalidOptionsError('layout', `expected a list of N strings of N characters among ". # A G", got ${describeValue(value)}`);
  const n = value.length;
  if (n < MIN_SIZE || n > MAX_SIZE) throw new InvalidOptionsError('layout', `expected from ${MIN_SIZE} to ${MAX_SIZE} rows, got ${n}`);
  let agents = 0;
  let goals = 0;
  value.forEach((row: unknown, r) => {
    const name = `layout[${r}]`;
    if (typeof row !== 'string') throw new InvalidOptionsError(name, `expected a string of ${n} characters, got ${describeValue(row)}`);
    if (row.length !== n) throw new InvalidOptionsError(name, `expected ${n} characters (the layout has ${n} rows), got ${row.length}`);
    for (let c = 0; c < n; c++) {
      const ch = row[c]!;
      if (ch === 'A') agents++;
      else if (ch === 'G') goals++;
      else if (ch !== '.' && ch !== '#') throw new InvalidOptionsError(name, `character ${c} is ${JSON.stringify(ch)}; expected one of ". # A G"`);
      if (agents > 1) throw new InvalidOptionsError(name, 'a second "A": a layout has at most one agent');
      if (goals > 1) throw new InvalidOptionsError(name, 'a second "G": a layout has at most one goal');
    }
  });
  return [...(value as string[])];
}

/** The fixed agent and goal must be connected, and there must be room for a random agent and goal. */
function checkLayoutConnected(parsed: ParsedLayout, wrap: boolean): void {
  const cells = parsed.size * parsed.size;
  const { label, sizes } = labelComponents(buildMoves(parsed.size, wrap), cells, parsed.blocked);
  const { agent, goal } = parsed;
  if (agent >= 0 && goal >= 0) {
    if (label[agent] !== label[goal]) throw new InvalidOptionsError('layout', `the goal "G" cannot be reached from the agent "A" (boundary ${wrap ? 'wrap' : 'walls'})`);
    return;
  }
  const fixed = agent >= 0 ? agent : goal;
  if (fixed >= 0) {
    if (sizes[label[fixed]!]! < 2) throw new InvalidOptionsError('layout', `no free cell is connected to the fixed "${agent >= 0 ? 'A' : 'G'}", so there is no room for the ${agent >= 0 ? 'goal' : 'agent'}`);
    return;
  }
  if (!sizes.some((s) => s >= 2)) throw new InvalidOptionsError('layout', 'expected at least two connected free cells (for the agent and the goal)');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InvalidOptionsError(name, `expected ${allowed.map((a) => JSON.stringify(a)).join(' or ')}, got ${describeValue(value)}`);
}

function integerInRange(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionsError(name, `expected an integer from ${min} to ${max}, got ${describeValue(value)}`);
  }
  return value + 0; // -0 becomes 0
}

function integerAtLeast(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionsError(name, `expected an integer >= ${min}, got ${describeValue(value)}`);
  }
  return value;
}
