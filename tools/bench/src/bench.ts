/**
 * `npm run bench [-- --quick] [--only inproc,scalar,agents,vector,watched,idle,python] [--out DIR] [--n 64,1024] [--encoding packed]`:
 * measures issue 6's
 * workloads, prints the table and writes it as JSON to tools/bench/results/latest.json and a dated copy.
 * In-process figures come from this process; the loopback workloads run a server process and a client process.
 * At N = 1024 the vector workloads of GridWorld-v0 and CartPole-v1 are also measured against floors (src/floors/) in
 * alternating rounds of the same run, giving `ratio_to_floor` (issue 11; docs/performance.md says what each floor does).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { defineCommand, defineFlags, runMain } from '@rlfs/cli';
import { FULL, QUICK } from './config';
import type { BenchConfig } from './config';
import { idleConnections, loopbackAgents, loopbackScalar, loopbackVector, loopbackWatched } from './loopback';
import { formatTable, machine, writeReport } from './report';
import type { Row } from './report';
import { inprocAgainstFloor, inprocScalar, inprocVector } from './workloads/inproc';
import { pythonRows } from './python';

const GROUPS = ['inproc', 'scalar', 'agents', 'vector', 'watched', 'idle', 'python'] as const;
type Group = (typeof GROUPS)[number];

const BENCH_COMMAND = defineCommand({
  name: 'npm run bench',
  description: `Measures the in-process and loopback workloads (env-steps per second, round trips, idle memory), prints the table
and writes it as JSON to tools/bench/results/latest.json and a dated copy.`,
  flags: defineFlags({
    quick: { type: 'boolean', doc: 'short runs of every workload (a smoke test, not figures to quote)' },
    only: { type: 'list', choices: GROUPS, placeholder: 'GROUPS', defaultText: 'all', doc: 'run only these workload groups' },
    out: { type: 'string', placeholder: 'DIR', default: join(__dirname, '..', 'results'), defaultText: 'tools/bench/results', doc: 'folder of the JSON results' },
    n: { type: 'list', of: 'int', min: 1, placeholder: 'N,N', defaultText: 'the config\'s sizes', doc: 'vector sizes to run (in-process and socket), to narrow a profile' },
    encoding: { type: 'list', choices: ['plain', 'packed'], placeholder: 'E,E', defaultText: 'the config\'s', doc: 'wire encodings of the vector workloads' },
  }),
});

interface Args {
  quick: boolean;
  only: Set<Group>;
  out: string;
  /** Vector sizes to run (in-process and socket), when narrowed for profiling. */
  n: number[] | undefined;
  encodings: Array<'plain' | 'packed'> | undefined;
}

