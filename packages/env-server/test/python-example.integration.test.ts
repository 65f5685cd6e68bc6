/** examples/python/random_agent.py against a real server (skipped, saying what to install, where python3 lacks its modules). */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startServer } from '../src';
import type { RunningServer } from '../src';
import { announceSkip, findPython } from '../../../tools/scripts/test-python';

const SCRIPT = resolve(__dirname, '../../../examples/python/random_agent.py');

const { python, skipReason } = findPython(['msgpack', 'websockets']);
if (skipReason) announceSkip('python-example', skipReason);
// A skipped describe's title says why: the suite's summary line (tools/scripts/test-summary.ts) repeats it.
const describeWithPython = python ? describe : describe.skip;

function runScript(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(python!, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describeWithPython(skipReason ? `skipped: ${skipReason}` : 'examples/python/random_agent.py', () => {
  let server: RunningServer;
  let secured: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1' });
    secured = await startServer({ port: 0, host: '127.0.0.1', token: 'py-token' });
  });
  afterAll(async () => {
    await server.close();
    await secured.close();
  });

  it('plays N episodes, prints each return, and repeats exactly with the same seed', async () => {
    const first = await runScript(['--url', server.url, '--episodes', '3', '--seed', '7']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.split('\n').filter((l) => l.startsWith('episode '));
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^episode ${i + 1}: return -?\\d+\\.\\d\\d in \\d+ steps`)));
    const again = await runScript(['--url', server.url, '--episodes', '3', '--seed', '7']);
    expect(again.stdout).toBe(first.stdout);
    expect(server.health().sessions).toBe(0);
  });

  it('uses a token, and reports an error reply clearly with exit code 1', async () => {
    const ok = await runScript(['--url', secured.url, '--episodes', '1', '--token', 'py-token']);
    expect(ok.code).toBe(0);
    const refused = await runScript(['--url', secured.url, '--episodes', '1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error from the server: hello: UNAUTHORIZED: /);
  });
});
