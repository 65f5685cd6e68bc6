import { makeEnv } from '@rlfs/envs';
import { initBackend } from '../src/backend';
import { dqnPlugin } from '../src/dqn';
import { train } from '../src/runner';
import { inProcessSource } from '../src/sources';
import { evaluateBatched } from '../src/evaluate-batched';

beforeAll(async () => {
  await initBackend('wasm');
});

/** Trains DQN's defaults a little on one observation of a world; returns its weights and greedy figures. */
async function run(options: Record<string, unknown>) {
  const spec = makeEnv('GridWorld-v0', options).spec;
  const agent = await dqnPlugin.create(spec, dqnPlugin.resolveOptions({ learningStarts: 100 }), { seed: 5 });
  const trained = await train({ agent, source: inProcessSource({ env: 'GridWorld-v0', options }), steps: 500, seed: 5 });
  const { tensors } = await agent.snapshot();
  const greedy = await evaluateBatched(agent, () => makeEnv('GridWorld-v0', options), { episodes: 30, seed: 8 });
  agent.dispose?.();
  return { episodes: trained.episodes, tensors, greedy };
}

describe('DQN defaults on grid and onehot observations of one world are one run', () => {
  // Why bench:learn --family measures the onehot shapes last: the egocentric view reads both into the same inputs,
  // and GridWorld draws the same worlds whatever it shows, so the same seed repeats the grid run step for step.
  it.each(['walls', 'wrap'])('%s: same episodes, same weights and Adam moments after training, same greedy figures', async (boundary) => {
    const world = { size: 6, boundary, obstacles: 3, maxEpisodeSteps: 40 };
    const grid = await run({ ...world, observation: 'grid' });
    const onehot = await run({ ...world, observation: 'onehot' });
    expect(onehot.episodes).toBe(grid.episodes);
    expect(Object.keys(onehot.tensors).sort()).toEqual(Object.keys(grid.tensors).sort());
    for (const name of Object.keys(grid.tensors)) expect(onehot.tensors[name]!.data).toEqual(grid.tensors[name]!.data);
    expect(onehot.greedy).toEqual(grid.greedy);
  }, 300_000);
});
