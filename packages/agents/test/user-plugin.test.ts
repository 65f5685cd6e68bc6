import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    await saveCheckpoint(dir, agent, { plugin, options, spec: env.spec, seed: 1, progress: { steps: result.steps, episodes: 20 } });
    // The checkpoint is data: it records the agent's name and no module to import.
    const manifest = JSON.parse(readFileSync(path.join(dir, 'checkpoint.json'), 'utf8'));
    expect(manifest.agent).toBe('toward-goal');
    expect(JSON.stringify(manifest)).not.toContain('my-agent');
    // Loading it needs the module again, named by the user.
    await expect(loadAgent(dir, env.spec)).rejects.toThrow(UnknownAgentError);
    await expect(loadAgent(dir, env.spec)).rejects.toThrow(/agent "toward-goal" is not a built-in agent \(random, tabular-q, dqn\); a checkpoint never names code to load, so give the module that defines it again: --agent PATH\|PKG/);
    const loaded = await loadAgent(dir, env.spec, { agent: module! });
    expect(loaded.plugin.name).toBe('toward-goal');
    expect(loaded.options).toEqual({ rowsFirst: false });
    // An --agent naming another plugin is refused.
    await expect(loadAgent(dir, env.spec, { agent: 'random' })).rejects.toThrow(/holds a toward-goal agent, but --agent random is random/);
  });

  it('never imports a module named inside checkpoint.json (agentModule of older checkpoints, or an agent name that is a path)', async () => {
    const { plugin } = await resolvePlugin('random');
    const env = makeEnv('GridWorld-v0', {});
    const agent = await plugin.create(env.spec, plugin.resolveOptions({}), { seed: 1 });
    const dir = path.join(outside, 'planted');
    await saveCheckpoint(dir, agent, { plugin, options: plugin.resolveOptions({}), spec: env.spec, seed: 1, progress: { steps: 0, episodes: 0 } });
    // A module that leaves a mark when imported.
    const mark = path.join(outside, 'imported.txt');
    const evil = path.join(outside, 'evil.js');
    writeFileSync(evil, `require('node:fs').writeFileSync(${JSON.stringify(mark)}, 'ran');\nmodule.exports = {};\n`);
    const file = path.join(dir, 'checkpoint.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...manifest, agentModule: evil }));
    // agentModule is ignored: the built-in name decides.
    expect((await loadAgent(dir, env.spec)).plugin.name).toBe('random');
    writeFileSync(file, JSON.stringify({ ...manifest, agent: evil }));
    await expect(loadAgent(dir, env.spec)).rejects.toThrow(/is not a built-in agent/);
    writeFileSync(file, JSON.stringify({ ...manifest, agent: 'toString' }));
    await expect(loadAgent(dir, env.spec)).rejects.toThrow(/agent "toString" is not a built-in agent/);
    expect(existsSync(mark)).toBe(false);
  });

  it('names the problem when the module is missing or exports no plugin', async () => {
    await expect(resolvePlugin('./nope.ts', outside)).rejects.toThrow(UnknownAgentError);
    await expect(resolvePlugin('./nope.ts', outside)).rejects.toThrow(/not one of random, tabular-q, dqn, and importing .*nope.ts failed/);
    await expect(resolvePlugin(path.join(__dirname, 'fixtures', 'not-a-plugin.ts'))).rejects.toThrow(/exports no agent plugin/);
    await expect(resolvePlugin('no-such-package-xyz')).rejects.toThrow(/nor a module path or an installed package/);
  });
});
