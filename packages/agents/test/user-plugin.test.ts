import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeEnv } from '@rlfs/envs';
import { resolvePlugin } from '../src/registry';
import { evaluate } from '../src/evaluate';
import { train } from '../src/runner';
import { inProcessSource } from '../src/sources';
import { loadAgent, saveCheckpoint } from '../src/checkpoint';
import { UnknownAgentError } from '../src/errors';

const FIXTURE = path.join(__dirname, 'fixtures', 'toward-goal-agent.ts');
let outside: string;

beforeAll(() => {
  // A folder outside the repository: the module must not depend on where it lives.
  outside = mkdtempSync(path.join(tmpdir(), 'rlfs-user-agent-'));
  copyFileSync(FIXTURE, path.join(outside, 'my-agent.ts'));
});
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('user plugin modules (--agent PATH)', () => {
  it('loads a plugin module by a path relative to the working directory', async () => {
    const { plugin, module } = await resolvePlugin('./test/fixtures/toward-goal-agent.ts', path.join(__dirname, '..'));
    expect(plugin.name).toBe('toward-goal');
    expect(module).toBe(FIXTURE);
  });

  it('runs a module from outside the package with the same runner, evaluation and checkpoints', async () => {
    const { plugin, module } = await resolvePlugin(path.join(outside, 'my-agent.ts'));
    const env = makeEnv('GridWorld-v0', {});
    const options = plugin.resolveOptions({ rowsFirst: false });
    const agent = await plugin.create(env.spec, options, { seed: 1 });
    const result = await train({ agent, source: inProcessSource({ env: 'GridWorld-v0' }), episodes: 20, seed: 4 });
    expect(result.episodes).toBe(20);
    // Walking straight to the goal is optimal on an empty grid: every episode succeeds with no gap.
    const greedy = await evaluate(agent, env, { episodes: 50, seed: 9 });
    expect(greedy).toMatchObject({ successRate: 1, meanGap: 0 });

    const dir = path.join(outside, 'ckpt');
    await saveCheckpoint(dir, agent, { plugin, agentModule: module!, options, spec: env.spec, seed: 1, progress: { steps: result.steps, episodes: 20 } });
    const loaded = await loadAgent(dir, env.spec);
    expect(loaded.manifest.agentModule).toBe(path.join(outside, 'my-agent.ts'));
    expect(loaded.plugin.name).toBe('toward-goal');
    expect(loaded.options).toEqual({ rowsFirst: false });
  });

  it('names the problem when the module is missing or exports no plugin', async () => {
    await expect(resolvePlugin('./nope.ts', outside)).rejects.toThrow(UnknownAgentError);
    await expect(resolvePlugin('./nope.ts', outside)).rejects.toThrow(/not one of random, tabular-q, dqn, and importing .*nope.ts failed/);
    await expect(resolvePlugin(path.join(__dirname, 'fixtures', 'not-a-plugin.ts'))).rejects.toThrow(/exports no agent plugin/);
    await expect(resolvePlugin('no-such-package-xyz')).rejects.toThrow(/nor a module path or an installed package/);
  });
});
