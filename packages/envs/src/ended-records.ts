/**
 * The episodes that ended in one vector step, kept as columns of preallocated typed arrays (the vector envs'
 * autoreset writes here), and the `ended` list of `EndedInfo` objects built from them on first use after a step.
 * A consumer that reads the columns (the server's packed reply) or nothing at all (a trainer that never looks)
 * makes no object per ended episode; one that reads `ended` gets the same objects as before, built once per step.
 */
import type { DrawList } from './draw';
import type { EndedInfo, Observation } from './core';

const NO_ENDED: readonly EndedInfo[] = Object.freeze([]);

export class EndedRecords {
  /** Records of the last step: `count` of them, in sub-env order. */
  count = 0;
  readonly index: Int32Array;
  readonly returns: Float64Array;
  readonly lengths: Float64Array;
  /** 1 where the episode ended by reaching a terminal state, 0 by truncation. */
  readonly terminated: Uint8Array;
  /** BFS moves of the episode that ended, -1 where the environment reports none. */
  readonly shortestPath: Int32Array;
  /** The final observations, record k at `k * obsSize`. */
  readonly finalObservations: Observation;
  readonly obsSize: number;
  /** Record of sub-env i in the last step, else -1. */
  private readonly recordOf: Int32Array;
  /** Render states and draw lists at the end of each episode, only while the env records them (spectators). */
  private readonly finalStates: unknown[] = [];
  private readonly finalDraws: Array<DrawList | undefined> = [];
  private list: readonly EndedInfo[] = NO_ENDED;
  private listBuilt = true;

  constructor(numEnvs: number, obsSize: number, newObservation: (length: number) => Observation) {
    this.index = new Int32Array(numEnvs);
    this.returns = new Float64Array(numEnvs);
    this.lengths = new Float64Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.shortestPath = new Int32Array(numEnvs);
    this.finalObservations = newObservation(numEnvs * obsSize);
    this.obsSize = obsSize;
    this.recordOf = new Int32Array(numEnvs).fill(-1);
  }

  /** Forgets the last step's records (before the next step or reset). */
  clear(): void {
    for (let k = 0; k < this.count; k++) this.recordOf[this.index[k]!] = -1;
    this.count = 0;
    this.finalStates.length = 0;
    this.finalDraws.length = 0;
    this.list = NO_ENDED;
    this.listBuilt = true;
  }

  /**
   * Records sub-env i's ended episode (call in sub-env order, before the reset overwrites its observation):
   * its observation is `obs[at .. at + obsSize)`.
   */
  record(i: number, obs: Observation, at: number, ret: number, length: number, terminated: boolean, shortestPath: number): void {
    const k = this.count++;
    this.index[k] = i;
    this.returns[k] = ret;
    this.lengths[k] = length;
    this.terminated[k] = terminated ? 1 : 0;
    this.shortestPath[k] = shortestPath;
    this.recordOf[i] = k;
    const size = this.obsSize;
    const out = this.finalObservations;
    const base = k * size;
    for (let j = 0; j < size; j++) out[base + j] = obs[at + j]!;
    this.listBuilt = false;
  }

  /** Attaches the final render state (and draw list) to the record just made. */
  recordFinalState(state: unknown, draw: DrawList | undefined): void {
    this.finalStates[this.count - 1] = state;
    this.finalDraws[this.count - 1] = draw;
  }

  /** Position of sub-env i's record in the last step, or -1. */
  recordOfEnv(i: number): number {
    return this.recordOf[i]!;
  }

  /** The records as `EndedInfo` objects (each `finalObservation` a copy the caller may keep), built once per step. */
  ended(): readonly EndedInfo[] {
    if (this.listBuilt) return this.list;
    const size = this.obsSize;
    const list: EndedInfo[] = new Array(this.count);
    for (let k = 0; k < this.count; k++) {
      const info: EndedInfo = {
        index: this.index[k]!,
        finalObservation: this.finalObservations.slice(k * size, (k + 1) * size),
        episode: { return: this.returns[k]!, length: this.lengths[k]! },
        terminated: this.terminated[k] === 1,
      };
      if (this.shortestPath[k]! >= 0) info.shortestPath = this.shortestPath[k]!;
      if (k < this.finalStates.length) {
        info.finalState = this.finalStates[k];
        if (this.finalDraws[k] !== undefined) info.finalDraw = this.finalDraws[k];
      }
      list[k] = info;
    }
    this.list = list;
    this.listBuilt = true;
    return list;
  }
}
