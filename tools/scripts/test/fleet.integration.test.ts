/**
 * The fleet: 3 real servers behind a real HAProxy (deploy/haproxy/haproxy.cfg), 60 trainers through it. Sessions
 * spread across the three; one server is SIGTERMed while every trainer is in the middle of an episode; every trainer
 * still finishes all its episodes, with nothing but a reconnect notice, on the servers left; the viewer and a
 * spectator behind the proxy still work. Skipped, saying so, on a machine without haproxy (`.ci/run` installs it).
 */
import { makeEnv } from '@rlfs/envs';
import { randomPlugin, remoteSource, train } from '@rlfs/agents';
import type { Agent, EpisodeRecord, TrainResult } from '@rlfs/agents';
import { connect } from '@rlfs/protocol/node';
import { announceSkip } from '../test-python';
import { findHaproxy, HAPROXY_MISSING, serverStates, startFleet } from '../fleet-runner';
import type { Fleet, FleetServer } from '../fleet-runner';

const AGENTS = 60;
const EPISODES = 8;
/** Every trainer waits at the first step of this episode until the server is SIGTERMed: all are mid-episode then. */
const DRAIN_AT = 4;
/** ...and at the first step of this one until the spectator has looked, so that sessions are there to list. */
const LOOK_AT = 7;
const ENV_OPTIONS = { maxEpisodeSteps: 30 };

const haproxy = findHaproxy();
if (!haproxy) announceSkip('fleet', HAPROXY_MISSING);
// A skipped describe's title says why: the suite's closing line (tools/scripts/test-summary.ts) repeats it.
const describeWithHaproxy = haproxy ? describe : describe.skip;

/** A gate the trainers wait at; `open()` lets them all through. */
class Gate {
  waiting = 0;
  private opened = false;
  private release!: () => void;
  private readonly done = new Promise<void>((r) => (this.release = r));
  async pass(): Promise<void> {
    if (this.opened) return;
    this.waiting++;
    await this.done;
  }
  open(): void {
    this.opened = true;
    this.release();
  }
}

async function until(what: string, test: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function json(url: string): Promise<Record<string, unknown>> {
  return (await (await fetch(url)).json()) as Record<string, unknown>;
}

async function sessionsOn(server: FleetServer): Promise<number> {
  return (await json(`${server.httpUrl}healthz`)).sessions as number;
}

describeWithHaproxy(haproxy ? 'a fleet behind HAProxy' : `skipped: ${HAPROXY_MISSING}`, () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ servers: 3, port: 0, serverArgs: ['--drain-timeout', '60000'] });
  }, 120_000);
  afterAll(() => fleet?.stop());

  it('spreads 60 trainers over 3 servers, drains one mid-episode without losing an episode, and keeps the viewer working', async () => {
    const drainGate = new Gate();
    const lookGate = new Gate();
    const spec = makeEnv('GridWorld-v0', ENV_OPTIONS).spec;
    const logs: string[] = [];
    const episodes: EpisodeRecord[][] = [];
    const runs: Promise<TrainResult>[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const random = await randomPlugin.create(spec, {}, { seed: i });
      const mine: EpisodeRecord[] = [];
      episodes.push(mine);
      const agent: Agent = {
        ...random,
        async act(observations, count, explore) {
          if (mine.length === DRAIN_AT - 1) await drainGate.pass();
          if (mine.length === LOOK_AT - 1) await lookGate.pass();
          return random.act(observations, count, explore);
        },
      };
      const source = remoteSource({ env: 'GridWorld-v0', options: ENV_OPTIONS, url: fleet.url, name: `fleet-agent-${i}` });
      runs.push(train({ agent, source, episodes: EPISODES, seed: 1000 + i, onEpisode: (e) => void mine.push(e), log: (line) => logs.push(`agent ${i}: ${line}`) }));
    }
    const failures: unknown[] = [];
    const results = Promise.all(runs.map((run) => run.catch((err: unknown) => (failures.push(err), undefined))));

    // Every trainer is in the middle of its episode DRAIN_AT: the sessions are spread over the three servers.
    await until('every trainer at the drain gate', () => drainGate.waiting === AGENTS || failures.length > 0);
    expect(failures).toEqual([]);
    const before = await Promise.all(fleet.servers.map(sessionsOn));
    expect(before.reduce((a, b) => a + b, 0)).toBe(AGENTS);
    for (const count of before) expect(count).toBeGreaterThanOrEqual(10); // leastconn: about 20 each

    // A spectator through the proxy lists the sessions of the server it was given.
    const spectator = await connect(fleet.url, { role: 'spectator' });
    const listed = await spectator.sessions();
    expect(listed.length).toBeGreaterThanOrEqual(10);
    expect(listed.every((s) => s.name.startsWith('fleet-agent-'))).toBe(true);
    await spectator.close();

    // SIGTERM the busiest server; once it says it drains, the trainers go on.
    const busiest = before.indexOf(Math.max(...before));
    const drained = fleet.servers[busiest]!;
    drained.process.kill('SIGTERM');
    await until('the server to drain', async () => (await json(`${drained.httpUrl}readyz`)).draining === true);
    // New connections through the proxy all open, none on the draining server: one that HAProxy still sends there
    // (before its health check fails) is refused with 503 and retried on another server (retry-on 503, redispatch).
    const late = await Promise.all(Array.from({ length: 10 }, () => connect(fleet.url, { role: 'spectator' })));
    expect((await json(`${drained.httpUrl}healthz`)).connections).toBe(before[busiest]);
    await Promise.all(late.map((c) => c.close()));
    drainGate.open();
    expect(await drained.exited).toBe(0);
    // HAProxy's health check (/readyz 503, then no answer) takes it out of the rotation
    await until('HAProxy to mark the drained server down', async () => (await serverStates(fleet.statsSocket)).get(drained.name) === 'DOWN', 20_000);

    // Every trainer moved on to episode LOOK_AT: all 60 sessions are on the two servers left, and the viewer behind
    // the proxy still lists them.
    await until('every trainer at the look gate', () => lookGate.waiting === AGENTS || failures.length > 0);
    expect(failures).toEqual([]);
    const left = fleet.servers.filter((s) => s !== drained);
    const after = await Promise.all(left.map(sessionsOn));
    expect(after.reduce((a, b) => a + b, 0)).toBe(AGENTS);
    const watcher = await connect(fleet.url, { role: 'spectator' });
    const seen = await watcher.sessions();
    expect(after).toContain(seen.length);
    expect(seen.length).toBeGreaterThan(0);
    await watcher.close();
    const page = await fetch(fleet.httpUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(await (await fetch(left[0]!.httpUrl)).text());
    lookGate.open();

    const done = await results;
    expect(failures).toEqual([]);
    for (let i = 0; i < AGENTS; i++) {
      const result = done[i]!;
      expect(result).toMatchObject({ episodes: EPISODES, stoppedBy: 'budget' });
      // No episode was cut: they are numbered 1..EPISODES, and their steps are all the steps the trainer took.
      expect(episodes[i]!.map((e) => e.episode)).toEqual(Array.from({ length: EPISODES }, (_, k) => k + 1));
      expect(result.steps).toBe(episodes[i]!.reduce((sum, e) => sum + e.length, 0));
    }
    // Each trainer of the drained server reconnected at least once; nothing but reconnect notices was said.
    expect(done.reduce((sum, r) => sum + r!.reconnects, 0)).toBeGreaterThanOrEqual(before[busiest]!);
    for (const line of logs) expect(line).toMatch(/reconnecting in \d+ ms/);
  }, 240_000);
});
