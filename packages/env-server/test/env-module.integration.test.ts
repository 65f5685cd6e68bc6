/** `npm run server -- --env-module PATH`: a user's environment served like ours; a broken one refused at start. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { connect } from '@rlfs/protocol/node';
import { runWireChecks } from '../src/checker';

const ROOT = resolve(__dirname, '../../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const BIN = 'packages/env-server/bin/server.ts';

function start(args: string[]) {
  const child = spawn(TSX, [BIN, '--port', '0', ...args], { cwd: ROOT, env: { ...process.env, RLFS_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = (async (): Promise<string> => {
    let done = false;
    void exited.then(() => (done = true));
    for (;;) {
      const m = /listening on (ws:\S+)/.exec(out);
      if (m) return m[1]!;
      if (done) throw new Error(`the server exited: ${out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  url.catch(() => undefined);
  return { child, exited, url, output: () => out };
}

it('serves examples/envs/mountain-walk.ts: welcome lists it and the wire checker passes on it', async () => {
  const server = start(['--env-module', 'examples/envs/mountain-walk.ts']);
  try {
    const url = await server.url;
    expect(server.output()).toMatch(/^environments from --env-module: MountainWalk-v0$/m);
    const client = await connect(url, { role: 'agent' });
    expect(client.welcome.envs).toEqual(['GridWorld-v0', 'CartPole-v1', 'MountainWalk-v0']);
    const made = await client.make({ env: 'MountainWalk-v0', options: { slip: 0 } });
    expect(made.spec.options).toEqual({ stride: 0.05, slip: 0, maxEpisodeSteps: 200 });
    expect((await client.render('ansi').catch((e: { code: string }) => e.code))).toBe('RESET_NEEDED');
    await client.close();
    const only = ['spec', 'observationsInSpace', 'seedDeterminism', 'vectorEqualsScalar', 'packedEqualsPlain', 'render', 'draw'];
    const report = await runWireChecks({ url, env: 'MountainWalk-v0', steps: 250 }, undefined, only);
    expect(report.filter((r) => !r.ok)).toEqual([]);
    expect(report).toHaveLength(only.length);
  } finally {
    server.child.kill('SIGINT');
    await server.exited;
  }
}, 60_000);

it('refuses to start with a module that breaks the contract, printing the checker findings', async () => {
  const server = start(['--env-module', 'packages/env-server/test/fixtures/broken-env.ts']);
  expect(await server.exited).toBe(1);
  expect(server.output()).toMatch(/^error: --env-module packages\/env-server\/test\/fixtures\/broken-env.ts: Unseeded-v0 breaks the environment contract, refused:\n {2}FAIL checkSeedDeterminism: /m);
  expect(server.output()).not.toMatch(/listening/);
}, 60_000);
