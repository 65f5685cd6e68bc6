/** DQN training updates per second with the default options: replay sampling, targets, gradient step, Adam. */
import { makeEnv } from '@rlfs/envs';
import { dqnPlugin } from '@rlfs/agents';
import type { DqnAgent } from '@rlfs/agents';

export async function dqnUpdatesPerSecond(updates = 500): Promise<number> {
  const env = makeEnv('GridWorld-v0', {});
  const agent = (await dqnPlugin.create(env.spec, dqnPlugin.resolveOptions({ learningStarts: 0 }), { seed: 1 })) as DqnAgent;
  const { observation } = env.reset({ seed: 1 });
  const next = env.step(3);
  const t = {
    count: 1, obsSize: observation.length, observations: observation, nextObservations: next.observation,
    actions: Int32Array.from([3]), rewards: Float64Array.from([next.reward]), terminated: Uint8Array.from([0]), truncated: Uint8Array.from([0]),
  };
  for (let i = 0; i < 100; i++) agent.learn(t); // warm-up: JIT, wasm memory, Adam slots
  const start = performance.now();
  for (let i = 0; i < updates; i++) agent.update();
  const seconds = (performance.now() - start) / 1000;
  agent.dispose();
  return updates / seconds;
}
