import { ReplayBuffer } from '../src/replay-buffer';
import { Rng } from '../src/rng';

/** Adds transition k with observation [k, -k], action k % 4, reward k, done on multiples of 3. */
function addNumbered(buffer: ReplayBuffer, k: number): void {
  buffer.add([k, -k], 0, k % 4, k, [k + 0.5, -k - 0.5], 0, k % 3 === 0);
}

describe('ReplayBuffer', () => {
  it('fills up to capacity, then overwrites the oldest slot first (wraparound)', () => {
    const buffer = new ReplayBuffer(4, 2);
    for (let k = 1; k <= 3; k++) addNumbered(buffer, k);
    expect(buffer.size).toBe(3);
    expect(buffer.position).toBe(3);
    for (let k = 4; k <= 6; k++) addNumbered(buffer, k);
    // Slots: 0 <- 5, 1 <- 6, 2 <- 3, 3 <- 4.
    expect(buffer.size).toBe(4);
    expect(buffer.position).toBe(2);
    expect(Array.from(buffer.rewards)).toEqual([5, 6, 3, 4]);
    expect(Array.from(buffer.actions)).toEqual([1, 2, 3, 0]);
    expect(Array.from(buffer.dones)).toEqual([0, 1, 1, 0]);
    expect(Array.from(buffer.observations)).toEqual([5, -5, 6, -6, 3, -3, 4, -4]);
    expect(Array.from(buffer.nextObservations.subarray(0, 2))).toEqual([5.5, -5.5]);
  });

  it('reads rows at an offset of a batch', () => {
    const buffer = new ReplayBuffer(2, 2);
    buffer.add([9, 9, 1, 2], 2, 3, -1, [7, 8, 0, 0], 0, false);
    expect(Array.from(buffer.observations.subarray(0, 2))).toEqual([1, 2]);
    expect(Array.from(buffer.nextObservations.subarray(0, 2))).toEqual([7, 8]);
  });

  it('samples only filled slots, with every field of one slot kept together', () => {
    const buffer = new ReplayBuffer(100, 2);
    for (let k = 1; k <= 10; k++) addNumbered(buffer, k);
    const rng = new Rng(3);
    const batch = buffer.allocateBatch(32);
    const seen = new Set<number>();
    for (let round = 0; round < 50; round++) {
      buffer.sample(rng, batch);
      for (let i = 0; i < batch.size; i++) {
        const slot = batch.indices[i]!;
        expect(slot).toBeGreaterThanOrEqual(0);
        expect(slot).toBeLessThan(10);
        const k = batch.rewards[i]!;
        expect(k).toBe(slot + 1);
        expect(batch.observations[2 * i]).toBe(k);
        expect(batch.observations[2 * i + 1]).toBe(-k);
        expect(batch.nextObservations[2 * i]).toBe(k + 0.5);
        expect(batch.actions[i]).toBe(k % 4);
        expect(batch.dones[i]).toBe(k % 3 === 0 ? 1 : 0);
        seen.add(slot);
      }
    }
    expect(seen.size).toBe(10);
  });

  it('samples over the whole ring once it has wrapped', () => {
    const buffer = new ReplayBuffer(5, 2);
    for (let k = 1; k <= 12; k++) addNumbered(buffer, k);
    const batch = buffer.sample(new Rng(1), buffer.allocateBatch(200));
    const rewards = new Set(Array.from(batch.rewards));
    expect([...rewards].sort((a, b) => a - b)).toEqual([8, 9, 10, 11, 12]);
  });

  it('refuses to sample when empty and a capacity below 1', () => {
    const buffer = new ReplayBuffer(3, 1);
    expect(() => buffer.sample(new Rng(1), buffer.allocateBatch(1))).toThrow(/empty/);
    expect(() => new ReplayBuffer(0, 1)).toThrow(/capacity/);
  });
});
