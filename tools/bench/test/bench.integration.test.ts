/**
 * Runs `bench --quick` as CI does (no timing assertions: the figures vary with the machine) and checks that the
 * JSON has issue 6's shape: the machine, and every workload/metric row with a finite positive value; and issue 11's
 * floor rows, ratios to them and CartPole-v1 rows.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPython } from '../src/python';
import type { Report } from '../src/report';

const ROOT = join(__dirname, '..', '..', '..');
const BENCH = join(__dirname, '..', 'src', 'bench.ts');

const EXPECTED: Array<[string, number | undefined, string]> = [
  ['inproc-scalar', undefined, 'env_steps_per_s'],
  ...[1, 64, 1024].map((n): [string, number, string] => ['inproc-vector', n, 'env_steps_per_s']),
  ['loopback-scalar', undefined, 'round_trips_per_s'],
  ['loopback-scalar', undefined, 'rtt_p50_us'],
  ['loopback-scalar', undefined, 'rtt_p99_us'],
  ['loopback-scalar', undefined, 'rtt_ratio_to_floor'],
  ['loopback-tcp-floor', undefined, 'rtt_p50_us'],
  ['loopback-256-agents', undefined, 'env_steps_per_s'],
  ['loopback-256-agents', undefined, 'rss_per_conn_bytes'],
  ...(['plain', 'packed'] as const).flatMap((enc) =>
    [64, 256, 1024].flatMap((n): Array<[string, number, string]> => [
      [`loopback-vector-${enc}`, n, 'env_steps_per_s'],
      [`loopback-vector-${enc}`, n, 'ratio_to_inproc'],
    ]),
  ),
  ['idle-1000', undefined, 'rss_per_conn_bytes'],
  ['idle-1000', undefined, 'healthz_ok'],
];

/** Issue 11's floors and CartPole rows (env, workload, n, metric); env undefined is GridWorld-v0. */
const FLOOR_ROWS: Array<[string | undefined, string, number, string]> = [undefined, 'CartPole-v1'].flatMap((env): Array<[string | undefined, string, number, string]> => [
  [env, 'inproc-vector', 1024, 'env_steps_per_s'],
  [env, 'inproc-vector', 1024, 'ratio_to_floor'],
  [env, 'inproc-floor', 1024, 'env_steps_per_s'],
  [env, 'loopback-vector-packed', 1024, 'env_steps_per_s'],
  [env, 'loopback-vector-packed', 1024, 'ratio_to_floor'],
  [env, 'loopback-packed-echo-floor', 1024, 'env_steps_per_s'],
]);

describe('npm run bench -- --quick', () => {
  let out: string;
  let report: Report;
  let stdout: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'rlfs-bench-'));
    stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', BENCH, '--quick', '--out', out], { cwd: ROOT, timeout: 170_000, maxBuffer: 16 << 20 }, (err, so, se) =>
        err ? reject(new Error(`bench failed: ${err.message}\n${se}`)) : resolve(so),
      );
    });
    report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as Report;
  }, 180_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes latest.json and a dated copy with the same figures', () => {
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(2);
    const dated = files.find((f) => f !== 'latest.json')!;
    expect(dated).toMatch(/^\d{4}-\d\d-\d\dT.*-quick\.json$/);
    expect(readFileSync(join(out, dated), 'utf8')).toBe(readFileSync(join(out, 'latest.json'), 'utf8'));
  });

  it('describes the machine', () => {
    expect(report.machine.cores).toBeGreaterThanOrEqual(1);
    expect(report.machine.node).toBe(process.version);
    expect(typeof report.machine.cpu).toBe('string');
  });

  it('has every row of issue 6, each with a finite positive value and a unit', () => {
    for (const [workload, n, metric] of EXPECTED) {
      const row = report.rows.find((r) => r.workload === workload && r.env === undefined && r.n === n && r.metric === metric);
      expect({ workload, n, metric, found: row !== undefined }).toEqual({ workload, n, metric, found: true });
      expect(Number.isFinite(row!.value) && row!.value > 0).toBe(true);
      expect(row!.unit).toEqual(expect.any(String));
    }
    for (const row of report.rows) {
      const keys = ['metric', 'unit', 'value', 'workload', ...(row.n === undefined ? [] : ['n']), ...(row.env === undefined ? [] : ['env'])].sort();
      expect(Object.keys(row).sort()).toEqual(keys);
      expect(Number.isFinite(row.value) && row.value > 0).toBe(true);
    }
  });

  it('has the floors, each ratio_to_floor beside them, and the CartPole-v1 rows named by env', () => {
    for (const [env, workload, n, metric] of FLOOR_ROWS) {
      const matches = report.rows.filter((r) => r.workload === workload && r.env === env && r.n === n && r.metric === metric);
      expect({ env, workload, n, metric, found: matches.length }).toEqual({ env, workload, n, metric, found: 1 });
      expect(matches[0]!.unit).toBe(metric === 'ratio_to_floor' ? 'x' : '1/s');
    }
    expect(stdout).toMatch(/inproc-floor\s+1024\s+env_steps_per_s\s+[\d,]+\s+1\/s\s+CartPole-v1/);
    expect(stdout).toMatch(/loopback-packed-echo-floor\s+1024\s+env_steps_per_s/);
  });

  it('has the Python client rows where a python3 has the modules, and says in one line why not otherwise', () => {
    if (!findPython()) {
      expect(stdout).toMatch(/^python rows: skipped: .*apt-get install/m);
      return;
    }
    for (const [workload, n, metric] of [['python-scalar', undefined, 'round_trips_per_s'], ['python-vector-packed', 1024, 'env_steps_per_s'], ['python-vector-packed', 1024, 'ratio_to_node']] as const) {
      const row = report.rows.find((r) => r.workload === workload && r.n === n && r.metric === metric);
      expect(row !== undefined && Number.isFinite(row.value) && row.value > 0).toBe(true);
    }
  });

  it('prints the table', () => {
    expect(stdout).toContain('loopback-vector-packed');
    expect(stdout).toMatch(/idle-1000\s+healthz_ok\s+1/);
  });
});
