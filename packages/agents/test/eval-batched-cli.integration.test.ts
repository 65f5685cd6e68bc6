import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeEnv } from '@rlfs/envs';
import { loadAgent } from '../src/checkpoint';
import { evaluate } from '../src/evaluate';

const ROOT = path.resolve(__dirname, '../../..');
const TRAIN = path.join(ROOT, 'packages/agents/src/cli/train.ts');
const EVAL = path.join(ROOT, 'packages/agents/src/cli/eval.ts');

function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'rlfs-eval-batched-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run eval plays a DQN agent\'s episodes all at once in-process, with the figures of one at a time', () => {
  it('eval.json and the printed line equal the sequential evaluation of the same checkpoint, seed and episodes', async () => {
    const out = path.join(dir, 'dqn');
    const options = { size: 5, obstacles: 2, maxEpisodeSteps: 30 };
    const train = await run(TRAIN, ['--agent', 'dqn', '--in-process', '--options', JSON.stringify(options), '--agent-options', '{"learningStarts":100}', '--steps', '600', '--seed', '4', '--out', out, '--backend', 'wasm', '--quiet']);
    expect(train.code).toBe(0);
    const evaluated = await run(EVAL, ['--load', out, '--episodes', '40', '--seed', '9', '--backend', 'wasm']);
    expect(evaluated.code).toBe(0);
    const figures = JSON.parse(readFileSync(path.join(out, 'eval.json'), 'utf8')) as Record<string, unknown>;

    const { agent } = await loadAgent(out);
    const sequential = await evaluate(agent, makeEnv('GridWorld-v0', options), { episodes: 40, seed: 9 });
    agent.dispose?.();
    expect(figures).toMatchObject({ ...sequential, agent: 'dqn', env: 'GridWorld-v0', where: 'in-process' });
    const success = `success rate ${(100 * sequential.successRate!).toFixed(1)}%`;
    const gap = sequential.meanGap === null ? 'n/a (no success)' : sequential.meanGap!.toFixed(2);
    expect(evaluated.stdout).toContain(`${success}  mean return ${sequential.meanReturn.toFixed(2)}  mean gap ${gap} steps  over 40 episodes\n`);
  }, 300_000);
});
