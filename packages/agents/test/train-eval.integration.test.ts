/**
 * `npm run train` with evaluation during training, end to end: --eval-every, --stop-at, best/, metrics.csv, run.json
 * and curve.svg; and the usage errors of --stop-at.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadAgent } from '../src/checkpoint';
import { METRICS_CSV_HEADER } from '../src/metrics-log';

const ROOT = path.resolve(__dirname, '../../..');
const TRAIN = path.join(ROOT, 'packages/agents/src/cli/train.ts');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', TRAIN, ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'rlfs-train-eval-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('train --eval-every and --stop-at', () => {
  it('evaluates every 2,000 steps, keeps the best in best/, writes metrics.csv and run.json, and stops at the target', async () => {
    const out = path.join(dir, 'tq');
    const r = await run(['--agent', 'tabular-q', '--steps', '60000', '--eval-every', '2000', '--eval-episodes', '20', '--stop-at', 'eval/success=0.9', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const reached = /stopped at the target: eval\/success reached ([\d.]+) \(>= 0\.9\) at step (\d+)\n/.exec(r.stdout);
    expect(reached).not.toBeNull();
    const step = Number(reached![2]);
    // Tabular Q on 5x5 passes 90% well before the 60,000-step budget; the run stops at the evaluation that got there.
    expect(step % 2000).toBe(0);
    expect(step).toBeLessThan(60000);
    expect(Number(reached![1])).toBeGreaterThanOrEqual(0.9);
    expect(r.stdout).toMatch(new RegExp(`done: ${step} steps, `));
    // One stderr line per evaluation, every 2,000 steps up to the one that reached the target.
    const evalLines = r.stderr.match(/^eval at step \d+: success \d+%, return -?[\d.]+, gap [\d.]+ over 20 episodes/gm) ?? [];
    expect(evalLines).toHaveLength(step / 2000);

    const lines = readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe(METRICS_CSV_HEADER);
    const rows = lines.slice(1).map((l) => l.split(','));
    for (const row of rows) {
      expect(row).toHaveLength(3);
      expect(Number.isFinite(Number(row[2]))).toBe(true);
    }
    const successes = rows.filter((row) => row[1] === 'eval/success');
    expect(successes.map((row) => Number(row[0]))).toEqual(Array.from({ length: step / 2000 }, (_, i) => 2000 * (i + 1)));
    expect(Number(successes[successes.length - 1]![2])).toBeGreaterThanOrEqual(0.9);
    expect(rows.some((row) => row[1] === 'train/epsilon')).toBe(true);
    expect(rows.some((row) => row[1] === 'eval/return')).toBe(true);
    // Steps never go back: the file is appended as the run goes.
    const steps = rows.map((row) => Number(row[0]));
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);

    // best/ is a checkpoint that loads, with the figures of the best evaluation beside it.
    const best = await loadAgent(path.join(out, 'best'));
    expect(best.manifest.agent).toBe('tabular-q');
    const bestEval = JSON.parse(readFileSync(path.join(out, 'best', 'eval.json'), 'utf8'));
    expect(bestEval.successRate).toBeGreaterThanOrEqual(0.9);
    expect(bestEval.step).toBe(step);
    expect(best.manifest.progress.steps).toBe(step);

    const runJson = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8'));
    expect(runJson).toMatchObject({
      env: 'GridWorld-v0', agent: 'tabular-q', seed: 1, evalEvery: 2000, evalEpisodes: 20, evalSeed: 1000000,
      options: { size: 5, observation: 'grid' }, agentOptions: { learningRate: 0.5 },
      stopAt: { metric: 'eval/success', value: 0.9, reachedAt: { step } }, result: { steps: step, stoppedBy: 'target' },
    });

    const svg = readFileSync(path.join(out, 'curve.svg'), 'utf8');
    expect(svg).toContain('tabular-q on GridWorld-v0 {"size":5,"boundary":"walls","observation":"grid"');
    expect(svg).toContain('>env steps</text>');
    expect(svg).toContain('<path class="eval"');
    expect(svg.match(/class="eval-point"/g)).toHaveLength(step / 2000);

    // --resume continues metrics.csv after its lines and keeps evaluating on the same schedule.
    const resumed = await run(['--resume', out, '--steps', String(step + 4000), '--eval-every', '2000', '--eval-episodes', '20', '--quiet']);
    expect(resumed.code).toBe(0);
    const after = readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(after.slice(0, lines.length)).toEqual(lines);
    expect(after.filter((l) => l.includes(',eval/success,')).map((l) => Number(l.split(',')[0]))).toEqual(Array.from({ length: step / 2000 + 2 }, (_, i) => 2000 * (i + 1)));
    // best/ is replaced only by a better evaluation than the one it holds.
    const bestAfter = JSON.parse(readFileSync(path.join(out, 'best', 'eval.json'), 'utf8'));
    expect(bestAfter.successRate).toBeGreaterThanOrEqual(bestEval.successRate);
    if (bestAfter.step !== step) expect(bestAfter.successRate > bestEval.successRate || bestAfter.meanReturn > bestEval.meanReturn).toBe(true);
  }, 120_000);

  it('refuses a malformed --stop-at or a metric the run never produces, before writing anything (exit 2)', async () => {
    const out = path.join(dir, 'refused');
    const cases: Array<[string[], string]> = [
      [['--stop-at', 'eval/success'], 'error: --stop-at: expected METRIC=VALUE with a finite number, e.g. eval/success=0.95, got "eval/success"\n'],
      [['--stop-at', 'eval/success=0.9'], 'error: --stop-at eval/success: eval/success is produced only by the evaluation: add --eval-every STEPS\n'],
      [['--stop-at', 'eval/sucess=0.9', '--eval-every', '100'], 'error: --stop-at: no metric "eval/sucess" is produced by a run; known: '],
      [['--stop-at', 'eval/success=0.9', '--eval-every', '100', '--env', 'CartPole-v1'], 'error: --stop-at eval/success: this environment defines no success'],
    ];
    for (const [flags, message] of cases) {
      const r = await run(['--agent', 'random', '--steps', '100', '--out', out, '--quiet', ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr.startsWith(message)).toBe(true);
      expect(r.stdout).not.toMatch(/done:/);
    }
    // Refused before the run folder is touched: nothing was written.
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
