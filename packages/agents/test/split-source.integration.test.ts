/** Training from a vector env split across several servers: the same run as in-process, and `train --url A,B --url C`. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UsageError } from '@rlfs/cli';
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import { makeEnv } from '@rlfs/envs';
import { initBackend } from '../src/backend';
import { sourceFromFlags } from '../src/cli/common';
import { resolvePlugin } from '../src/registry';
import { train } from '../src/runner';
import { inProcessSource, remoteSource } from '../src/sources';
import type { EnvSource } from '../src/sources';

const ROOT = path.resolve(__dirname, '../../..');
const servers: RunningServer[] = [];
let urls: string[];

beforeAll(async () => {
  await initBackend('wasm');
  for (let k = 0; k < 3; k++) servers.push(await startServer({ port: 0, host: '127.0.0.1', warn: () => undefined }));
  urls = servers.map((s) => s.url);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function returnsOf(source: EnvSource, steps: number): Promise<number[]> {
  const { plugin } = await resolvePlugin('tabular-q');
  const agent = await plugin.create(makeEnv('GridWorld-v0', {}).spec, plugin.resolveOptions({}), { seed: 5 });
  const returns: number[] = [];
  await train({ agent, source, steps, seed: 5, onEpisode: (e) => void returns.push(e.return) });
  return returns;
}

it.each(['plain', 'packed'] as const)('tabular-q on 6 sub-envs split over three servers learns exactly as in-process (%s)', async (encoding) => {
  const local = await returnsOf(inProcessSource({ env: 'GridWorld-v0', numEnvs: 6 }), 3000);
  const split = await returnsOf(remoteSource({ env: 'GridWorld-v0', url: urls, numEnvs: 6, encoding, name: 'split-train' }), 3000);
  expect(local.length).toBeGreaterThan(40);
  expect(split).toEqual(local);
}, 60_000);

it('several --url need a vector env with at least one sub-env per server', () => {
  const flags = { url: ['ws://a/ws', 'ws://b/ws'], 'in-process': false, encoding: 'packed' as const, token: undefined };
  expect(() => sourceFromFlags(flags, 'GridWorld-v0', undefined, 0, 'x')).toThrow(UsageError);
  expect(() => sourceFromFlags(flags, 'GridWorld-v0', undefined, 1, 'x')).toThrow('--url: 2 servers split a vector env of --num-envs N sub-envs, N >= 2 (got 1)');
  expect(sourceFromFlags(flags, 'GridWorld-v0', undefined, 2, 'x').where).toBe('ws://a/ws, ws://b/ws');
});

it('npm run train -- --url A,B --url C --num-envs 3 trains across the three servers', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rlfs-split-'));
  try {
    const args = ['--import', 'tsx', path.join(ROOT, 'packages/agents/src/cli/train.ts'), '--agent', 'tabular-q', '--url', `${urls[0]},${urls[1]}`, '--url', urls[2]!, '--num-envs', '3', '--steps', '600', '--out', path.join(dir, 'run')];
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) as string });
    expect(stdout).toContain(`(${urls.join(', ')}, 3 envs)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
