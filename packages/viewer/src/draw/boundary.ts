/**
 * Spectator frames carry no options, so the viewer tells walls from wrap by watching moves at the edge:
 * a move off the board that leaves the agent in place means walls, one that lands on the opposite edge
 * means wrap. Pure.
 */
import type { Cell, GridState } from '@rlfs/protocol';

/** Row and column change of actions 0 up, 1 down, 2 left, 3 right. */
export const MOVES: readonly Cell[] = [[-1, 0], [1, 0], [0, -1], [0, 1]];

/**
 * What one step reveals: `before` and `after` are consecutive states of one sub-env, `action` the action taken
 * between them. Undefined when the step was not a move off the board (or the target under wrap is an obstacle).
 */
export function inferBoundary(before: GridState, after: GridState, action: number): 'walls' | 'wrap' | undefined {
  const move = MOVES[action];
  if (!move) return undefined;
  const { size } = before;
  const [r, c] = before.agent;
  const nr = r + move[0];
  const nc = c + move[1];
  if (nr >= 0 && nc >= 0 && nr < size && nc < size) return undefined; // an inner move says nothing
  const wr = (nr + size) % size;
  const wc = (nc + size) % size;
  if (before.obstacles.some(([or, oc]) => or === wr && oc === wc)) return undefined; // blocked either way
  const [ar, ac] = after.agent;
  if (ar === wr && ac === wc) return 'wrap';
  if (ar === r && ac === c) return 'walls';
  return undefined;
}
