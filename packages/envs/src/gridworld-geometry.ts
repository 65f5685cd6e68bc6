/**
 * Geometry of a square grid shared by GridWorld's options and rules: cells are row-major indices
 * `row * size + col`; moves follow the action numbers 0 up, 1 down, 2 left, 3 right.
 */

/** Number of actions (and of neighbours of a cell). */
export const NUM_MOVES = 4;

/**
 * The move table: `moves[action * cells + cell]` is the cell the move leads to, or -1 for a move off the grid
 * under walls (under wrap every move leads to a cell, the opposite edge). Obstacles are not in this table.
 */
export function buildMoves(size: number, wrap: boolean): Int32Array {
  const cells = size * size;
  const moves = new Int32Array(NUM_MOVES * cells);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const cell = r * size + c;
      moves[cell] = r > 0 ? cell - size : wrap ? (size - 1) * size + c : -1;
      moves[cells + cell] = r < size - 1 ? cell + size : wrap ? c : -1;
      moves[2 * cells + cell] = c > 0 ? cell - 1 : wrap ? r * size + size - 1 : -1;
      moves[3 * cells + cell] = c < size - 1 ? cell + 1 : wrap ? r * size : -1;
    }
  }
  return moves;
}

/**
 * Labels the connected components of free cells (`blocked[offset + cell] === 0`): `label[cell]` is the
 * component's number (0, 1, ... in order of their smallest cell), or -1 for a blocked cell.
 */
export function labelComponents(
  moves: Int32Array,
  cells: number,
  blocked: Uint8Array,
  offset = 0,
): { label: Int32Array; sizes: number[] } {
  const label = new Int32Array(cells).fill(-1);
  const sizes: number[] = [];
  const queue = new Int32Array(cells);
  for (let start = 0; start < cells; start++) {
    if (blocked[offset + start] || label[start]! >= 0) continue;
    const id = sizes.length;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    label[start] = id;
    while (head < tail) {
      const cell = queue[head++]!;
      for (let a = 0; a < NUM_MOVES; a++) {
        const next = moves[a * cells + cell]!;
        if (next < 0 || blocked[offset + next] || label[next]! >= 0) continue;
        label[next] = id;
        queue[tail++] = next;
      }
    }
    sizes.push(tail);
  }
  return { label, sizes };
}
