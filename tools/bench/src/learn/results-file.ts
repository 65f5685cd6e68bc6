/**
 * `bench:learn --results FILE`: one JSON line per finished (case, seed) run, appended and fsynced as the run ends,
 * so that a long run (the family: 24 shapes x 3 seeds, minutes each) can be interrupted and continued: a rerun
 * with the same file skips every run whose key is already there. A run is keyed by everything that decides its
 * outcome (agent, case label, environment and agent options, vector width, evaluation interval, step budget, bar,
 * seed), so a probe with other settings never takes a stored run for its own.
 *
 * A process killed in the middle of an append leaves a last line without its newline; reading ignores it and the
 * next append first cuts it off.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { UsageError } from '@rlfs/cli';
import type { LearnCase, LearnRun } from './measure';

/** One line of the file: a run, where an imported one may lack the figures its source did not give (null). */
export interface StoredRun extends Omit<LearnRun, 'finalReturn' | 'trainSeconds' | 'evalSeconds'> {
  finalReturn: number | null;
  trainSeconds: number | null;
  evalSeconds: number | null;
  key: string;
  agent: string;
  case: string;
  envOptions: Record<string, unknown>;
  agentOptions: Record<string, unknown>;
  date: string;
  backend: string;
  loadAverage: number | null;
  /** Where the figures come from when they were not measured by this command (e.g. imported from the docs). */
  source?: string;
}

/** The settings that decide a run's outcome, as one string. */
export function runKey(c: LearnCase, seed: number): string {
  const settings = { agent: c.agent, case: c.label, env: c.env ?? 'GridWorld-v0', envOptions: c.envOptions, agentOptions: c.agentOptions ?? {}, numEnvs: c.numEnvs ?? 1, every: c.every, maxSteps: c.maxSteps, bar: c.bar ?? null, maxGap: c.maxGap ?? null, returnBar: c.returnBar ?? null };
  return `${JSON.stringify(settings)} seed ${seed}`;
}

export interface ResultsFile {
  runs: StoredRun[];
  /** Bytes up to the end of the last complete line (where the next append starts). */
  completeBytes: number;
  /** A last line cut short by a killed process, ignored. */
  torn: boolean;
}

/** Reads the stored runs; a missing file has none. A complete line that is not a stored run is an error naming it. */
export function readResults(file: string): ResultsFile {
  if (!existsSync(file)) return { runs: [], completeBytes: 0, torn: false };
  const bytes = readFileSync(file);
  const end = bytes.lastIndexOf(0x0a) + 1;
  const runs = bytes
    .subarray(0, end)
    .toString('utf8')
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== '')
    .map(([line, n]) => {
      let run: unknown;
      try {
        run = JSON.parse(line);
      } catch (err) {
        throw new Error(`${file} line ${n}: not JSON (${(err as Error).message})`);
      }
      if (typeof run !== 'object' || run === null || typeof (run as StoredRun).key !== 'string' || typeof (run as StoredRun).seed !== 'number') throw new Error(`${file} line ${n}: not a stored run (needs "key" and "seed")`);
      return run as StoredRun;
    });
  return { runs, completeBytes: end, torn: end < bytes.byteLength };
}

/** Appends one run as a line and fsyncs it before returning. */
export function appendResult(file: string, run: StoredRun): void {
  const { completeBytes, torn } = readResults(file);
  // By hand rather than @rlfs/agents' AppendFile, which would load TensorFlow.js into every test of this file.
  const fd = openSync(file, 'a');
  try {
    if (torn) ftruncateSync(fd, completeBytes);
    const bytes = Buffer.from(JSON.stringify(run) + '\n', 'utf8');
    for (let done = 0; done < bytes.byteLength; ) done += writeSync(fd, bytes, done, bytes.byteLength - done);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The stored run of `c` and `seed`, if any (the last one, should a key appear twice). */
export function storedRun(runs: readonly StoredRun[], c: LearnCase, seed: number): StoredRun | undefined {
  const key = runKey(c, seed);
  for (let i = runs.length - 1; i >= 0; i--) if (runs[i]!.key === key) return runs[i];
  return undefined;
}

/**
 * `--shard K/N`: this process measures the runs whose place in the work list is K modulo N, so that N processes
 * with the same results file split the runs (each also skips what the others stored; each line is appended with one
 * write on an O_APPEND descriptor, so their lines do not interleave).
 */
export function parseShard(text: string | undefined): { index: number; of: number } {
  if (text === undefined) return { index: 0, of: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const of = Number(m?.[2]);
  if (!m || of < 1 || index >= of) throw new UsageError(`--shard: expected K/N with 0 <= K < N, e.g. 0/2, got ${JSON.stringify(text)}`);
  return { index, of };
}

