/**
 * Workload 4, client side: one vector session of N sub-envs over loopback in the plain or packed encoding,
 * stepped one step at a time through RemoteVectorEnv (which hands the agent typed arrays either way).
 */
import { RemoteVectorEnv, connect } from '@rlfs/protocol/node';
import type { Encoding } from '@rlfs/protocol/node';
import { actionBatches, nowUs } from '../stats';

export interface VectorConfig {
  url: string;
  numEnvs: number;
  encoding: Encoding;
  /** Time stepping before the timed window (JIT tier-up on both sides), ms; also bounded by `maxSteps`. */
  warmupMs: number;
  durationMs: number;
  /** Upper bound of timed steps. */
  maxSteps: number;
}

/** Env-steps per second (numEnvs per round trip). */
export async function measureVector(config: VectorConfig): Promise<{ envStepsPerS: number; steps: number }> {
  const client = await connect(config.url, { role: 'agent', name: `bench-vector-${config.encoding}-${config.numEnvs}` });
  try {
    const env = await RemoteVectorEnv.make(client, { env: 'GridWorld-v0', numEnvs: config.numEnvs, encoding: config.encoding, seed: 1 });
    await env.reset();
    const batches = actionBatches(config.numEnvs, 16, 4, 4242);
    let k = 0;
    const warmEnd = nowUs() + config.warmupMs * 1000;
    for (let i = 0; i < config.maxSteps && nowUs() < warmEnd; i++) await env.step(batches[k++ & 15]!);
    const start = nowUs();
    const end = start + config.durationMs * 1000;
    let steps = 0;
    let now = start;
    while (now < end && steps < config.maxSteps) {
      await env.step(batches[k++ & 15]!);
      steps++;
      now = nowUs();
    }
    return { envStepsPerS: (steps * config.numEnvs) / ((now - start) / 1e6), steps };
  } finally {
    await client.close();
  }
}
