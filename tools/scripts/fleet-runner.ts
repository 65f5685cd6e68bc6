/**
 * A fleet on one machine: N environment servers on free ports and HAProxy in front of them, configured from
 * deploy/haproxy/haproxy.cfg (only its `bind` line and `server` lines are rewritten). Used by `npm run fleet` and by
 * the fleet integration test.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const HAPROXY_TEMPLATE = join(ROOT, 'deploy/haproxy/haproxy.cfg');
const SERVER_BIN = 'packages/env-server/bin/server.ts';

/** Where haproxy is looked for besides PATH: Debian installs it in /usr/sbin, which a user's PATH may lack. */
const HAPROXY_PLACES = ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy'];

/** What to say when haproxy is missing. */
export const HAPROXY_MISSING = 'haproxy is not installed: apt-get install haproxy (Debian, Ubuntu), or set HAPROXY=/path/to/haproxy';

/** The haproxy binary: $HAPROXY, else the first on PATH or in /usr/sbin; undefined when there is none. */
export function findHaproxy(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HAPROXY) return existsSync(env.HAPROXY) ? env.HAPROXY : undefined;
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'haproxy'));
  return [...onPath, ...HAPROXY_PLACES].find((file) => existsSync(file));
}

export interface FleetOptions {
  /** Servers to start (at least 1). */
  servers: number;
  /** The proxy's port on 127.0.0.1 (0 picks a free one). */
  port: number;
  /** Extra flags for every server (`--max-sessions 100`, `--drain-timeout 5000`, ...). */
  serverArgs?: string[];
  /** The haproxy binary (default: {@link findHaproxy}). */
  haproxy?: string;
  /** Lines the servers and haproxy print (default: dropped). */
  log?: (line: string) => void;
}

