/**
 * `npm run race` end to end with small budgets: two agents, two seeds, through the server it starts; every run
 * folder written, the viewer's race URL printed first, the table printed last. Then through an existing server
 * (--url), whose spectators see the race's sessions by name with their evaluation telemetry.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer } from '@rlfs/env-server';
import { connect } from '@rlfs/protocol/node';
import type { SpectatorEvent } from '@rlfs/protocol';

const ROOT = resolve(__dirname, '../../..');
const RACE = join(ROOT, 'tools/scripts/race.ts');

function race(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RACE, ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rlfs-race-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = ['--agents', 'random,tabular-q', '--seeds', '2', '--steps', '3000', '--eval-every', '1000', '--eval-episodes', '5', '--parallel', '2'];

describe('npm run race', () => {
  it('trains two agents on two seeds through its own server, writes every run folder, prints the URL then the table', async () => {
    const r = await race([...SMALL, '--race-id', 'small', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('race small: random, tabular-q on GridWorld-v0 {}, seeds 1..2, 3000 steps each, evaluation every 1000 steps (5 episodes)');
    expect(lines[2]).toMatch(/^watch: {2}http:\/\/127\.0\.0\.1:\d+\/\?race=small$/);
    for (const agent of ['random', 'tabular-q']) {
      for (const seed of [1, 2]) {
        const folder = join(dir, 'race-small', `${agent}-seed${seed}`);
        for (const file of ['run.json', 'metrics.csv', 'episodes.csv', 'curve.svg', 'train.log', 'checkpoint/checkpoint.json', 'best/checkpoint.json']) {
          expect(existsSync(join(folder, file))).toBe(true);
        }
        const run = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8'));
        expect(run).toMatchObject({ agent, seed, env: 'GridWorld-v0', name: `race/small/${agent}/seed${seed}`, evalEvery: 1000, result: { steps: 3000, stoppedBy: 'budget' }, lastEval: { step: 3000 } });
        // Three evaluations per run, at 1000, 2000 and 3000 steps.
        const evals = readFileSync(join(folder, 'metrics.csv'), 'utf8').split('\n').filter((l) => l.includes(',eval/success,'));
        expect(evals.map((l) => Number(l.split(',')[0]))).toEqual([1000, 2000, 3000]);
      }
    }
    const table = r.stdout.slice(r.stdout.indexOf('final evaluation per agent'));
    expect(table).toMatch(/^agent +runs ok +eval\/success mean ± sd \(min\.\.max\) +eval\/return mean ± sd \(min\.\.max\)$/m);
    expect(table).toMatch(/^random +2\/2 +[01]\.\d\d ± \d\.\d\d \([01]\.\d\d\.\.[01]\.\d\d\) +-?\d+\.\d ± \d+\.\d \(/m);
    expect(table).toMatch(/^tabular-q +2\/2 +[01]\.\d\d ± /m);
  }, 240_000);

  it('races through an existing server (--url): spectators see race/<id>/<agent>/seed<k> sessions with eval/ telemetry', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', warn: () => undefined });
    const spectator = await connect(server.url, { role: 'spectator' });
    const events: SpectatorEvent[] = [];
    spectator.onEvent((e) => void events.push(e));
    const subscribed = new Set<string>();
    // Subscribe to each race session as it appears (polling the session list).
    const poll = setInterval(() => {
      void spectator.sessions().then(async (list) => {
        for (const s of list) {
          if (s.name.startsWith('race/viaurl/') && !subscribed.has(s.session)) {
            subscribed.add(s.session);
            await spectator.subscribe(s.session).catch(() => undefined);
          }
        }
      }).catch(() => undefined);
    }, 20);
    try {
      const r = await race(['--agents', 'tabular-q', '--seeds', '1', '--steps', '6000', '--eval-every', '2000', '--eval-episodes', '5', '--race-id', 'viaurl', '--out', dir, '--url', server.url]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`watch:  http://127.0.0.1:${server.port}/?race=viaurl\n`);
      expect(existsSync(join(dir, 'race-viaurl', 'tabular-q-seed1', 'best', 'checkpoint.json'))).toBe(true);
    } finally {
      clearInterval(poll);
      await spectator.close();
      await server.close();
    }
    const names = new Set(events.filter((e) => e.type === 'telemetry').flatMap((e) => Object.keys((e as { metrics: object }).metrics)));
    expect(names.has('eval/success')).toBe(true);
    expect(names.has('eval/return')).toBe(true);
  }, 240_000);
});
