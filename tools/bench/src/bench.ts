/**
 * `npm run bench [-- --quick] [--only inproc,scalar,agents,vector,idle,python] [--out DIR] [--n 64,1024] [--encoding packed]`:
 * measures issue 6's
 * workloads, prints the table and writes it as JSON to tools/bench/results/latest.json and a dated copy.
 * In-process figures come from this process; the loopback workloads run a server process and a client process.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { FULL, QUICK } from './config';
import type { BenchConfig } from './config';
import { idleConnections, loopbackAgents, loopbackScalar, loopbackVector } from './loopback';
import { formatTable, machine, writeReport } from './report';
import type { Row } from './report';
import { inprocScalar, inprocVector } from './workloads/inproc';
import { pythonRows } from './python';

const GROUPS = ['inproc', 'scalar', 'agents', 'vector', 'idle', 'python'] as const;
type Group = (typeof GROUPS)[number];

interface Args {
  quick: boolean;
  only: Set<Group>;
  out: string;
  /** Vector sizes to run (in-process and socket), when narrowed for profiling. */
  n: number[] | undefined;
  encodings: Array<'plain' | 'packed'> | undefined;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
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
  await step('scalar', 'loopback scalar agent and TCP floor', () => loopbackScalar(config));
  await step('agents', `${config.agents.count} concurrent agents`, () => loopbackAgents(config));
  await step('vector', 'loopback vector sessions', () => loopbackVector(config));
  await step('idle', `${config.idle.count} idle connections`, () => idleConnections(config));
  await step('python', 'the Python client (rlfs)', () => pythonRows(config));
  rows.push(...ratiosToInproc(rows));

  const report = { machine: machine(), run: { date: new Date(started).toISOString(), quick: args.quick, seconds: Math.round((Date.now() - started) / 100) / 10, loadAverage }, rows: order(rows) };
  console.log(formatTable(report.rows));
  const written = writeReport(args.out, report);
  console.log(`\n${report.machine.cores} cores, ${report.machine.cpu}, node ${report.machine.node}; ${report.run.seconds} s${args.quick ? ' (--quick)' : ''}; load average ${loadAverage} at the start`);
  console.log(`written: ${written.join(', ')}`);
}

/** `ratio_to_inproc` of each socket vector row: its env-steps per second over the in-process figure at the same N. */
function ratiosToInproc(rows: readonly Row[]): Row[] {
  const inproc = new Map(rows.filter((r) => r.workload === 'inproc-vector').map((r) => [r.n, r.value]));
  return rows
    .filter((r) => r.workload.startsWith('loopback-vector-') && r.metric === 'env_steps_per_s' && inproc.has(r.n))
    .map((r) => ({ workload: r.workload, n: r.n, metric: 'ratio_to_inproc', value: r.value / inproc.get(r.n)!, unit: 'x' }));
}

/** Rows grouped by workload in the order they were first measured, then by n, metric order kept. */
function order(rows: Row[]): Row[] {
  const first = new Map<string, number>();
  rows.forEach((r, i) => first.has(r.workload) || first.set(r.workload, i));
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => first.get(a.r.workload)! - first.get(b.r.workload)! || (a.r.n ?? 0) - (b.r.n ?? 0) || a.i - b.i)
    .map(({ r }) => r);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: new Set(GROUPS), out: join(__dirname, '..', 'results'), n: undefined, encodings: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') args.quick = true;
    else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      const bad = names.filter((n) => !(GROUPS as readonly string[]).includes(n));
      if (names.length === 0 || bad.length > 0) throw new Error(`--only: expected a comma-separated list of ${GROUPS.join(', ')}, got ${bad.join(',') || 'nothing'}`);
      args.only = new Set(names as Group[]);
    } else if (arg === '--out') {
      const dir = argv[++i];
      if (!dir) throw new Error('--out: expected a folder');
      args.out = dir;
    } else if (arg === '--n') {
      const list = (argv[++i] ?? '').split(',').map(Number);
      if (!list.every((n) => Number.isInteger(n) && n >= 1)) throw new Error('--n: expected a comma-separated list of positive integers');
      args.n = list;
    } else if (arg === '--encoding') {
      const list = (argv[++i] ?? '').split(',');
      if (!list.every((e) => e === 'plain' || e === 'packed')) throw new Error('--encoding: expected plain, packed or plain,packed');
      args.encodings = list as Array<'plain' | 'packed'>;
    } else throw new Error(`unknown argument ${arg} (expected --quick, --only GROUPS, --out DIR, --n LIST, --encoding LIST)`);
  }
  return args;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
