/**
 * Demonstrations: transitions a person played (the /play page's recording, docs/agents.md "Demonstrations"), one JSON
 * object a line, read and checked here before an agent takes them (`npm run train -- --demos FILE`). Every line must
 * be a transition of the run's environment with the run's options: a line of another world would teach the agent
 * rewards and moves that are not this one's. A bad line is refused with its number and the field that is wrong.
 */
import type { AgentSpec } from './env-like';
import { observationSize } from './env-like';
import type { Transitions } from './plugin';
import { DemosFormatError } from './errors';

/** Lines a demonstrations file may hold (the replay ring keeps at most its capacity of them anyway). */
export const MAX_DEMO_LINES = 1_000_000;

/** Demonstrations as one batch of transitions, ready for {@link Agent.addDemonstrations}. */
export interface Demos {
  transitions: Transitions;
  /** Distinct episodes among them. */
  episodes: number;
}

/** Parses and checks `text` (the file's content) against the run's `spec`; `file` names it in messages. */
export function parseDemos(text: string, spec: AgentSpec, file = 'demonstrations'): Demos {
  const rows = text.split(/\r?\n/).map((line, i) => ({ line, n: i + 1 })).filter((r) => r.line.trim() !== '');
  if (rows.length === 0) throw new DemosFormatError(`${file}: no transitions (expected one JSON object a line, as /play's Download writes)`);
  if (rows.length > MAX_DEMO_LINES) throw new DemosFormatError(`${file}: ${rows.length} lines, more than the ${MAX_DEMO_LINES} a file may hold`);
  const obsSize = observationSize(spec.observationSpace);
  if (spec.actionSpace.type !== 'Discrete') throw new DemosFormatError(`${file}: demonstrations need a Discrete action space, the run's is ${spec.actionSpace.type}`);
  const numActions = spec.actionSpace.n;
  const count = rows.length;
  const observations = new Float32Array(count * obsSize);
  const nextObservations = new Float32Array(count * obsSize);
  const t: Transitions = {
    count, obsSize, observations, nextObservations,
    actions: new Int32Array(count), rewards: new Float64Array(count), terminated: new Uint8Array(count), truncated: new Uint8Array(count),
  };
  const runOptions = canonical(spec.options);
  const episodes = new Set<unknown>();
  rows.forEach(({ line, n }, i) => {
    const at = `${file} line ${n}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new DemosFormatError(`${at}: not JSON (${(err as Error).message})`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DemosFormatError(`${at}: expected a JSON object, got ${describe(value)}`);
    const row = value as Record<string, unknown>;
    if (row.env !== spec.id) throw new DemosFormatError(`${at}: field "env" is ${describe(row.env)}, but this run trains on ${spec.id}`);
    if (!row.options || typeof row.options !== 'object' || Array.isArray(row.options)) throw new DemosFormatError(`${at}: field "options": expected an object, got ${describe(row.options)}`);
    if (canonical(row.options) !== runOptions) throw new DemosFormatError(`${at}: field "options" differs from the run's ${differences(row.options as Record<string, unknown>, spec.options)}; record the demonstrations on the same world, or train with --options matching them`);
    numbers(row.observation, obsSize, `${at}: field "observation"`, observations, i * obsSize);
    numbers(row.nextObservation, obsSize, `${at}: field "nextObservation"`, nextObservations, i * obsSize);
    const action = row.action;
    if (typeof action !== 'number' || !Number.isInteger(action) || action < 0 || action >= numActions) throw new DemosFormatError(`${at}: field "action": expected an integer 0..${numActions - 1}, got ${describe(action)}`);
    t.actions[i] = action;
    if (typeof row.reward !== 'number' || !Number.isFinite(row.reward)) throw new DemosFormatError(`${at}: field "reward": expected a finite number, got ${describe(row.reward)}`);
    t.rewards[i] = row.reward;
    for (const k of ['terminated', 'truncated'] as const) {
      if (typeof row[k] !== 'boolean') throw new DemosFormatError(`${at}: field "${k}": expected true or false, got ${describe(row[k])}`);
      t[k][i] = row[k] ? 1 : 0;
    }
    episodes.add(row.episode);
  });
  return { transitions: t, episodes: episodes.size };
}

function numbers(value: unknown, size: number, what: string, into: Float32Array, offset: number): void {
  if (!Array.isArray(value)) throw new DemosFormatError(`${what}: expected a list of ${size} numbers, got ${describe(value)}`);
  if (value.length !== size) throw new DemosFormatError(`${what}: expected ${size} numbers (the run's observation space), got ${value.length}`);
  value.forEach((v, j) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new DemosFormatError(`${what}[${j}]: expected a finite number, got ${describe(v)}`);
    into[offset + j] = v;
  });
}

/** JSON with keys sorted at every level: equal for equal option objects whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** `(size is 5 here, 8 in the run; ...)`: the options that differ, for the message. */
function differences(demo: Record<string, unknown>, run: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(demo), ...Object.keys(run)])].sort();
  const diffs = keys.filter((k) => canonical(demo[k]) !== canonical(run[k])).map((k) => `${k} is ${canonical(demo[k])} here, ${canonical(run[k])} in the run`);
  return `(${diffs.join('; ')})`;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
