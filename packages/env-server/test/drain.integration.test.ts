/**
 * Readiness (/readyz, --max-sessions) and the drain: new connections and sessions refused, every agent and spectator
 * told, running episodes finished (scalar: up to the step that ends it; vector: until each sub-env has ended the
 * episode it was in), then 1001. Real servers on port 0, one per test (a drain ends its server), and the CLI's SIGTERM.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import WebSocket from 'ws';
import { connect } from '@rlfs/protocol/node';
import type { Client, DrainingEvent } from '@rlfs/protocol';
import { startServer } from '../src';
import type { RunningServer, ServerOptions } from '../src';

const ROOT = resolve(__dirname, '../../..');
/** Agent at the top left, goal two cells to its right: two moves right (3) end the episode. */
const LAYOUT = ['A.G', '...', '...'];
const RIGHT = 3;
const LEFT = 2;

const servers: RunningServer[] = [];
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const server = await startServer({ port: 0, warn: () => undefined, ...options });
  servers.push(server);
  return server;
}

async function open(server: RunningServer, role: 'agent' | 'spectator'): Promise<Client> {
  const client = await connect(server.url, { role });
  clients.push(client);
  return client;
}

async function readyz(server: RunningServer): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.httpUrl}readyz`);
  return { status: response.status, body: await response.json() };
}

function closeCode(client: Client): Promise<number> {
  return new Promise((done) => client.onClose((info) => done(info.code)));
}

function notice(client: Client): Promise<DrainingEvent> {
  return new Promise((done) => {
    if (client.draining) return done(client.draining);
    client.onDraining(done);
  });
}

describe('/readyz and --max-sessions', () => {
  it('answers 200 while sessions are below capacity, 503 at it (make refused with UNAVAILABLE), while /healthz stays 200', async () => {
    const server = await serve({ maxSessions: 2 });
    expect(await readyz(server)).toEqual({ status: 200, body: { sessions: 0, capacity: 2, draining: false } });
    const a = await open(server, 'agent');
    const b = await open(server, 'agent');
    const c = await open(server, 'agent');
    await a.make({ env: 'GridWorld-v0' });
    expect(await readyz(server)).toEqual({ status: 200, body: { sessions: 1, capacity: 2, draining: false } });
    await b.make({ env: 'GridWorld-v0' });
    expect(await readyz(server)).toEqual({ status: 503, body: { sessions: 2, capacity: 2, draining: false } });
    await expect(c.make({ env: 'GridWorld-v0' })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('--max-sessions') });
    // not fatal: the connection stays, with no session
    await expect(c.reset()).rejects.toMatchObject({ code: 'NOT_MADE' });
    expect((await fetch(`${server.httpUrl}healthz`)).status).toBe(200);
    await a.closeSession();
    expect(await readyz(server)).toEqual({ status: 200, body: { sessions: 1, capacity: 2, draining: false } });
    await c.make({ env: 'GridWorld-v0' });
    expect(await readyz(server)).toMatchObject({ status: 503 });
  });

  it('refuses a maxSessions that is not a positive integer, naming it', async () => {
    await expect(startServer({ port: 0, maxSessions: 0 })).rejects.toThrow(/maxSessions: expected an integer from 1/);
  });
});

describe('drain', () => {
  it('tells agents and spectators, refuses new connections and makes, lets the running episode finish, then closes with 1001', async () => {
    const server = await serve();
    const agent = await open(server, 'agent');
    const spectator = await open(server, 'spectator');
    const { session } = await agent.make({ env: 'GridWorld-v0', options: { layout: LAYOUT } });
    await spectator.subscribe(session);
    await agent.reset();
    expect((await agent.step(RIGHT)).terminated).toBe(false);
    const agentClosed = closeCode(agent);
    const spectatorClosed = closeCode(spectator);
    const before = Date.now();
    const drained = server.drain(20_000);
    const told = await notice(agent);
    expect(told.type).toBe('draining');
    expect(told.deadline).toBeGreaterThanOrEqual(before + 20_000);
    expect((await notice(spectator)).deadline).toBe(told.deadline);
    expect(server.draining).toBe(true);
    expect(await readyz(server)).toEqual({ status: 503, body: { sessions: 1, capacity: 2048, draining: true } });
    await expect(connect(server.url, { role: 'agent' })).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    // a make while draining is refused first, before ALREADY_MADE; the episode goes on
    await expect(agent.make({ env: 'GridWorld-v0' })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('draining') });
    const last = await agent.step(RIGHT);
    expect(last.terminated).toBe(true);
    expect(last.info).toMatchObject({ episode: { length: 2 } });
    expect(await agentClosed).toBe(1001);
    // the last agent gone, the drain ends at once (well before its deadline) and the spectator goes too
    await drained;
    expect(await spectatorClosed).toBe(1001);
    await expect(fetch(`${server.httpUrl}healthz`)).rejects.toThrow();
  });

  it('closes at once the agents with no episode to finish (no session, not reset, episode ended) and connections that have not said hello', async () => {
    const server = await serve();
    const bare = await open(server, 'agent');
    const unreset = await open(server, 'agent');
    await unreset.make({ env: 'GridWorld-v0' });
    const ended = await open(server, 'agent');
    await ended.make({ env: 'GridWorld-v0', options: { layout: LAYOUT } });
    await ended.reset();
    await ended.step(RIGHT);
    expect((await ended.step(RIGHT)).terminated).toBe(true);
    const silent = new WebSocket(server.url);
    await new Promise((done) => silent.once('open', done));
    const silentClosed = new Promise<number>((done) => silent.once('close', (code) => done(code)));
    const codes = Promise.all([closeCode(bare), closeCode(unreset), closeCode(ended)]);
    await server.drain(20_000);
    expect(await codes).toEqual([1001, 1001, 1001]);
    expect(await silentClosed).toBe(1001);
  });

  it('answers a reset while draining with UNAVAILABLE, then closes: the agent gave up its episode', async () => {
    const server = await serve();
    const agent = await open(server, 'agent');
    await agent.make({ env: 'GridWorld-v0', options: { layout: LAYOUT } });
    await agent.reset();
    await agent.step(RIGHT);
    const closed = closeCode(agent);
    const drained = server.drain(20_000);
    await notice(agent);
    await expect(agent.reset()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(await closed).toBe(1001);
    await drained;
  });

  it('keeps a vector session until every sub-env has ended the episode it was in when the drain began', async () => {
    const server = await serve();
    const agent = await open(server, 'agent');
    await agent.make({ env: 'GridWorld-v0', numEnvs: 2, options: { layout: LAYOUT } });
    await agent.reset();
    await agent.step([RIGHT, RIGHT]); // both one move from the goal
    let closedWith: number | undefined;
    agent.onClose((info) => (closedWith = info.code));
    const drained = server.drain(20_000);
    await notice(agent);
    // sub-env 0 ends its episode (and autoresets); sub-env 1 steps back
    expect((await agent.step([RIGHT, LEFT])).terminated).toEqual([true, false]);
    expect((await agent.step([RIGHT, RIGHT])).terminated).toEqual([false, false]);
    expect(closedWith).toBeUndefined();
    // sub-env 1 ends the episode it was in: its reply comes, then the close (sub-env 0's new episode is not waited for)
    expect((await agent.step([LEFT, RIGHT])).terminated).toEqual([false, true]);
    await drained;
    expect(closedWith).toBe(1001);
  });

  it('closes what is left with 1001 at the drain timeout', async () => {
    const server = await serve();
    const agent = await open(server, 'agent');
    await agent.make({ env: 'GridWorld-v0', options: { layout: LAYOUT } });
    await agent.reset();
    const closed = closeCode(agent);
    await server.drain(300); // the agent never finishes its episode
    expect(await closed).toBe(1001);
  });
});

it('the CLI drains on SIGTERM: the running episode finishes, the agent is closed with 1001, the process exits 0', async () => {
  // node --import tsx, not the tsx binary: its wrapper would relay the signal a second time
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/env-server/bin/server.ts', '--port', '0', '--drain-timeout', '20000'], {
    cwd: ROOT,
    env: { ...process.env, RLFS_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    const url = await waitFor(() => /listening on (ws:\S+)/.exec(out)?.[1]);
    const agent = await connect(url, { role: 'agent' });
    clients.push(agent);
    await agent.make({ env: 'GridWorld-v0', options: { layout: LAYOUT } });
    await agent.reset();
    await agent.step(RIGHT);
    const closed = closeCode(agent);
    child.kill('SIGTERM');
    await notice(agent);
    expect(out).toMatch(/SIGTERM: draining: 1 sessions may finish/);
    expect((await agent.step(RIGHT)).terminated).toBe(true);
    expect(await closed).toBe(1001);
    expect(await exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
});

async function waitFor<T>(read: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
