/**
 * The benchmark's report: rows of `{workload, n?, metric, value, unit}` printed as a table and written as JSON
 * (`results/latest.json` and a dated copy) with the machine they were measured on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export interface Row {
  workload: string;
  /** The environment stepped, when it is not GridWorld-v0 with default options (the rows without one). */
  env?: string;
  n?: number;
  metric: string;
  value: number;
  unit: string;
}

export interface Machine {
  cores: number;
  node: string;
  cpu: string;
}

export interface Report {
  machine: Machine;
  /** Extra context, not figures: when, how long, quick or full, and the 1-minute load average when it started. */
  run: { date: string; quick: boolean; seconds: number; loadAverage: number };
  rows: Row[];
}

export function machine(): Machine {
  const list = cpus();
  return { cores: list.length, node: process.version, cpu: list[0]?.model.trim() ?? 'unknown' };
}

/** The rows as an aligned text table, large numbers with thousands separators (env blank for GridWorld-v0). */
export function formatTable(rows: readonly Row[]): string {
  const header = ['workload', 'n', 'metric', 'value', 'unit', 'env'];
  const cells = rows.map((r) => [r.workload, r.n === undefined ? '' : String(r.n), r.metric, formatValue(r.value), r.unit, r.env ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((v, i) => (i === 1 || i === 3 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Writes `latest.json` and `<date>.json` into `dir`; returns their paths. */
export function writeReport(dir: string, report: Report): string[] {
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const dated = join(dir, `${report.run.date.replace(/[:.]/g, '-')}${report.run.quick ? '-quick' : ''}.json`);
  const latest = join(dir, 'latest.json');
  writeFileSync(dated, text);
  writeFileSync(latest, text);
  return [latest, dated];
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(1);
  return Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}
