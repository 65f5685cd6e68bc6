/**
 * Experience replay: a ring of the last `capacity` transitions in preallocated typed arrays (no object per
 * transition, nothing allocated after construction). Sampling uniformly from it breaks the correlation
 * between consecutive steps that would otherwise make a network chase its own tail.
 */
import type { Rng } from './rng';

/** A sampled minibatch, written into arrays the caller allocates once with {@link ReplayBuffer.allocateBatch}. */
export interface ReplayBatch {
  size: number;
  observations: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  nextObservations: Float32Array;
  /** 1 where the next observation is terminal (no bootstrap); a truncated episode is stored as 0. */
  dones: Float32Array;
  /** The ring positions sampled (for tests and prioritised variants). */
  indices: Int32Array;
}

export class ReplayBuffer {
  readonly observations: Float32Array;
  readonly nextObservations: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly dones: Float32Array;
  /** Where the next transition goes. */
  position = 0;
  /** Transitions held, at most `capacity`. */
  size = 0;

  constructor(
    readonly capacity: number,
    readonly obsSize: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`replay capacity must be an integer >= 1, got ${capacity}`);
    this.observations = new Float32Array(capacity * obsSize);
    this.nextObservations = new Float32Array(capacity * obsSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Float32Array(capacity);
  }

  /**
   * Stores one transition, overwriting the oldest once full. Observations are read from `obs` at `obsOffset`
   * and `nextObs` at `nextOffset` (rows of a batch).
   */
  add(obs: ArrayLike<number>, obsOffset: number, action: number, reward: number, nextObs: ArrayLike<number>, nextOffset: number, done: boolean): void {
    const p = this.position;
    const base = p * this.obsSize;
    for (let j = 0; j < this.obsSize; j++) {
      this.observations[base + j] = obs[obsOffset + j]!;
      this.nextObservations[base + j] = nextObs[nextOffset + j]!;
    }
    this.actions[p] = action;
    this.rewards[p] = reward;
    this.dones[p] = done ? 1 : 0;
    this.position = (p + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  allocateBatch(size: number): ReplayBatch {
    return {
      size,
      observations: new Float32Array(size * this.obsSize),
      actions: new Int32Array(size),
      rewards: new Float32Array(size),
      nextObservations: new Float32Array(size * this.obsSize),
      dones: new Float32Array(size),
      indices: new Int32Array(size),
    };
  }

  /** Fills `batch` with `batch.size` transitions drawn uniformly (with replacement) from those held. */
  sample(rng: Rng, batch: ReplayBatch): ReplayBatch {
    if (this.size === 0) throw new Error('cannot sample an empty replay buffer');
    const n = this.obsSize;
    for (let i = 0; i < batch.size; i++) {
      const k = rng.int(this.size);
      batch.indices[i] = k;
      batch.observations.set(this.observations.subarray(k * n, k * n + n), i * n);
      batch.nextObservations.set(this.nextObservations.subarray(k * n, k * n + n), i * n);
      batch.actions[i] = this.actions[k]!;
      batch.rewards[i] = this.rewards[k]!;
      batch.dones[i] = this.dones[k]!;
    }
    return batch;
  }
}
