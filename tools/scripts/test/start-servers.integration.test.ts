/** `npm start -- --servers URL,...`: the viewer URL it prints watches this server and the others (`?servers=`). */
import { spawn, spawnSync } from 'node:child_process';
import { ROOT } from '../fleet-runner';

it('prints a viewer URL with ?servers= listing its own server first, then the others', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/scripts/start.ts', '--port', '0', '--no-demo', '--servers', 'ws://127.0.0.1:9101/ws,ws://127.0.0.1:9102/ws'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (!/Ctrl-C stops everything/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const own = /WebSocket: +(ws:\/\/127\.0\.0\.1:\d+\/ws)/.exec(out)?.[1];
    expect(own).toBeDefined();
    expect(out).toMatch(new RegExp(`viewer: +http://127\\.0\\.0\\.1:\\d+/\\?servers=${own},ws://127\\.0\\.0\\.1:9101/ws,ws://127\\.0\\.0\\.1:9102/ws\\n`));
    expect(out).toMatch(/play: +http:\/\/127\.0\.0\.1:\d+\/play\n/);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
}, 90_000);

it('refuses --servers that are not WebSocket URLs, naming the flag (exit 2)', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'tools/scripts/start.ts', '--no-demo', '--servers', 'http://127.0.0.1:9101/'], { cwd: ROOT, encoding: 'utf8' });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('--servers: expected WebSocket URLs');
});
