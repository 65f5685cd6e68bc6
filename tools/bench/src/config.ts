/** Counts and durations of a full run and of `--quick` (same rows, smaller counts: under a minute in all). */

export interface BenchConfig {
  quick: boolean;
  inproc: { durationMs: number; repeats: number };
  inprocN: number[];
  latency: { warmup: number; samples: number; blocks: number; maxMs: number };
  agents: { count: number; warmupMs: number; durationMs: number };
  vectorN: number[];
  vectorEncodings: Array<'plain' | 'packed'>;
  vector: { warmupMs: number; durationMs: number; maxSteps: number };
  idle: { count: number };
  /** Watched vector agent: N, silent spectators, alternating rounds (each shorter than the 5 s spectator stall). */
  watched: { numEnvs: number; spectators: number; rounds: number; roundMs: number; warmupMs: number };
  /**
   * The floors (src/floors/): N, and the alternating rounds of workload and floor, in-process and over loopback
   * (after `warmupMs` of each); `ratio_to_floor` is the median over the rounds of workload / floor.
   */
  floors: { numEnvs: number; rounds: number; inprocRoundMs: number; loopbackRoundMs: number; warmupMs: number };
}

export const FULL: BenchConfig = {
  quick: false,
  inproc: { durationMs: 1000, repeats: 3 },
  // 256 is not among issue 6's in-process sizes, but the socket rows at N = 256 need a ratio to the same N.
  inprocN: [1, 64, 256, 1024],
  latency: { warmup: 3000, samples: 30_000, blocks: 10, maxMs: 20_000 },
  agents: { count: 256, warmupMs: 1000, durationMs: 5000 },
  vectorN: [64, 256, 1024],
  vectorEncodings: ['plain', 'packed'],
  vector: { warmupMs: 500, durationMs: 3000, maxSteps: 1_000_000 },
  idle: { count: 1000 },
  watched: { numEnvs: 64, spectators: 5, rounds: 6, roundMs: 1000, warmupMs: 500 },
  floors: { numEnvs: 1024, rounds: 6, inprocRoundMs: 500, loopbackRoundMs: 1000, warmupMs: 500 },
};

export const QUICK: BenchConfig = {
  quick: true,
  inproc: { durationMs: 200, repeats: 2 },
  inprocN: [1, 64, 256, 1024],
  latency: { warmup: 500, samples: 4000, blocks: 4, maxMs: 5000 },
  agents: { count: 256, warmupMs: 300, durationMs: 1000 },
  vectorN: [64, 256, 1024],
  vectorEncodings: ['plain', 'packed'],
  vector: { warmupMs: 150, durationMs: 500, maxSteps: 100_000 },
  idle: { count: 1000 },
  watched: { numEnvs: 64, spectators: 5, rounds: 4, roundMs: 300, warmupMs: 150 },
  floors: { numEnvs: 1024, rounds: 2, inprocRoundMs: 100, loopbackRoundMs: 200, warmupMs: 150 },
};
