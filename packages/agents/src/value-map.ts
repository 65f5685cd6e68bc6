/**
 * The value map telemetry extension for GridWorld (documented in docs/protocol.md's telemetry section): the greedy
 * value max_a Q(s, a) and action of every cell, for the current goal and obstacles. Each cell's state is
 * synthesized as the observation the agent would get standing there (grid, onehot or coords), and the agent values
 * them all in one call (`Agent.actionValues`: one table lookup per cell for tabular-q, one batched forward pass for
 * DQN). The goal cell and obstacles have no such state: value null, action -1.
 *
 * A coords observation does not show obstacles: there every cell but the goal gets a value.
 */
import type { AgentSpec, Observation } from './env-like';
import { gridViewOf } from './egocentric';
import type { GridView } from './egocentric';
import type { Agent } from './plugin';
import type { PeriodicTask } from './runner';

/** Default env steps between two value maps (`train --value-map-every`). */
export const DEFAULT_VALUE_MAP_EVERY = 1000;

/** Largest grid side a value map covers (the extension's bound: N <= 64, GridWorld's largest size). */
export const MAX_VALUE_MAP_SIZE = 64;

export interface ValueMap {
  size: number;
  goal: [number, number];
  /** Row-major, size * size: max_a Q of the agent on that cell; null on the goal and on obstacles. */
  values: Array<number | null>;
  /** Row-major, size * size: the greedy action 0-3 (lowest index on ties); -1 where values is null. */
  actions: number[];
}

/** The cells of one GridWorld observation: agent and goal (row-major indices) and obstacles. */
export interface GridCells {
  agent: number;
  goal: number;
  obstacles: Uint8Array;
}

/** Reads agent, goal and obstacles back from a GridWorld observation of kind `view.observation`. */
export function readCells(view: GridView, obs: ArrayLike<number>): GridCells {
  const cells = view.size * view.size;
  const obstacles = new Uint8Array(cells);
  if (view.observation === 'coords') {
    return { agent: obs[0]! * view.size + obs[1]!, goal: obs[2]! * view.size + obs[3]!, obstacles };
  }
  let agent = -1;
  let goal = -1;
  for (let c = 0; c < cells; c++) {
    if (view.observation === 'onehot') {
      if (obs[c] === 1) agent = c;
      if (obs[cells + c] === 1) goal = c;
      if (obs[2 * cells + c] === 1) obstacles[c] = 1;
    } else {
      const v = obs[c];
      if (v === 1) agent = c;
      else if (v === 2) goal = c;
      else if (v === -1) obstacles[c] = 1;
    }
  }
  return { agent: agent < 0 ? goal : agent, goal, obstacles };
}

/** Writes the observation of the agent standing on `cell` (goal and obstacles as in `grid`) at `out[offset..]`. */
export function synthesize(view: GridView, grid: GridCells, cell: number, out: Float32Array, offset: number): void {
  const size = view.size;
  const cells = size * size;
  if (view.observation === 'coords') {
    out[offset] = Math.floor(cell / size);
    out[offset + 1] = cell % size;
    out[offset + 2] = Math.floor(grid.goal / size);
    out[offset + 3] = grid.goal % size;
    return;
  }
  if (view.observation === 'onehot') {
    out.fill(0, offset, offset + 3 * cells);
    out[offset + cell] = 1;
    out[offset + cells + grid.goal] = 1;
    for (let c = 0; c < cells; c++) if (grid.obstacles[c]) out[offset + 2 * cells + c] = 1;
    return;
  }
  for (let c = 0; c < cells; c++) out[offset + c] = grid.obstacles[c] ? -1 : 0;
  out[offset + grid.goal] = 2;
  out[offset + cell] = 1;
}

/**
 * The value map of `agent` for the goal and obstacles of `observation`; undefined when the agent cannot value
 * states (no `actionValues`), the spec is not a GridWorld it can read, or the observation shows no goal.
 */
export async function valueMapOf(agent: Agent, spec: AgentSpec, observation: Observation): Promise<ValueMap | undefined> {
  const view = gridViewOf(spec);
  if (!view || !agent.actionValues || spec.actionSpace.type !== 'Discrete' || view.size > MAX_VALUE_MAP_SIZE) return undefined;
  const grid = readCells(view, observation);
  if (grid.goal < 0) return undefined;
  const cells = view.size * view.size;
  const obsSize = observation.length;
  const free: number[] = [];
  for (let c = 0; c < cells; c++) if (!grid.obstacles[c] && c !== grid.goal) free.push(c);
  const batch = new Float32Array(free.length * obsSize);
  free.forEach((cell, i) => synthesize(view, grid, cell, batch, i * obsSize));
  const q = free.length ? await agent.actionValues(batch, free.length) : [];
  const n = spec.actionSpace.n;
  const values: Array<number | null> = new Array<number | null>(cells).fill(null);
  const actions: number[] = new Array<number>(cells).fill(-1);
  free.forEach((cell, i) => {
    let best = 0;
    for (let a = 1; a < n; a++) if (q[i * n + a]! > q[i * n + best]!) best = a;
    const value = q[i * n + best]!;
    // A diverged network's NaN is no value: the map leaves the cell blank rather than send what the server drops.
    if (!Number.isFinite(value)) return;
    values[cell] = value;
    actions[cell] = best;
  });
  return { size: view.size, goal: [Math.floor(grid.goal / view.size), grid.goal % view.size], values, actions };
}

/**
 * The runner task that sends the value map every `every` env steps; undefined when `every` is 0 or the agent
 * or environment cannot have one. It sends only where there is telemetry (a run through a server).
 */
export function valueMapTask(agent: Agent, spec: AgentSpec, every: number): PeriodicTask | undefined {
  if (every <= 0 || !agent.actionValues || !gridViewOf(spec)) return undefined;
  return {
    every,
    run: async ({ observation, telemetry }) => {
      if (!telemetry) return;
      const valueMap = await valueMapOf(agent, spec, observation);
      if (valueMap) telemetry({}, { valueMap });
    },
  };
}
