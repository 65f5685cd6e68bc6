/** `npm run train -- --env-module PATH`: a user's environment trained in-process; a broken one refused. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const TRAIN = path.join(ROOT, 'packages/agents/src/cli/train.ts');
const EVAL = path.join(ROOT, 'packages/agents/src/cli/eval.ts');

function train(args: string[], script = TRAIN): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [script, ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rlfs-env-module-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('trains on examples/envs/mountain-walk.ts in-process and writes its episodes', async () => {
  const out = path.join(dir, 'walk');
  const run = await train(['--env-module', 'examples/envs/mountain-walk.ts', '--env', 'MountainWalk-v0', '--agent', 'random', '--in-process', '--steps', '600', '--out', out, '--quiet']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const rows = readFileSync(path.join(out, 'episodes.csv'), 'utf8').trim().split('\n');
  // 600 random steps: at least 3 episodes end (each is at most 200 steps), each with a return and a length.
  expect(rows.length - 1).toBeGreaterThanOrEqual(3);
  // eval loads the module too; without it the checkpoint's environment is unknown.
  const evaluated = await train(['--load', out, '--episodes', '3', '--env-module', 'examples/envs/mountain-walk.ts'], EVAL);
  expect(evaluated.stderr).toBe('');
  expect(evaluated.code).toBe(0);
  expect(JSON.parse(readFileSync(path.join(out, 'eval.json'), 'utf8'))).toMatchObject({ env: 'MountainWalk-v0', episodes: 3 });
  const unknown = await train(['--load', out, '--episodes', '3'], EVAL);
  expect(unknown.code).not.toBe(0);
  expect(unknown.stderr).toMatch(/MountainWalk-v0/);
}, 90_000);

it('refuses a module that breaks the contract, with the checker finding, exit 1', async () => {
  const run = await train(['--env-module', 'packages/agents/test/fixtures/broken-env.ts', '--env', 'Unseeded-v0', '--agent', 'random', '--steps', '10', '--out', path.join(dir, 'broken')]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error: --env-module packages\/agents\/test\/fixtures\/broken-env.ts: Unseeded-v0 breaks the environment contract, refused:\n {2}FAIL checkSeedDeterminism: /);
  expect(run.stderr).not.toMatch(/\n\s+at /); // the finding, not a stack trace
}, 60_000);

it('names a module that does not exist', async () => {
  const run = await train(['--env-module', 'no/such/env.ts', '--env', 'X-v0']);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error: --env-module no\/such\/env.ts: no such file/);
}, 60_000);
