/**
 * `npx tsx tools/bench/src/eval-speed.ts [SIZE] [OBSTACLES] [TRAIN_STEPS]`: greedy evaluation, one episode at a
 * time (`evaluate`) against all episodes at once (`evaluateBatched`), on the same DQN agent (defaults, seed 1,
 * trained TRAIN_STEPS steps on a SIZE x SIZE GridWorld with OBSTACLES obstacles; 0 = untrained, whose episodes
 * mostly run to the step limit), 100 episodes as bench:learn evaluates, alternated over 3 rounds so that both see
 * the same machine load. Prints the seconds of each and their ratio, and checks the figures are equal.
 */
import { makeEnv } from '@rlfs/envs';
import { evaluate, evaluateBatched, initBackend, inProcessSource, resolvePlugin, train } from '@rlfs/agents';

const ROUNDS = 3;
const EPISODES = 100;

async function main(): Promise<void> {
  const [size = 8, obstacles = 6, steps = 0] = process.argv.slice(2).map(Number);
  const backend = await initBackend('wasm');
  const options = { size, obstacles };
  const env = makeEnv('GridWorld-v0', options);
  const { plugin } = await resolvePlugin('dqn');
  const agent = await plugin.create(env.spec, plugin.resolveOptions({}), { seed: 1 });
  if (steps > 0) await train({ agent, source: inProcessSource({ env: 'GridWorld-v0', options }), steps, seed: 1 });
  const seconds = { sequential: 0, batched: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    const a = await evaluate(agent, makeEnv('GridWorld-v0', options), { episodes: EPISODES, seed: 4_000_000 });
    seconds.sequential += (performance.now() - t) / 1000;
    t = performance.now();
    const b = await evaluateBatched(agent, () => makeEnv('GridWorld-v0', options), { episodes: EPISODES, seed: 4_000_000 });
    seconds.batched += (performance.now() - t) / 1000;
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`figures differ: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    if (round === 0) process.stdout.write(`GridWorld ${size}x${size}, ${obstacles} obstacles, DQN defaults trained ${steps} steps, ${backend}: success ${(100 * (a.successRate ?? 0)).toFixed(0)}%, mean length ${a.meanLength.toFixed(1)} (equal in both)\n`);
  }
  const per = (s: number): string => `${((1000 * s) / ROUNDS).toFixed(0)} ms`;
  process.stdout.write(`${EPISODES} greedy episodes: sequential ${per(seconds.sequential)}, batched ${per(seconds.batched)} per evaluation (mean of ${ROUNDS}); ${(seconds.sequential / seconds.batched).toFixed(1)}x faster\n`);
  agent.dispose?.();
}

void main();
