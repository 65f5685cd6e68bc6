/**
 * Workload 2, client side: one scalar agent stepping over loopback one step at a time, and the floor under it,
 * a raw TCP echo (`net`, Nagle off) of a 200-byte reply to the same server process. The two run in alternating
 * blocks so that both see the same disturbance from whatever else runs on the machine.
 */
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { RemoteEnv, connect } from '@rlfs/protocol/node';
import { ECHO_REPLY_BYTES, ECHO_REQUEST_BYTES } from '../echo';
import { nowUs, percentile, randomActions } from '../stats';

export interface LatencyConfig {
  url: string;
  echoPort: number;
  /** Round trips of each kind before timing (JIT warm-up). */
  warmup: number;
  /** Timed round trips of each kind, split over `blocks` alternating blocks. */
  samples: number;
  blocks: number;
  /** Stop early once this much time has passed (ms). */
  maxMs: number;
}

export interface LatencyResult {
  tcpP50Us: number;
  tcpP99Us: number;
  tcpSamples: number;
  wsP50Us: number;
  wsP99Us: number;
  wsSamples: number;
  /** Round trips (steps and the resets between episodes) per second of the agent's blocks. */
  roundTripsPerS: number;
}

export async function measureLatency(config: LatencyConfig): Promise<LatencyResult> {
  const echo = await TcpEcho.open(config.echoPort);
  const client = await connect(config.url, { role: 'agent', name: 'bench-scalar' });
  try {
    const env = await RemoteEnv.make(client, { env: 'GridWorld-v0' });
    await env.reset({ seed: 1 });
    const agent = new ScalarAgent(env);
    const tcp = new Float64Array(config.samples);
    const ws = new Float64Array(config.samples);
    await echo.run(tcp, 0, config.warmup);
    await agent.run(ws, 0, config.warmup);
    const deadline = nowUs() + config.maxMs * 1000;
    const perBlock = Math.ceil(config.samples / config.blocks);
    let tcpCount = 0;
    let wsCount = 0;
    let wsTime = 0;
    let wsTrips = 0;
    for (let b = 0; b < config.blocks && nowUs() < deadline; b++) {
      const count = Math.min(perBlock, config.samples - wsCount);
      tcpCount = await echo.run(tcp, tcpCount, count);
      const start = nowUs();
      const tripsBefore = agent.roundTrips;
      wsCount = await agent.run(ws, wsCount, count);
      wsTime += nowUs() - start;
      wsTrips += agent.roundTrips - tripsBefore;
    }
    return {
      tcpP50Us: percentile(tcp, tcpCount, 50),
      tcpP99Us: percentile(tcp, tcpCount, 99),
      tcpSamples: tcpCount,
      wsP50Us: percentile(ws, wsCount, 50),
      wsP99Us: percentile(ws, wsCount, 99),
      wsSamples: wsCount,
      roundTripsPerS: wsTrips / (wsTime / 1e6),
    };
  } finally {
    echo.close();
    await client.close();
  }
}

/** A scalar agent with prepared random actions; `run` times each step's round trip. */
class ScalarAgent {
  roundTrips = 0;
  private readonly actions = randomActions(1 << 14, 4, 777);
  private k = 0;

  constructor(private readonly env: RemoteEnv) {}

  /** Times `count` steps into `out` from `offset` (resets between episodes are round trips, not samples). */
  async run(out: Float64Array, offset: number, count: number): Promise<number> {
    const mask = this.actions.length - 1;
    let i = offset;
    const end = Math.min(out.length, offset + count);
    while (i < end) {
      const t0 = nowUs();
      const result = await this.env.step(this.actions[this.k++ & mask]!);
      out[i++] = nowUs() - t0;
      this.roundTrips++;
      if (result.terminated || result.truncated) {
        await this.env.reset();
        this.roundTrips++;
      }
    }
    return end;
  }
}

/** The client of the raw echo: a 32-byte request, then wait for the whole 200-byte reply. */
class TcpEcho {
  private readonly request = Buffer.alloc(ECHO_REQUEST_BYTES, 1);
  private received = 0;
  private wake: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.received += chunk.length;
      if (this.received < ECHO_REPLY_BYTES) return;
      this.received -= ECHO_REPLY_BYTES;
      const wake = this.wake;
      this.wake = undefined;
      wake?.();
    });
  }

  static open(port: number): Promise<TcpEcho> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: '127.0.0.1', port, noDelay: true }, () => {
        socket.setNoDelay(true);
        socket.off('error', reject);
        resolve(new TcpEcho(socket));
      });
      socket.once('error', reject);
    });
  }

  async run(out: Float64Array, offset: number, count: number): Promise<number> {
    const end = Math.min(out.length, offset + count);
    for (let i = offset; i < end; i++) {
      const t0 = nowUs();
      await this.roundTrip();
      out[i] = nowUs() - t0;
    }
    return end;
  }

  close(): void {
    this.socket.destroy();
  }

  private roundTrip(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.socket.write(this.request);
    });
  }
}
