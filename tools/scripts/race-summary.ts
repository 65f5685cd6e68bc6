/**
 * The closing table of `npm run race`: per agent, the final evaluation of each seed's run (eval/success and
 * eval/return from its run.json) as mean, standard deviation and range across seeds, and the env steps at which
 * each seed reached the --stop-at target. Pure functions of the run folders' run.json, so a test checks the
 * figures by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What race reads of one trainer's run folder (run.json written by npm run train). */
export interface RaceRun {
  agent: string;
  seed: number;
  dir: string;
  /** The trainer's exit code (0 = it finished: budget or target). */
  exitCode: number | null;
  /** The last evaluation's metrics (eval/success, eval/return, eval/gap), if it evaluated. */
  lastEval?: Record<string, number>;
  /** Env step at which --stop-at was reached, if it was. */
  reachedAt?: number;
  steps?: number;
}

/** Reads what a trainer left in `dir`; fields it did not write stay absent. */
export function readRun(agent: string, seed: number, dir: string, exitCode: number | null): RaceRun {
  const run: RaceRun = { agent, seed, dir, exitCode };
  const file = join(dir, 'run.json');
  if (!existsSync(file)) return run;
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { lastEval?: Record<string, number>; stopAt?: { reachedAt?: { step: number } }; result?: { steps: number } };
    if (json.lastEval) run.lastEval = json.lastEval;
    if (json.stopAt?.reachedAt) run.reachedAt = json.stopAt.reachedAt.step;
    if (json.result) run.steps = json.result.steps;
  } catch {
    // A run.json cut by a crash counts as no figures; the exit code says what happened.
  }
  return run;
}

export interface Spread {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); 0 for one value. */
  sd: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

export interface AgentRow {
  agent: string;
  runs: number;
  finished: number;
  success?: Spread;
  return?: Spread;
  /** Steps to the target of the seeds that reached it, and how many did. */
  toTarget?: Spread;
  reached: number;
}

/** One row per agent, in the order the agents were given. */
export function summarize(runs: readonly RaceRun[], agents: readonly string[]): AgentRow[] {
  return agents.map((agent) => {
    const mine = runs.filter((r) => r.agent === agent);
    const finished = mine.filter((r) => r.exitCode === 0);
    const of = (metric: string): number[] => finished.map((r) => r.lastEval?.[metric]).filter((v): v is number => typeof v === 'number');
    const reachedSteps = finished.map((r) => r.reachedAt).filter((v): v is number => typeof v === 'number');
    const row: AgentRow = { agent, runs: mine.length, finished: finished.length, reached: reachedSteps.length };
    const success = spread(of('eval/success'));
    const ret = spread(of('eval/return'));
    const toTarget = spread(reachedSteps);
    if (success) row.success = success;
    if (ret) row.return = ret;
    if (toTarget) row.toTarget = toTarget;
    return row;
  });
}

/** The table as text: fixed-width columns, "-" where there is no figure. */
export function formatTable(rows: readonly AgentRow[], target?: string): string {
  const header = ['agent', 'runs ok', 'eval/success mean ± sd (min..max)', 'eval/return mean ± sd (min..max)'];
  if (target) header.push(`steps to ${target}`);
  const body = rows.map((r) => {
    const cells = [r.agent, `${r.finished}/${r.runs}`, fmt(r.success, 2), fmt(r.return, 1)];
    if (target) cells.push(r.toTarget ? `${r.reached}/${r.runs} reached, ${fmt(r.toTarget, 0)}` : `0/${r.runs} reached`);
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n') + '\n';
}

function fmt(s: Spread | undefined, digits: number): string {
  if (!s) return '-';
  return `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)} (${s.min.toFixed(digits)}..${s.max.toFixed(digits)})`;
}
