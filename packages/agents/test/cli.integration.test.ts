import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import { TRAIN_FLAGS } from '../src/cli/train';
import { EVAL_FLAGS } from '../src/cli/eval';
import { loadAgent } from '../src/checkpoint';
import { EPISODES_CSV_HEADER } from '../src/run-folder';

const ROOT = path.resolve(__dirname, '../../..');
// node --import tsx, not the tsx binary: a signal goes straight to the process that handles it (the tsx wrapper
// relays Ctrl-C over IPC and, on a loaded machine, can end a busy child before it saves).
const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;
const TRAIN = path.join(ROOT, 'packages/agents/src/cli/train.ts');
const EVAL = path.join(ROOT, 'packages/agents/src/cli/eval.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI; `onStderr` may send it a signal once it has printed something. */
function run(script: string, args: string[], onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), script, ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, (signal) => child.kill(signal));
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rlfs-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('train and eval command lines', () => {
  it('--help lists every option with its default', async () => {
    const train = await run(TRAIN, ['--help']);
    expect(train.code).toBe(0);
    for (const name of Object.keys(TRAIN_FLAGS)) expect(train.stdout).toMatch(new RegExp(`--${name}\\b.*\\[default: `));
    expect(train.stdout).toMatch(/--steps S .*\[default: per agent: dqn 10000/);
    expect(train.stdout).toMatch(/learningRate \(default "auto"\)/);
    const evalHelp = await run(EVAL, ['--help']);
    expect(evalHelp.code).toBe(0);
    for (const name of Object.keys(EVAL_FLAGS)) expect(evalHelp.stdout).toMatch(new RegExp(`--${name}\\b.*\\[default: `));
    expect(evalHelp.stdout).toMatch(/--episodes N .*\[default: 100\]/);
  }, 30_000);

  it('trains, writes the run folder, and eval prints the figures and writes eval.json', async () => {
    const out = path.join(dir, 'tq');
    const train = await run(TRAIN, ['--agent', 'tabular-q', '--in-process', '--steps', '20000', '--seed', '2', '--out', out, '--checkpoint-every', '500']);
    expect(train.code).toBe(0);
    expect(train.stdout).toMatch(/backend: none/);
    expect(train.stdout).toMatch(/done: 20000 steps, \d+ episodes/);
    const csv = readFileSync(path.join(out, 'episodes.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(EPISODES_CSV_HEADER);
    expect(csv.length).toBeGreaterThan(100);
    expect(csv[1]).toMatch(/^1,-?[\d.]+,\d+,\d+,[01],\d+$/);
    expect(readFileSync(path.join(out, 'curve.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<path[\s\S]*<\/svg>$/);

    const evaluated = await run(EVAL, ['--load', out, '--episodes', '50']);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/success rate 100\.0% {2}mean return [\d.]+ {2}mean gap [\d.]+ steps {2}over 50 episodes/);
    const figures = JSON.parse(readFileSync(path.join(out, 'eval.json'), 'utf8'));
    expect(figures).toMatchObject({ successRate: 1, episodes: 50, agent: 'tabular-q' });
    expect(figures.meanGap).toBeLessThanOrEqual(0.5);
    expect(typeof figures.meanReturn).toBe('number');

    // --resume continues the counts, the CSV and the curve of the same run folder.
    const resumed = await run(TRAIN, ['--resume', out, '--steps', '22000', '--out', out, '--quiet']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/training tabular-q/);
    expect(resumed.stdout).toMatch(/budget: 22000 steps in total \(--steps and --episodes count the whole run, resumed steps included\)/);
    expect(resumed.stdout).toMatch(/resuming at step 20000 of 22000, episode \d+/);
    // Speed and counts are over the 2,000 steps this process ran, not the checkpoint's 20,000.
    expect(resumed.stdout).toMatch(/done: 2000 steps, \d+ episodes in [\d.]+ s \(\d+ steps\/s\); the run is now at step 22000, episode \d+/);
    const after = readFileSync(path.join(out, 'episodes.csv'), 'utf8').trim().split('\n');
    expect(after.length).toBeGreaterThan(csv.length);
    expect(after.slice(0, csv.length)).toEqual(csv);
    expect(Number(after[after.length - 1]!.split(',')[0])).toBe(after.length - 1);
    expect((await loadAgent(out)).manifest.progress.steps).toBe(22000);

    // --steps is a total: a checkpoint that has it already has nothing to train, and nothing is rewritten.
    const again = await run(TRAIN, ['--resume', out, '--steps', '22000', '--quiet']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^nothing to train: .*checkpoint\.json is at step 22000, episode \d+, and the budget \(22000 steps\) counts the whole run; ask for more, e\.g\. --steps 44000\n$/);
    expect(readFileSync(path.join(out, 'episodes.csv'), 'utf8').trim().split('\n')).toEqual(after);
  }, 60_000);

  it('eval --episodes must be at least 1, and a failed eval leaves eval.json as it was', async () => {
    const out = path.join(dir, 'tq');
    const before = readFileSync(path.join(out, 'eval.json'), 'utf8');
    const zero = await run(EVAL, ['--load', out, '--episodes', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe('error: --episodes: expected an integer >= 1, got "0"\nsee: npm run eval -- --help\n');
    const mismatch = await run(EVAL, ['--load', out, '--options', '{"size":6}', '--episodes', '1']);
    expect(mismatch.code).toBe(1);
    expect(readFileSync(path.join(out, 'eval.json'), 'utf8')).toBe(before);
  }, 60_000);

  it('a corrupt or planted checkpoint gets one line naming the file and the problem, exit code 1', async () => {
    const out = path.join(dir, 'corrupt');
    expect((await run(TRAIN, ['--agent', 'random', '--steps', '50', '--out', out, '--quiet'])).code).toBe(0);
    const file = path.join(out, 'checkpoint', 'checkpoint.json');
    const good = JSON.parse(readFileSync(file, 'utf8'));
    const cases: Array<[unknown, string]> = [
      [null, 'holds null, not a checkpoint manifest (a JSON object)'],
      [{ ...good, tensors: [{ name: 'x', dtype: 'float32', shape: [1], offset: 0, length: -1 }] }, 'tensors[0] (x): length must be a non-negative integer, got -1'],
      [{ ...good, tensorFile: '../../../../../../etc/hostname' }, 'field "tensorFile" ("../../../../../../etc/hostname") points outside the checkpoint folder; a checkpoint may only name files inside its own folder'],
    ];
    for (const [doc, message] of cases) {
      writeFileSync(file, JSON.stringify(doc));
      for (const script of [EVAL, TRAIN]) {
        const r = await run(script, script === EVAL ? ['--load', out, '--episodes', '1'] : ['--resume', out, '--steps', '100', '--quiet']);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe(`error: ${file}: ${message}\n`);
      }
    }
  }, 60_000);

  it('--resume without --options or --out keeps the checkpoint\'s environment and run folder', async () => {
    const out = path.join(dir, 'random-3x3');
    const first = await run(TRAIN, ['--agent', 'random', '--in-process', '--options', '{"size":3}', '--steps', '300', '--out', out, '--quiet']);
    expect(first.code).toBe(0);
    const resumed = await run(TRAIN, ['--resume', path.join(out, 'checkpoint'), '--steps', '500', '--quiet']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/"size":3/);
    expect(resumed.stdout).toContain(`run folder: ${out}`);
    expect((await loadAgent(out)).manifest.progress.steps).toBe(500);
  }, 60_000);

  it('Ctrl-C mid-run saves a checkpoint that loads and evaluates', async () => {
    const out = path.join(dir, 'dqn-interrupted');
    let sent = false;
    const train = await run(TRAIN, ['--agent', 'dqn', '--backend', 'wasm', '--steps', '1000000', '--out', out, '--agent-options', '{"hiddenSizes":[16],"learningStarts":100}'], (text, kill) => {
      // The progress line appears once training is under way (and updates have begun after 200 steps).
      if (!sent && /steps [1-9]\d{2,}/.test(text)) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(train.code).toBe(130);
    expect(train.stdout).toMatch(/backend: wasm/);
    expect(train.stderr).toMatch(/Ctrl-C: saving a checkpoint/);
    expect(train.stdout).toMatch(/stopped by Ctrl-C: \d+ steps/);
    const loaded = await loadAgent(out);
    expect(loaded.manifest.agent).toBe('dqn');
    expect(loaded.manifest.progress.steps).toBeGreaterThan(100);
    expect(loaded.manifest.progress.steps).toBeLessThan(1000000);
    loaded.agent.dispose?.();
    const evaluated = await run(EVAL, ['--load', out, '--episodes', '5', '--backend', 'wasm']);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/success rate [\d.]+%/);
    expect(existsSync(path.join(out, 'eval.json'))).toBe(true);
  }, 60_000);

  it('refuses a bad agent option naming it, and a checkpoint that does not fit the environment', async () => {
    const bad = await run(TRAIN, ['--agent', 'dqn', '--agent-options', '{"lr":0.1}', '--steps', '10', '--out', path.join(dir, 'bad')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error: dqn has no option "lr"/);
    const flag = await run(TRAIN, ['--stepz', '10']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown flag --stepz/);
    const out = path.join(dir, 'tq');
    const mismatch = await run(EVAL, ['--load', out, '--options', '{"size":6}', '--episodes', '1']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/checkpoint does not fit this environment \(observation spaces differ\): trained on .*Box\(shape \[25\].*this environment is .*Box\(shape \[36\]/);
  }, 60_000);

  describe('over the socket', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({ port: 0, host: '127.0.0.1', warn: () => undefined });
    });
    afterAll(() => server.close());

    it('trains a user plugin module and a vector session against --url, then evaluates over the socket', async () => {
      const out = path.join(dir, 'user');
      const train = await run(TRAIN, ['--agent', 'packages/agents/test/fixtures/toward-goal-agent.ts', '--url', server.url, '--episodes', '30', '--out', out, '--name', 'cli-test']);
      expect(train.code).toBe(0);
      expect(train.stdout).toMatch(/training toward-goal on GridWorld-v0 .*\(ws:\/\/127\.0\.0\.1:\d+\/ws\)/);
      expect(train.stdout).toMatch(/success in training 100\.0%/);
      // The checkpoint names no module: loading a user plugin's checkpoint needs --agent again.
      const without = await run(EVAL, ['--load', out, '--url', server.url, '--episodes', '20']);
      expect(without.code).toBe(2);
      expect(without.stderr).toMatch(/agent "toward-goal" is not a built-in agent \(random, tabular-q, dqn\); a checkpoint never names code to load, so give the module that defines it again: --agent PATH\|PKG\nsee: npm run eval -- --help\n$/);
      const evaluated = await run(EVAL, ['--load', out, '--agent', 'packages/agents/test/fixtures/toward-goal-agent.ts', '--url', server.url, '--episodes', '20']);
      expect(evaluated.code).toBe(0);
      expect(evaluated.stdout).toMatch(/success rate 100\.0% .* mean gap 0\.00 steps/);

      const vector = await run(TRAIN, ['--agent', 'tabular-q', '--url', server.url, '--num-envs', '4', '--steps', '4000', '--out', path.join(dir, 'vec')]);
      expect(vector.stderr).not.toMatch(/error/);
      expect(vector.code).toBe(0);
      expect(vector.stdout).toMatch(/, 4 envs\)/);
      expect(vector.stdout).toMatch(/done: 4000 steps/);
    }, 120_000);
  });

  it('--config applies a recipe file, flags on the command line win, and a bad recipe is refused naming the field', async () => {
    const recipe = path.join(dir, 'small.json');
    writeFileSync(recipe, JSON.stringify({ env: 'GridWorld-v0', options: { size: 4, obstacles: 1 }, agent: 'tabular-q', agentOptions: { gamma: 0.9 }, steps: 100_000 }));
    const out = path.join(dir, 'recipe-run');
    const trained = await run(TRAIN, ['--config', recipe, '--steps', '300', '--options', '{"size":3}', '--out', out, '--quiet']);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/training tabular-q on GridWorld-v0 \{"size":3,[^\n]*"obstacles":1/);
    expect(trained.stdout).toMatch(/done: 300 steps/);
    expect(JSON.parse(readFileSync(path.join(out, 'checkpoint', 'checkpoint.json'), 'utf8')).options).toMatchObject({ gamma: 0.9 });

    writeFileSync(recipe, JSON.stringify({ env: 'GridWorld-v0', agentOptions: [1] }));
    const refused = await run(TRAIN, ['--config', recipe, '--steps', '10']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/small\.json: field "agentOptions" must be a JSON object, got \[1\]/);
  }, 60_000);

  it('recipes/cartpole-dqn.json trains DQN on CartPole-v1, and eval.json has meanReturn but no successRate or meanGap', async () => {
    const out = path.join(dir, 'cartpole');
    const trained = await run(TRAIN, ['--config', path.join(ROOT, 'recipes/cartpole-dqn.json'), '--in-process', '--steps', '300', '--agent-options', '{"hiddenSizes":[16],"learningStarts":100}', '--out', out, '--quiet']);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/training dqn on CartPole-v1/);
    expect(trained.stdout).toMatch(/done: 300 steps/);
    const evaluated = await run(EVAL, ['--load', out, '--episodes', '3']);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/^mean return [\d.]+ {2}over 3 episodes$/m);
    const figures = JSON.parse(readFileSync(path.join(out, 'eval.json'), 'utf8'));
    expect(figures).toMatchObject({ agent: 'dqn', env: 'CartPole-v1', episodes: 3 });
    // CartPole's reward is 1 per step, so the mean return is the mean episode length.
    expect(figures.meanReturn).toBe(figures.meanLength);
    expect(figures).not.toHaveProperty('successRate');
    expect(figures).not.toHaveProperty('meanGap');
  }, 90_000);
});
