/**
 * `npm run bench:soak [-- --steps 2000000 --size 7 --interval-ms 500]`: the memory of a long training run over time.
 *
 * Runs the real `train` command line (tabular-q on a GridWorld with `boundary: "wrap"`, in-process) as a child
 * process and samples its resident set size (Linux: /proc/PID/status; elsewhere `ps`) every interval, with the
 * steps trained so far (from the progress line). What it checks: after warm-up the RSS stays flat; the old run
 * folder kept every return in memory and died at step 542,400. Prints the figures and writes them to
 * tools/bench/results/soak-latest.json and a dated copy.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defineCommand, defineFlags, runMain } from '@rlfs/cli';

const ROOT = path.resolve(__dirname, '../../..');
const TRAIN = path.join(ROOT, 'packages/agents/src/cli/train.ts');
const RESULTS = path.join(__dirname, '..', 'results');
const MIB = 1024 * 1024;

const SOAK_COMMAND = defineCommand({
  name: 'npm run bench:soak',
  description: 'Trains tabular-q for a long run through the train command line and records its resident memory over time.',
  flags: defineFlags({
    steps: { type: 'int', default: 2_000_000, min: 1, placeholder: 'N', doc: 'environment steps of the run' },
    size: { type: 'int', default: 7, min: 2, max: 64, placeholder: 'N', doc: 'GridWorld size (boundary "wrap")' },
    'interval-ms': { type: 'int', default: 500, min: 1, placeholder: 'MS', doc: 'sampling interval' },
    keep: { type: 'boolean', doc: 'keep the run folder (printed) instead of deleting it' },
  }),
});

interface Sample {
  seconds: number;
  steps: number;
  rssMiB: number;
}

function rssOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = status.match(/VmRSS:\s+(\d+) kB/);
    return kb ? (Number(kb[1]) * 1024) / MIB : undefined;
  } catch {
    try {
      return (Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024) / MIB;
    } catch {
      return undefined;
    }
  }
}

export interface SoakFigures {
  peakMiB: number;
  q1MaxMiB: number;
  q2MaxMiB: number;
  q3MaxMiB: number;
  q4MaxMiB: number;
  growthAfterWarmupMiB: number;
}

/** Figures of the samples: peak, and the largest RSS in each quarter of the run (by steps). */
export function soakFigures(samples: readonly Sample[], steps: number): SoakFigures {
  const quarterMax = [0, 0, 0, 0];
  let peak = 0;
  for (const s of samples) {
    peak = Math.max(peak, s.rssMiB);
    const q = Math.min(3, Math.floor((4 * s.steps) / steps));
    quarterMax[q] = Math.max(quarterMax[q]!, s.rssMiB);
  }
  // Warm-up is the first quarter (the Q table fills, the JIT settles); flat means the last quarter is no higher
  // than the second.
  return {
    peakMiB: round(peak),
    q1MaxMiB: round(quarterMax[0]!),
    q2MaxMiB: round(quarterMax[1]!),
    q3MaxMiB: round(quarterMax[2]!),
    q4MaxMiB: round(quarterMax[3]!),
    growthAfterWarmupMiB: round(quarterMax[3]! - quarterMax[1]!),
  };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

async function main(): Promise<number> {
  const values = SOAK_COMMAND.parse(process.argv.slice(2));
  const { steps, size } = values;
  const interval = values['interval-ms'];
  const out = mkdtempSync(path.join(os.tmpdir(), 'rlfs-soak-'));
  const options = JSON.stringify({ size, boundary: 'wrap' });
  const args = ['--import', 'tsx', TRAIN, '--agent', 'tabular-q', '--in-process', '--options', options, '--steps', String(steps), '--out', out];
  // `node --import tsx` rather than the tsx binary: the process sampled is the one that trains.
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = performance.now();
  let trained = 0;
  let stdout = '';
  let lastStderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    lastStderr = (lastStderr + text).slice(-2000);
    const all = [...text.matchAll(/steps (\d+)/g)];
    if (all.length) trained = Number(all[all.length - 1]![1]);
  });
  const samples: Sample[] = [];
  const timer = setInterval(() => {
    const rss = rssOf(child.pid!);
    if (rss !== undefined) samples.push({ seconds: round((performance.now() - started) / 1000), steps: trained, rssMiB: round(rss) });
  }, interval);
  const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`the training run exited with ${code}\n${lastStderr}`);
  const done = stdout.match(/done: (\d+) steps, (\d+) episodes/);
  const figures = { ...soakFigures(samples, steps), episodes: done ? Number(done[2]) : NaN, seconds: round(seconds), stepsPerSecond: Math.round(steps / seconds) };
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    loadAverage: round(os.loadavg()[0]!),
    command: `node ${args.map((a) => (a === out ? '<tmp>' : a.includes(' ') || a.includes('"') ? `'${a}'` : a)).join(' ')}`,
    steps,
    intervalMs: interval,
    figures,
    samples,
  };
  mkdirSync(RESULTS, { recursive: true });
  const text = JSON.stringify(report, null, 2) + '\n';
  const latest = path.join(RESULTS, 'soak-latest.json');
  writeFileSync(latest, text);
  writeFileSync(path.join(RESULTS, `soak-${report.date.replace(/[:.]/g, '-')}.json`), text);

  const rows = [0.1, 0.25, 0.5, 0.75, 1].map((f) => samples[Math.min(samples.length - 1, Math.max(0, Math.round(f * samples.length) - 1))]!);
  process.stdout.write(`soak: tabular-q, ${size}x${size} wrap, ${steps.toLocaleString('en-US')} steps, ${figures.episodes.toLocaleString('en-US')} episodes in ${figures.seconds} s (load average ${report.loadAverage} on ${report.cpus} cpus)\n`);
  process.stdout.write(`RSS over the run (${samples.length} samples every ${interval} ms):\n`);
  for (const s of rows) process.stdout.write(`  ${String(s.seconds).padStart(7)} s  step ${s.steps.toLocaleString('en-US').padStart(10)}  ${s.rssMiB.toFixed(1).padStart(7)} MiB\n`);
  process.stdout.write(
    `peak ${figures.peakMiB} MiB; largest per quarter of the run: ${figures.q1MaxMiB} / ${figures.q2MaxMiB} / ${figures.q3MaxMiB} / ${figures.q4MaxMiB} MiB; ` +
    `growth after warm-up (4th quarter - 2nd) ${figures.growthAfterWarmupMiB} MiB\nwritten: ${latest}\n`,
  );
  if (values.keep) process.stdout.write(`run folder: ${out}\n`);
  else rmSync(out, { recursive: true, force: true });
  return 0;
}

if (require.main === module) void runMain(main, { command: SOAK_COMMAND });
