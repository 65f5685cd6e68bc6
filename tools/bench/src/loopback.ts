/**
 * Workloads 2-5, bench side: each group gets a fresh server process (so that one group's memory does not hide in
 * another's figures) and a client process; the bench sends them commands and turns the answers into rows.
 */
import { join } from 'node:path';
import { ChildHandle } from './children';
import type { BenchConfig } from './config';
import type { Row } from './report';
import type { LatencyResult } from './workloads/scalar';
import type { VectorFloorResult } from './workloads/vector-floor';

interface ServerInfo {
  url: string;
  httpUrl: string;
  echoPort: number;
  pid: number;
}
interface Memory {
  rss: number;
  heapUsed: number;
}

/** A server process and a client process, started together, stopped together. */
export class Pair {
  private constructor(
    readonly server: ChildHandle,
    readonly client: ChildHandle,
    readonly info: ServerInfo,
  ) {}

  static async start(): Promise<Pair> {
    const server = new ChildHandle('server', join(__dirname, 'server-child.ts'), ['--expose-gc']);
    const client = new ChildHandle('client', join(__dirname, 'client-worker.ts'));
    try {
      const info = await server.call<ServerInfo>({ cmd: 'info' }, 30_000);
      return new Pair(server, client, info);
    } catch (err) {
      await Promise.all([server.stop(), client.stop()]);
      throw err;
    }
  }

  memory(): Promise<Memory> {
    return this.server.call<Memory>({ cmd: 'memory' }, 10_000);
  }

  async stop(): Promise<void> {
    await Promise.all([this.client.stop(), this.server.stop()]);
  }
}

/** Runs `fn` with a fresh pair, always stopping it. */
export async function withPair<T>(fn: (pair: Pair) => Promise<T>): Promise<T> {
  const pair = await Pair.start();
  try {
    return await fn(pair);
  } finally {
    await pair.stop();
  }
}

/** (2) one scalar agent and the TCP floor, in alternating blocks between the same two processes. */
export function loopbackScalar(config: BenchConfig): Promise<Row[]> {
  return withPair(async (pair) => {
    const r = await pair.client.call<LatencyResult>({ cmd: 'latency', url: pair.info.url, echoPort: pair.info.echoPort, ...config.latency }, config.latency.maxMs + 60_000);
    return [
      { workload: 'loopback-scalar', metric: 'round_trips_per_s', value: r.roundTripsPerS, unit: '1/s' },
      { workload: 'loopback-scalar', metric: 'rtt_p50_us', value: r.wsP50Us, unit: 'us' },
      { workload: 'loopback-scalar', metric: 'rtt_p99_us', value: r.wsP99Us, unit: 'us' },
      { workload: 'loopback-scalar', metric: 'rtt_ratio_to_floor', value: r.wsP50Us / r.tcpP50Us, unit: 'x' },
      { workload: 'loopback-tcp-floor', metric: 'rtt_p50_us', value: r.tcpP50Us, unit: 'us' },
    ];
  });
}

/** (3) many concurrent scalar agents: aggregate steps per second, and server RSS per connection with live sessions. */
export function loopbackAgents(config: BenchConfig): Promise<Row[]> {
  const { count, warmupMs, durationMs } = config.agents;
  return withPair(async (pair) => {
    await warmUp(pair, 'agents', 8);
    const before = await pair.memory();
    const opened = await pair.client.call<number>({ cmd: 'agents-open', url: pair.info.url, count }, 60_000);
    const after = await pair.memory();
    const run = await pair.client.call<{ stepsPerS: number }>({ cmd: 'agents-run', warmupMs, durationMs }, warmupMs + durationMs + 60_000);
    await pair.client.call({ cmd: 'agents-close' }, 30_000);
    return [
      { workload: `loopback-${count}-agents`, metric: 'env_steps_per_s', value: run.stepsPerS, unit: '1/s' },
      { workload: `loopback-${count}-agents`, metric: 'rss_per_conn_bytes', value: (after.rss - before.rss) / opened, unit: 'B' },
    ];
  });
}

/**
 * (4) vector sessions, plain and packed, N each; ratios to the in-process figures are added by the bench. Then, when
 * the packed encoding and the floors' N are in the run, the packed session of GridWorld-v0 and of CartPole-v1 against
 * the bare `ws` + msgpackr echo of the same bytes (src/floors/packed-echo.ts), in alternating rounds.
 */
