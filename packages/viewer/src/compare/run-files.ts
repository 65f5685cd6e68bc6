/**
 * Finished run folders as the comparison reads them: `npm run view` sends each folder's episodes and metrics as
 * JSON (`/runs.json`), already downsampled; this is that document's shape and its check.
 */
import type { CompareRun } from './compare';

/** One run folder as `/runs.json` carries it. */
export interface RunFile {
  /** The folder, as given on the command line. */
  folder: string;
  agent: string;
  seed: string;
  /** env, options and anything else run.json said, for the title. */
  about: string;
  steps: number[];
  returns: number[];
  metrics: Record<string, { xs: number[]; ys: number[] }>;
}

export interface RunsDocument {
  runs: RunFile[];
}

/** The runs of a `/runs.json` document, or an error naming what was wrong. */
export function runsFromDocument(doc: unknown): CompareRun[] {
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as RunsDocument).runs)) throw new Error('runs.json: expected {runs: [...]}');
  return (doc as RunsDocument).runs.map((r, i) => {
    if (typeof r.agent !== 'string' || !Array.isArray(r.steps) || !Array.isArray(r.returns)) throw new Error(`runs.json: run ${i} needs agent, steps and returns`);
    return { agent: r.agent, seed: String(r.seed), steps: r.steps, returns: r.returns, metrics: new Map(Object.entries(r.metrics ?? {})) };
  });
}