export interface FleetServer {
  /** `env1`, `env2`, ...: the name HAProxy knows it by. */
  name: string;
  port: number;
  /** The server's own WebSocket URL (not through the proxy). */
  url: string;
  httpUrl: string;
  process: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

export interface Fleet {
  /** The proxy: `ws://127.0.0.1:P/ws`, and the viewer at `http://127.0.0.1:P/`. */
  url: string;
  httpUrl: string;
  port: number;
  servers: FleetServer[];
  haproxy: ChildProcess;
  /** The configuration haproxy runs with. */
  config: string;
  /** HAProxy's stats socket (a Unix socket): {@link serverStates} reads it. */
  statsSocket: string;
  /** Stops haproxy and every server still running (SIGINT: at once), and removes the configuration. */
  stop(): Promise<void>;
}

/**
 * The HAProxy configuration for these servers: the template with its frontend `bind` line set to `127.0.0.1:port`
 * and its `server` lines replaced by one per server.
 */
export function haproxyConfig(template: string, port: number, servers: readonly { name: string; port: number }[]): string {
  const lines = template.split('\n');
  const bind = lines.findIndex((line) => /^\s+bind\s/.test(line));
  if (bind < 0) throw new Error('the HAProxy template has no bind line');
  const serverLines = lines.map((line, i) => (/^\s+server\s/.test(line) ? i : -1)).filter((i) => i >= 0);
  if (serverLines.length === 0) throw new Error('the HAProxy template has no server line');
  const indent = /^\s+/.exec(lines[serverLines[0]!]!)![0];
  lines[bind] = lines[bind]!.replace(/bind\s+\S+/, `bind 127.0.0.1:${port}`);
  const fresh = servers.map((s) => `${indent}server ${s.name} 127.0.0.1:${s.port}`);
  const first = serverLines[0]!;
  const kept = lines.filter((_, i) => !serverLines.includes(i));
  kept.splice(first, 0, ...fresh);
  return kept.join('\n');
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

/** Starts the servers, then HAProxy in front, and resolves once the proxy routes to every server. */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  if (!Number.isInteger(options.servers) || options.servers < 1) throw new RangeError(`servers: expected an integer of at least 1, got ${options.servers}`);
  const haproxyBin = options.haproxy ?? findHaproxy();
  if (!haproxyBin) throw new Error(HAPROXY_MISSING);
  const log = options.log ?? (() => undefined);
  const servers: FleetServer[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'rlfs-fleet-'));
  let haproxy: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    const waits: Promise<unknown>[] = [];
    if (haproxy && haproxy.exitCode === null && haproxy.signalCode === null) {
      waits.push(new Promise((done) => haproxy!.once('exit', done)));
      haproxy.kill('SIGINT');
    }
    for (const server of servers) {
      if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGINT');
      waits.push(server.exited);
    }
    await Promise.all(waits);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const started = await Promise.all(Array.from({ length: options.servers }, (_, i) => startOne(`env${i + 1}`, options.serverArgs ?? [], log)));
    servers.push(...started);
    const port = options.port === 0 ? await freePort() : options.port;
    const statsSocket = join(dir, 'haproxy.sock');
    // The stats socket (local to this run) tells when every server is up, and the test reads it too.
    const config = haproxyConfig(readFileSync(HAPROXY_TEMPLATE, 'utf8'), port, servers).replace(/^global\n/m, `global\n    stats socket ${statsSocket} mode 600\n`);
    const file = join(dir, 'haproxy.cfg');
    writeFileSync(file, config);
    const check = spawnSync(haproxyBin, ['-c', '-q', '-f', file], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`haproxy refused the configuration ${file}:\n${check.stderr}${check.stdout}`);
    haproxy = spawn(haproxyBin, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const proxy = haproxy;
    const output = { text: '' };
    for (const stream of [proxy.stdout!, proxy.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        output.text += chunk;
        for (const line of chunk.split('\n')) if (line.trim()) log(`[haproxy] ${line}`);
      });
    }
    const httpUrl = `http://127.0.0.1:${port}/`;
    await waitForBackends(statsSocket, proxy, servers, output);
    return { url: `ws://127.0.0.1:${port}/ws`, httpUrl, port, servers, haproxy: proxy, config, statsSocket, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts one server on a free port with `node --import tsx` (a signal reaches it once) and waits for its URL. */
function startOne(name: string, args: string[], log: (line: string) => void): Promise<FleetServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_BIN, '--port', '0', '--allow-host', 'localhost', '--allow-host', '127.0.0.1', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    let seen = '';
    const onLine = (chunk: string): void => {
      seen += chunk;
      for (const line of chunk.split('\n')) if (line.trim()) log(`[${name}] ${line}`);
      const match = /listening on (ws:\/\/127\.0\.0\.1:(\d+)\/ws)/.exec(seen);
      if (match) {
        const port = Number(match[2]);
        done({ name, port, url: match[1]!, httpUrl: `http://127.0.0.1:${port}/`, process: child, exited });
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onLine);
    child.stderr!.setEncoding('utf8').on('data', onLine);
    void exited.then((code) => fail(new Error(`server ${name} exited (${code}) before listening:\n${seen}`)));
  });
}

/** Waits until HAProxy's stats socket says every server is UP (its health check on /readyz has passed `rise` times). */
async function waitForBackends(socket: string, proxy: ChildProcess, servers: FleetServer[], output: { text: string }, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (proxy.exitCode !== null || proxy.signalCode !== null) throw new Error(`haproxy exited (${proxy.exitCode ?? proxy.signalCode}):\n${output.text}`);
    const states = await serverStates(socket).catch(() => new Map<string, string>());
    if (servers.every((s) => states.get(s.name) === 'UP')) return;
    if (Date.now() > deadline) throw new Error(`HAProxy did not mark every server up within ${ms} ms (${JSON.stringify([...states])}):\n${output.text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Each server's state as HAProxy sees it (`UP`, `DOWN`, `MAINT`, ...), from `show stat` on its stats socket. */
export function serverStates(socket: string): Promise<Map<string, string>> {
  return new Promise((done, fail) => {
    const conn = connect(socket);
    let text = '';
    conn.setEncoding('utf8');
    conn.on('data', (chunk: string) => (text += chunk));
    conn.on('error', fail);
    conn.on('end', () => {
      const [header, ...rows] = text.trim().split('\n');
      const names = (header ?? '').replace(/^# /, '').split(',');
      const sv = names.indexOf('svname');
      const status = names.indexOf('status');
      const states = new Map<string, string>();
      for (const row of rows) {
        const cells = row.split(',');
        if (cells[sv] !== 'FRONTEND' && cells[sv] !== 'BACKEND') states.set(cells[sv]!, (cells[status] ?? '').split(' ')[0]!);
      }
      done(states);
    });
    conn.end('show stat\n');
  });
}