async function main(): Promise<void> {
  const flags = BENCH_COMMAND.parse(process.argv.slice(2));
  const args: Args = { quick: flags.quick, only: new Set(flags.only ?? GROUPS), out: flags.out, n: flags.n, encodings: flags.encoding };
  const base: BenchConfig = args.quick ? QUICK : FULL;
  const config: BenchConfig = {
    ...base,
    inprocN: args.n ?? base.inprocN,
    vectorN: args.n ?? base.vectorN,
    vectorEncodings: args.encodings ?? base.vectorEncodings,
  };
  const started = Date.now();
  const loadAverage = Math.round(loadavg()[0]! * 100) / 100;
  const rows: Row[] = [];
  const step = async (group: Group, label: string, fn: () => Promise<Row[]> | Row[]): Promise<void> => {
    if (!args.only.has(group)) return;
    process.stderr.write(`bench: ${label}...\n`);
    rows.push(...(await fn()));
  };

  await step('inproc', 'in-process GridWorld-v0', () => [
    { workload: 'inproc-scalar', metric: 'env_steps_per_s', value: inprocScalar(config.inproc), unit: '1/s' },
    ...config.inprocN.map((n) => ({ workload: 'inproc-vector', n, metric: 'env_steps_per_s', value: inprocVector(n, config.inproc), unit: '1/s' })),
  ]);
  if (config.inprocN.includes(config.floors.numEnvs)) await step('inproc', 'in-process floors (GridWorld-v0, CartPole-v1)', () => inprocFloorRows(config));
  await step('scalar', 'loopback scalar agent and TCP floor', () => loopbackScalar(config));
  await step('agents', `${config.agents.count} concurrent agents`, () => loopbackAgents(config));
  await step('vector', 'loopback vector sessions', () => loopbackVector(config));
  await step('watched', 'loopback vector agent watched by silent spectators', () => loopbackWatched(config));
  await step('idle', `${config.idle.count} idle connections`, () => idleConnections(config));
  await step('python', 'the Python client (rlfs)', () => pythonRows(config));
  rows.push(...ratiosToInproc(rows));

  const report = { machine: machine(), run: { date: new Date(started).toISOString(), quick: args.quick, seconds: Math.round((Date.now() - started) / 100) / 10, loadAverage }, rows: order(rows) };
  console.log(formatTable(report.rows));
  const written = writeReport(args.out, report);
  console.log(`\n${report.machine.cores} cores, ${report.machine.cpu}, node ${report.machine.node}; ${report.run.seconds} s${args.quick ? ' (--quick)' : ''}; load average ${loadAverage} at the start`);
  console.log(`written: ${written.join(', ')}`);
}

/**
 * The plain-loop floors (src/floors/) in alternating rounds with the vector envs, N = config.floors.numEnvs:
 * `inproc-floor` env-steps per second and `inproc-vector` `ratio_to_floor`, for GridWorld-v0 and CartPole-v1 (whose
 * rows carry `env`, with its own `inproc-vector` figure).
 */
function inprocFloorRows(config: BenchConfig): Row[] {
  const { numEnvs: n, rounds, inprocRoundMs: roundMs } = config.floors;
  return (['GridWorld-v0', 'CartPole-v1'] as const).flatMap((env): Row[] => {
    const r = inprocAgainstFloor(n, { rounds, roundMs }, env);
    const tag = env === 'GridWorld-v0' ? {} : { env };
    return [
      ...(env === 'GridWorld-v0' ? [] : [{ workload: 'inproc-vector', ...tag, n, metric: 'env_steps_per_s', value: r.env, unit: '1/s' }]),
      { workload: 'inproc-vector', ...tag, n, metric: 'ratio_to_floor', value: r.ratio, unit: 'x' },
      { workload: 'inproc-floor', ...tag, n, metric: 'env_steps_per_s', value: r.floor, unit: '1/s' },
    ];
  });
}

/** `ratio_to_inproc` of each socket vector row: its env-steps per second over the in-process figure at the same N. */
function ratiosToInproc(rows: readonly Row[]): Row[] {
  const key = (r: Row): string => `${r.env ?? ''}|${r.n}`;
  const inproc = new Map(rows.filter((r) => r.workload === 'inproc-vector' && r.metric === 'env_steps_per_s').map((r) => [key(r), r.value]));
  return rows
    .filter((r) => r.workload.startsWith('loopback-vector-') && r.metric === 'env_steps_per_s' && inproc.has(key(r)))
    .map((r) => ({ workload: r.workload, ...(r.env ? { env: r.env } : {}), n: r.n, metric: 'ratio_to_inproc', value: r.value / inproc.get(key(r))!, unit: 'x' }));
}

/** Rows grouped by workload and env in the order they were first measured, then by n, metric order kept. */
function order(rows: Row[]): Row[] {
  const first = new Map<string, number>();
  const group = (r: Row): string => `${r.workload}|${r.env ?? ''}`;
  rows.forEach((r, i) => first.has(group(r)) || first.set(group(r), i));
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => first.get(group(a.r))! - first.get(group(b.r))! || (a.r.n ?? 0) - (b.r.n ?? 0) || a.i - b.i)
    .map(({ r }) => r);
}

void runMain(main, { command: BENCH_COMMAND });
