import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeEnv } from '@rlfs/envs';
import { initBackend } from '../src/backend';
import { assertCompatible, loadAgent, readCheckpoint, saveCheckpoint } from '../src/checkpoint';
import { resolvePlugin } from '../src/registry';
import { train } from '../src/runner';
import { inProcessSource } from '../src/sources';
import { CheckpointFormatError, CheckpointMismatchError } from '../src/errors';
import type { Agent } from '../src/plugin';

let dir: string;
beforeAll(async () => {
  await initBackend('cpu');
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rlfs-ckpt-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** 64 observations from seeded resets, with obstacles so that states vary. */
function observations(options: Record<string, unknown>): Array<ArrayLike<number>> {
  const env = makeEnv('GridWorld-v0', options);
  return Array.from({ length: 64 }, (_, i) => env.reset({ seed: 100 + i }).observation);
}

async function actionsOf(agent: Agent, obs: Array<ArrayLike<number>>, explore: boolean): Promise<number[]> {
  const out: number[] = [];
  for (const o of obs) out.push((await agent.act(o as Int8Array, 1, explore))[0]!);
  return out;
}

describe.each([
  ['tabular-q', {}, 3000],
  ['dqn', { hiddenSizes: [16], learningStarts: 100 }, 400],
  ['random', {}, 100],
])('%s checkpoint round trip', (name, agentOptions, steps) => {
  it('a loaded agent takes the same greedy and exploring actions as the saved one', async () => {
    const envOptions = { obstacles: 3 };
    const { plugin } = await resolvePlugin(name);
    const env = makeEnv('GridWorld-v0', envOptions);
    const options = plugin.resolveOptions(agentOptions);
    const agent = await plugin.create(env.spec, options, { seed: 5 });
    await train({ agent, source: inProcessSource({ env: 'GridWorld-v0', options: envOptions }), steps, seed: 5 });
    await saveCheckpoint(dir, agent, { plugin, options, spec: env.spec, seed: 5, progress: { steps, episodes: 1 }, backend: 'cpu' });

    const loaded = await loadAgent(dir, env.spec);
    expect(loaded.manifest.progress.steps).toBe(steps);
    expect(loaded.options).toEqual(options);
    // Everything saved comes back: weights, target network, Adam moments and step counts, counters, generator.
    expect(await loaded.agent.snapshot()).toEqual(await agent.snapshot());
    const obs = observations(envOptions);
    expect(await actionsOf(loaded.agent, obs, false)).toEqual(await actionsOf(agent, obs, false));
    // The generator state travels too: exploration continues identically.
    expect(await actionsOf(loaded.agent, obs, true)).toEqual(await actionsOf(agent, obs, true));
    // Without a replay buffer to restore (DQN's is not saved), the table agents resume training identically.
    const more = async (a: Agent) => {
      await train({ agent: a, source: inProcessSource({ env: 'GridWorld-v0', options: envOptions }), steps: 50, seed: 9 });
      return (await a.snapshot()).tensors;
    };
    if (name !== 'dqn') expect(await more(loaded.agent)).toEqual(await more(agent));
    agent.dispose?.();
    loaded.agent.dispose?.();
  });
});

describe('checkpoint format', () => {
  async function saved(): Promise<void> {
    const { plugin } = await resolvePlugin('tabular-q');
    const env = makeEnv('GridWorld-v0', {});
    const agent = await plugin.create(env.spec, plugin.resolveOptions({}), { seed: 1 });
    await train({ agent, source: inProcessSource({ env: 'GridWorld-v0' }), steps: 200, seed: 1 });
    await saveCheckpoint(dir, agent, { plugin, options: plugin.resolveOptions({}), spec: env.spec, seed: 1, progress: { steps: 200, episodes: 3 } });
  }

  it('writes a versioned manifest and one binary file, replacing the old binary on a second save', async () => {
    await saved();
    await saved();
    const manifest = JSON.parse(readFileSync(path.join(dir, 'checkpoint.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'rlfs-agent-checkpoint', version: 1, agent: 'tabular-q', seed: 1, progress: { steps: 200, episodes: 3 } });
    expect(manifest.spec.observationSpace).toEqual({ type: 'Box', low: -1, high: 2, shape: [25], dtype: 'int8' });
    expect(manifest.tensors[0]).toMatchObject({ name: 'q', dtype: 'float64', offset: 0 });
    const bins = readdirSync(dir).filter((f) => f.endsWith('.bin'));
    expect(bins).toEqual([manifest.tensorFile]);
  });

  it('a save removes what an interrupted save left (temporary files, an unreferenced binary); the old checkpoint stays readable meanwhile', async () => {
    await saved();
    const before = readFileSync(path.join(dir, 'checkpoint.json'), 'utf8');
    // A save killed after writing its binary and half its manifest's temporary file.
    writeFileSync(path.join(dir, 'tensors-1-99999.bin'), Buffer.alloc(64));
    writeFileSync(path.join(dir, '.checkpoint.json.tmp-99999-0'), '{"format":"rlfs-agent-che');
    writeFileSync(path.join(dir, '.tensors-2-99999.bin.tmp-99999-1'), Buffer.alloc(8));
    writeFileSync(path.join(dir, '.checkpoint.json.12345.tmp'), '{'); // the temporary name of saves before durable writes
    expect((await readCheckpoint(dir)).manifest).toEqual(JSON.parse(before));
    await saved();
    const manifest = JSON.parse(readFileSync(path.join(dir, 'checkpoint.json'), 'utf8'));
    expect(readdirSync(dir).sort()).toEqual(['checkpoint.json', manifest.tensorFile]);
  });

  it('refuses a checkpoint whose observation space differs, naming both specs', async () => {
    await saved();
    const other = makeEnv('GridWorld-v0', { size: 6 }).spec;
    const attempt = loadAgent(dir, other);
    await expect(attempt).rejects.toThrow(CheckpointMismatchError);
    await expect(loadAgent(dir, other)).rejects.toThrow(
      /observation spaces differ\): trained on GridWorld-v0 .*"size":5.*observation Box\(shape \[25\], int8, -1\.\.2\), action Discrete\(4\); this environment is GridWorld-v0 .*"size":6.*observation Box\(shape \[36\], int8, -1\.\.2\)/,
    );
  });

  it('refuses an action space that differs, and accepts specs that differ only in options that keep the spaces', async () => {
    await saved();
    const { manifest } = await readCheckpoint(dir);
    expect(() => assertCompatible(manifest.spec, { ...manifest.spec, actionSpace: { type: 'Discrete', n: 5 } })).toThrow(/action spaces differ.*Discrete\(4\).*Discrete\(5\)/);
    expect(() => assertCompatible(manifest.spec, makeEnv('GridWorld-v0', { maxEpisodeSteps: 50 }).spec)).not.toThrow();
  });

  it('refuses another version, another format, and a missing binary', async () => {
    await saved();
    const file = path.join(dir, 'checkpoint.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...manifest, version: 2 }));
    await expect(readCheckpoint(dir)).rejects.toThrow(/checkpoint version 2, this program reads version 1/);
    writeFileSync(file, JSON.stringify({ ...manifest, format: 'keras' }));
    await expect(readCheckpoint(dir)).rejects.toThrow(CheckpointFormatError);
    writeFileSync(file, JSON.stringify({ ...manifest, tensorFile: 'gone.bin' }));
    await expect(readCheckpoint(dir)).rejects.toThrow(/missing gone.bin \(field "tensorFile"\)/);
    await expect(readCheckpoint(path.join(dir, 'nowhere'))).rejects.toThrow(/cannot read checkpoint.json/);
  });
});

describe('overlapping saves into one folder', () => {
  it('queue one after another: every save resolves and the folder holds the last one, with its own binary', async () => {
    const { plugin } = await resolvePlugin('tabular-q');
    const env = makeEnv('GridWorld-v0', {});
    const options = plugin.resolveOptions({});
    const agent = await plugin.create(env.spec, options, { seed: 1 });
    // A periodic save and a Ctrl-C save started together, as the train CLI can: before the queue the second removed
    // the first's temporary manifest (ENOENT on its rename) and the binary the first manifest was about to name.
    const saves = [1, 2, 3].map((k) => saveCheckpoint(dir, agent, { plugin, options, spec: env.spec, seed: 1, progress: { steps: k, episodes: k } }));
    const manifests = await Promise.all(saves);
    expect(manifests.map((m) => m.progress.steps)).toEqual([1, 2, 3]);
    const loaded = await loadAgent(dir, env.spec);
    expect(loaded.manifest.progress.steps).toBe(3);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