export function loopbackVector(config: BenchConfig): Promise<Row[]> {
  return withPair(async (pair) => {
    const rows: Row[] = [];
    for (const encoding of config.vectorEncodings) {
      for (const n of config.vectorN) {
        const r = await pair.client.call<{ envStepsPerS: number }>(
          { cmd: 'vector', url: pair.info.url, numEnvs: n, encoding, ...config.vector },
          config.vector.durationMs + 60_000,
        );
        rows.push({ workload: `loopback-vector-${encoding}`, n, metric: 'env_steps_per_s', value: r.envStepsPerS, unit: '1/s' });
      }
    }
    const f = config.floors;
    if (!config.vectorEncodings.includes('packed') || !config.vectorN.includes(f.numEnvs)) return rows;
    const floorUrl = await pair.server.call<string>({ cmd: 'packed-floor' }, 10_000);
    for (const [env, numActions] of FLOOR_ENVS) {
      const r = await pair.client.call<VectorFloorResult>(
        { cmd: 'vector-floor', url: pair.info.url, floorUrl, env, numEnvs: f.numEnvs, numActions, rounds: f.rounds, roundMs: f.loopbackRoundMs, warmupMs: f.warmupMs },
        2 * (f.warmupMs + f.rounds * f.loopbackRoundMs) + 60_000,
      );
      const tag = env === 'GridWorld-v0' ? {} : { env };
      const n = f.numEnvs;
      if (env !== 'GridWorld-v0') rows.push({ workload: 'loopback-vector-packed', ...tag, n, metric: 'env_steps_per_s', value: Math.max(...r.env), unit: '1/s' });
      rows.push(
        { workload: 'loopback-vector-packed', ...tag, n, metric: 'ratio_to_floor', value: median(r.env.map((e, i) => e / r.floor[i]!)), unit: 'x' },
        { workload: 'loopback-packed-echo-floor', ...tag, n, metric: 'env_steps_per_s', value: Math.max(...r.floor), unit: '1/s' },
      );
    }
    return rows;
  });
}

/** The environments measured against a floor, with their number of actions. */
const FLOOR_ENVS = [
  ['GridWorld-v0', 4],
  ['CartPole-v1', 2],
] as const;

/**
 * A vector agent (N=64) watched by five spectators that never read, in rounds alternating with an unwatched agent of
 * the same server: `ratio_to_unwatched` is the median watched round over the median unwatched one (target >= 0.8).
 */
export function loopbackWatched(config: BenchConfig): Promise<Row[]> {
  const w = config.watched;
  return withPair(async (pair) => {
    const r = await pair.client.call<{ alone: number[]; watched: number[] }>({ cmd: 'watched', url: pair.info.url, ...w }, w.rounds * w.roundMs * 2 + w.warmupMs * 2 + 60_000);
    const alone = median(r.alone);
    const watched = median(r.watched);
    return [
      { workload: 'loopback-vector-watched', n: w.numEnvs, metric: 'env_steps_per_s', value: watched, unit: '1/s' },
      { workload: 'loopback-vector-watched', n: w.numEnvs, metric: 'unwatched_env_steps_per_s', value: alone, unit: '1/s' },
      { workload: 'loopback-vector-watched', n: w.numEnvs, metric: 'ratio_to_unwatched', value: watched / alone, unit: 'x' },
    ];
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** (5) idle connections: server RSS per connection, and whether /healthz still answers. */
export function idleConnections(config: BenchConfig): Promise<Row[]> {
  const count = config.idle.count;
  return withPair(async (pair) => {
    await warmUp(pair, 'idle', 10);
    const before = await pair.memory();
    const opened = await pair.client.call<number>({ cmd: 'idle-open', url: pair.info.url, count }, 60_000);
    const after = await pair.memory();
    const health = await pair.client.call<{ ok: boolean }>({ cmd: 'health', httpUrl: pair.info.httpUrl, minConnections: count, timeoutMs: 5000 }, 10_000);
    await pair.client.call({ cmd: 'idle-close' }, 30_000);
    return [
      { workload: `idle-${count}`, metric: 'rss_per_conn_bytes', value: (after.rss - before.rss) / opened, unit: 'B' },
      { workload: `idle-${count}`, metric: 'healthz_ok', value: health.ok ? 1 : 0, unit: 'bool' },
    ];
  });
}

/** Opens and closes a few connections first, so that the baseline includes code and pools every connection shares. */
async function warmUp(pair: Pair, kind: 'agents' | 'idle', count: number): Promise<void> {
  await pair.client.call({ cmd: `${kind}-open`, url: pair.info.url, count }, 30_000);
  await pair.client.call({ cmd: `${kind}-close` }, 30_000);
}
