/**
 * The agent's recent cells, kept in a fixed ring so that thousands of frames a second cost O(1) each.
 */
import type { Cell } from '@rlfs/protocol';

export class Trail {
  private readonly rows: Int32Array;
  private readonly cols: Int32Array;
  private start = 0;
  private count = 0;

  /** @param capacity how many recent cells to keep (default 24) */
  constructor(readonly capacity = 24) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError(`capacity: expected a positive integer, got ${capacity}`);
    this.rows = new Int32Array(capacity);
    this.cols = new Int32Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Adds the agent's cell; a repeat of the last cell (a bump) is not added twice. */
  push([row, col]: Cell): void {
    if (this.count > 0) {
      const last = (this.start + this.count - 1) % this.capacity;
      if (this.rows[last] === row && this.cols[last] === col) return;
    }
    const at = (this.start + this.count) % this.capacity;
    this.rows[at] = row;
    this.cols[at] = col;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Forgets every cell (a new episode). */
  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  /** The cells, oldest first. */
  cells(): Cell[] {
    const out: Cell[] = [];
    for (let i = 0; i < this.count; i++) {
      const at = (this.start + i) % this.capacity;
      out.push([this.rows[at]!, this.cols[at]!]);
    }
    return out;
  }
}
