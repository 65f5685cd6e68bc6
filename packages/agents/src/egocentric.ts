/**
 * GridWorld seen from the agent ("egocentric" input encoding). Any of GridWorld's three observations (`grid`,
 * `onehot`, `coords`) is read back into (agent cell, goal cell, blocked cells), and the world is shifted so that
 * the agent sits at the centre of a window of every offset it can have to another cell ((2*size-1)^2 under walls,
 * size^2 under wrap); each window cell has two indicators, "blocked" (an obstacle, or off the grid under walls)
 * and "goal".
 *
 * Why: an MLP on the absolute grid must learn every (agent cell, goal cell, obstacle cell) conjunction separately;
 * seen from the agent, "the goal is 3 up" and "a wall is just right" are one input each wherever the agent is, and
 * what is learnt in one place holds in all. That is what lets DQN's defaults learn GridWorld 5x5 to 8x8 with
 * random obstacles (docs/tutorial.md, "What makes the defaults learn every GridWorld").
 */
import type { Space } from '@rlfs/protocol';
import { observationSize } from './env-like';
import type { AgentSpec } from './env-like';
import { UnsupportedSpaceError } from './errors';
import type { Featurizer } from './features';

export type GridObservationKind = 'grid' | 'onehot' | 'coords';

/** What the agent knows of a GridWorld from its spec. */
export interface GridView {
  size: number;
  boundary: 'walls' | 'wrap';
  observation: GridObservationKind;
}

/**
 * The GridWorld a spec describes, when it is GridWorld-v0 and its observation space is the one its options give
 * (so that the grid can be read back from every observation); undefined otherwise.
 */
export function gridViewOf(spec: Pick<AgentSpec, 'id' | 'options' | 'observationSpace'>): GridView | undefined {
  if (spec.id !== 'GridWorld-v0') return undefined;
  const o = spec.options ?? {};
  const observation = o.observation ?? 'grid';
  const boundary = o.boundary === 'wrap' ? 'wrap' : 'walls';
  if (observation !== 'grid' && observation !== 'onehot' && observation !== 'coords') return undefined;
  const size = typeof o.size === 'number' ? o.size : inferSize(spec.observationSpace, observation);
  if (size === undefined || expectedLength(size, observation) !== observationSize(spec.observationSpace)) return undefined;
  return { size, boundary, observation };
}

/** The egocentric featurizer of a GridWorld; without a view, the space must be a square `grid` observation. */
export function egocentric(space: Space, view: GridView | 'walls' | 'wrap'): Featurizer {
  const given = typeof view === 'object' ? view : undefined;
  const size = given?.size ?? inferSize(space, 'grid');
  if (size === undefined || (!given && (space.type !== 'Box' || space.low !== -1 || space.high !== 2))) {
    throw new UnsupportedSpaceError(`inputEncoding "egocentric" needs a GridWorld observation (a Box of size*size cells in -1..2, or a GridWorld-v0 spec), got a ${space.type} of ${observationSize(space)} values`);
  }
  const kind = given?.observation ?? 'grid';
  const wrap = (given?.boundary ?? view) === 'wrap';
  const cells = size * size;
  const width = wrap ? size : 2 * size - 1;
  const centre = wrap ? 0 : size - 1;
  const windowCells = width * width;
  const blocked = new Uint8Array(cells);
  return {
    size: 2 * windowCells,
    write(obs, offset, out, outOffset) {
      out.fill(0, outOffset, outOffset + 2 * windowCells);
      const [agent, goal] = readGrid(kind, obs, offset, size, blocked);
      if (agent < 0) return;
      const ar = Math.floor(agent / size);
      const ac = agent % size;
      for (let wr = 0; wr < width; wr++) {
        for (let wc = 0; wc < width; wc++) {
          let r = ar + wr - centre;
          let c = ac + wc - centre;
          const k = outOffset + 2 * (wr * width + wc);
          if (wrap) {
            r %= size;
            c %= size;
          } else if (r < 0 || r >= size || c < 0 || c >= size) {
            out[k] = 1;
            continue;
          }
          const cell = r * size + c;
          if (blocked[cell]) out[k] = 1;
          else if (cell === goal) out[k + 1] = 1;
        }
      }
    },
  };
}

/**
 * Reads the agent and goal cells of one observation and fills `blocked` (1 = obstacle). On the goal (a terminal
 * state) a `grid` observation shows only the 2; the agent is there.
 */
function readGrid(kind: GridObservationKind, obs: ArrayLike<number>, offset: number, size: number, blocked: Uint8Array): [number, number] {
  const cells = size * size;
  let agent = -1;
  let goal = -1;
  if (kind === 'coords') {
    blocked.fill(0);
    return [obs[offset]! * size + obs[offset + 1]!, obs[offset + 2]! * size + obs[offset + 3]!];
  }
  if (kind === 'onehot') {
    for (let c = 0; c < cells; c++) {
      if (obs[offset + c] === 1) agent = c;
      if (obs[offset + cells + c] === 1) goal = c;
      blocked[c] = obs[offset + 2 * cells + c] === 1 ? 1 : 0;
    }
    return [agent, goal];
  }
  for (let c = 0; c < cells; c++) {
    const v = obs[offset + c]!;
    blocked[c] = v === -1 ? 1 : 0;
    if (v === 1) agent = c;
    else if (v === 2) goal = c;
  }
  return [agent < 0 ? goal : agent, goal];
}

function expectedLength(size: number, kind: GridObservationKind): number {
  return kind === 'coords' ? 4 : kind === 'onehot' ? 3 * size * size : size * size;
}

function inferSize(space: Space, kind: GridObservationKind): number | undefined {
  if (space.type !== 'Box') return undefined;
  const n = observationSize(space);
  if (kind === 'coords') return typeof space.high === 'number' ? space.high + 1 : undefined;
  const size = Math.round(Math.sqrt(kind === 'onehot' ? n / 3 : n));
  return size * size === (kind === 'onehot' ? n / 3 : n) && size > 0 ? size : undefined;
}
