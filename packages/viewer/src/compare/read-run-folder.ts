/**
 * Reads finished run folders for `npm run view` (Node only): episodes.csv (its `step` or `steps` column is the env
 * step at each episode's end), metrics.csv (`step,metric,value`, long format) and run.json (env, options, agent,
 * seed), or the checkpoint's manifest where run.json is missing. Long files are streamed and downsampled to a
 * bounded number of points per series (neighbouring pairs merged into their mean), so a 10-million-episode run
 * opens as fast as a short one.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { BoundedSeries } from '../plot/series';
import type { RunFile } from './run-files';

/** Points kept per series of a run (return by env step, each metric). */
export const RUN_SERIES_POINTS = 2000;

/** A run folder could not be read: the message names the folder and the file. */
export class RunFolderError extends Error {
  override name = 'RunFolderError';
}

/** One run folder as `/runs.json` carries it. */
export async function readRunFolder(folder: string, points = RUN_SERIES_POINTS): Promise<RunFile> {
  const episodesFile = join(folder, 'episodes.csv');
  if (!existsSync(episodesFile)) throw new RunFolderError(`${folder}: no episodes.csv (is it a run folder written by npm run train -- --out ${folder}?)`);
  const about = describeRun(folder);
  const returns = new BoundedSeries(Math.max(4, points));
  let header: string[] | undefined;
  let stepCol = -1;
  let returnCol = -1;
  let lengthCol = -1;
  let stepsSoFar = 0;
  for await (const line of lines(episodesFile)) {
    if (!header) {
      header = line.split(',');
      stepCol = header.indexOf('step') >= 0 ? header.indexOf('step') : header.indexOf('steps');
      returnCol = header.indexOf('return');
      lengthCol = header.indexOf('length');
      if (returnCol < 0) throw new RunFolderError(`${episodesFile}: no "return" column in its header ${JSON.stringify(line)}`);
      continue;
    }
    const cells = line.split(',');
    const ret = Number(cells[returnCol]);
    // Without a step column the env steps are the episodes' lengths summed (a scalar run's own count).
    stepsSoFar = stepCol >= 0 ? Number(cells[stepCol]) : stepsSoFar + Number(cells[lengthCol] ?? 0);
    if (Number.isFinite(ret) && Number.isFinite(stepsSoFar)) returns.push(stepsSoFar, ret);
  }
  const metrics: RunFile['metrics'] = {};
  const metricsFile = join(folder, 'metrics.csv');
  if (existsSync(metricsFile)) {
    const series = new Map<string, BoundedSeries>();
    let first = true;
    for await (const line of lines(metricsFile)) {
      if (first) {
        first = false;
        if (line.trim() !== 'step,metric,value') throw new RunFolderError(`${metricsFile}: expected the header step,metric,value, got ${JSON.stringify(line)}`);
        continue;
      }
      const [step, metric, value] = line.split(',');
      const s = Number(step);
      const v = Number(value);
      if (!metric || !Number.isFinite(s) || !Number.isFinite(v)) continue;
      if (!series.has(metric)) series.set(metric, new BoundedSeries(Math.max(4, points)));
      series.get(metric)!.push(s, v);
    }
    for (const [name, s] of series) metrics[name] = { xs: s.xs.slice(), ys: s.ys.slice() };
  }
  return { folder, agent: about.agent, seed: about.seed, about: about.text, steps: returns.xs.slice(), returns: returns.ys.slice(), metrics };
}

/** The agent, seed and a one-line description of a run, from run.json or the checkpoint manifest. */
export function describeRun(folder: string): { agent: string; seed: string; text: string } {
  const doc = readJson(join(folder, 'run.json')) ?? readJson(join(folder, 'checkpoint', 'checkpoint.json')) ?? {};
  const name = basename(folder.replace(/[\\/]+$/, ''));
  // runs/race-<id>/<agent>-seed<k>/: the folder names them when the files do not
  const fromName = /^(.+)-seed(\d+)$/.exec(name);
  const agent = typeof doc.agent === 'string' ? doc.agent : fromName?.[1] ?? name;
  const seed = doc.seed !== undefined ? String(doc.seed) : fromName?.[2] ?? '0';
  const env = typeof doc.env === 'string' ? doc.env : typeof (doc.spec as { id?: unknown } | undefined)?.id === 'string' ? (doc.spec as { id: string }).id : '';
  const options = doc.options ?? doc.envOptions;
  const text = [env, options ? JSON.stringify(options) : '', `${agent} seed ${seed}`].filter(Boolean).join(' ');
  return { agent, seed, text };
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const doc: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : undefined;
  } catch (err) {
    throw new RunFolderError(`${file}: not JSON (${(err as Error).message})`);
  }
}

async function* lines(file: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim() !== '') yield line;
}
