/**
 * Workload 3, client side: many scalar agents, each on its own connection, each stepping one step at a time
 * (closed loop: the next step goes once the reply is in). Opening and running are separate commands so that the
 * bench can read the server's memory while every session is live.
 */
import { RemoteEnv, connect } from '@rlfs/protocol/node';
import type { Client } from '@rlfs/protocol/node';
import { nowUs, randomActions } from '../stats';

export interface AgentsRunConfig {
  /** Time before the counted window (JIT and socket warm-up), ms. */
  warmupMs: number;
  /** The counted window, ms. */
  durationMs: number;
}

interface Agent {
  client: Client;
  env: RemoteEnv;
}

const open: Agent[] = [];

/** Connects `count` agents, each with a made and reset GridWorld-v0 session. */
export async function openAgents(url: string, count: number): Promise<number> {
  const batch = 32; // connect a few at a time: a burst of handshakes is not what this workload measures
  for (let i = 0; i < count; i += batch) {
    const opened = await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, async (_, j) => {
        const client = await connect(url, { role: 'agent', name: `bench-agent-${i + j}` });
        const env = await RemoteEnv.make(client, { env: 'GridWorld-v0' });
        await env.reset({ seed: i + j });
        return { client, env };
      }),
    );
    open.push(...opened);
  }
  return open.length;
}

/** Runs every open agent until the window closes; returns aggregate env-steps per second within the window. */
export async function runAgents(config: AgentsRunConfig): Promise<{ stepsPerS: number; steps: number }> {
  const actions = randomActions(1 << 14, 4, 99);
  const mask = actions.length - 1;
  let steps = 0;
  const start = nowUs();
  const windowStart = start + config.warmupMs * 1000;
  const windowEnd = windowStart + config.durationMs * 1000;
  let counted = 0;
  const loop = async (agent: Agent, offset: number): Promise<void> => {
    let k = offset;
    // Bounded in time (windowEnd) and in count.
    for (let i = 0; i < 10_000_000 && nowUs() < windowEnd; i++) {
      const result = await agent.env.step(actions[k++ & mask]!);
      steps++;
      if (result.terminated || result.truncated) await agent.env.reset();
    }
  };
  // Snapshot the step counter when the window opens.
  const opened = new Promise<number>((resolve) => setTimeout(() => resolve(steps), config.warmupMs));
  await Promise.all(open.map((agent, i) => loop(agent, i * 61)));
  const end = nowUs();
  counted = steps - (await opened);
  return { stepsPerS: counted / ((Math.min(end, windowEnd) - windowStart) / 1e6), steps: counted };
}

/** Closes every open agent connection. */
export async function closeAgents(): Promise<void> {
  await Promise.all(open.map((agent) => agent.client.close()));
  open.length = 0;
}
