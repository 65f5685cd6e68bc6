import { makeEnv } from '@rlfs/envs';
import type { Space } from '@rlfs/protocol';
import { makeFeaturizer } from '../src/features';
import { gridViewOf } from '../src/egocentric';
import { dqnAutoValues, DQN_AUTO_BASE, resolveAuto } from '../src/dqn-auto';
import { dqnPlugin, DQN_DEFAULTS } from '../src/dqn';
import type { DqnAgent } from '../src/dqn';
import { InvalidAgentOptionsError } from '../src/errors';
import { initBackend } from '../src/backend';

beforeAll(async () => {
  await initBackend('wasm');
});

/** The egocentric window as text: # blocked, G goal, . free (row by row). */
const show = (out: Float32Array, width: number): string[] =>
  Array.from({ length: width }, (_, r) => Array.from({ length: width }, (_, c) => (out[2 * (r * width + c)] ? '#' : out[2 * (r * width + c) + 1] ? 'G' : '.')).join(''));

describe('the egocentric view reads every GridWorld observation', () => {
  // 3x3, walls: agent at (0, 0), goal at (2, 2), an obstacle at (1, 1) where the observation can show it.
  const expected = ['#####', '#####', '##...', '##.#.', '##..G'];

  it('grid, onehot and coords observations of one world give the same window (coords shows no obstacle)', () => {
    const grid = Int8Array.from([1, 0, 0, 0, -1, 0, 0, 0, 2]);
    const onehot = new Uint8Array(27);
    onehot[0] = 1; // agent plane
    onehot[9 + 8] = 1; // goal plane
    onehot[18 + 4] = 1; // obstacle plane
    const coords = Int8Array.from([0, 0, 2, 2]);
    for (const [observation, obs, want] of [['grid', grid, expected], ['onehot', onehot, expected], ['coords', coords, ['#####', '#####', '##...', '##...', '##..G']]] as const) {
      const spec = makeEnv('GridWorld-v0', { size: 3, observation }).spec;
      const view = gridViewOf(spec);
      expect(view).toEqual({ size: 3, boundary: 'walls', observation });
      const f = makeFeaturizer(spec.observationSpace, 'auto', view);
      expect(f.size).toBe(2 * 25);
      const out = new Float32Array(f.size);
      f.write(obs, 0, out, 0);
      expect(show(out, 5)).toEqual(want);
    }
  });

  it('"auto" is egocentric on GridWorld only; elsewhere it is one-hot, and bounds scale each float element', () => {
    expect(gridViewOf(makeEnv('GridWorld-v0', { size: 6, boundary: 'wrap' }).spec)).toEqual({ size: 6, boundary: 'wrap', observation: 'grid' });
    const other = { id: 'Other-v0', options: {}, observationSpace: { type: 'Box', low: -1, high: 2, shape: [9], dtype: 'int8' } as Space };
    expect(gridViewOf(other)).toBeUndefined();
    expect(makeFeaturizer(other.observationSpace, 'auto').size).toBe(9 * 4);
    // CartPole's bounds: finite ones scale into [-1, 1]; infinite or float32-max ones leave the value as it is.
    const box: Space = { type: 'Box', low: [-4.8, -Infinity, -0.5, -3.4028234663852886e38], high: [4.8, Infinity, 0.5, 3.4028234663852886e38], shape: [4], dtype: 'float32' };
    const f = makeFeaturizer(box, 'auto');
    const out = new Float32Array(4);
    f.write(Float32Array.from([2.4, 3, -0.25, -1.5]), 0, out, 0);
    expect(Array.from(out)).toEqual([0.5, 3, -0.5, -1.5]);
    const cartPole = makeEnv('CartPole-v1', {}).spec;
    expect(gridViewOf(cartPole)).toBeUndefined();
    expect(makeFeaturizer(cartPole.observationSpace, 'auto').size).toBe(4);
  });
});

describe('DQN options worked out from the environment ("auto")', () => {
  it('on 5x5 they are the values tuned there; on 8x8 they grow with the cells (worked by hand)', () => {
    expect(dqnAutoValues(makeEnv('GridWorld-v0', {}).spec)).toEqual(DQN_AUTO_BASE);
    expect(DQN_AUTO_BASE).toEqual({ gamma: 0.9, learningRate: 2e-3, bufferSize: 10_000, targetUpdateInterval: 100, epsilonDecaySteps: 5_000 });
    // 64 cells: gamma 1 - 0.5/8, lr 2e-3 * 25/64, buffer 400 * 64, target 4 * 64, decay 200 * 64.
    expect(dqnAutoValues(makeEnv('GridWorld-v0', { size: 8, obstacles: 6 }).spec)).toEqual({
      gamma: 0.9375, learningRate: 7.8125e-4, bufferSize: 25_600, targetUpdateInterval: 256, epsilonDecaySteps: 12_800,
    });
    const other = { id: 'Other-v0', options: {}, observationSpace: { type: 'Box', low: 0, high: 1, shape: [2], dtype: 'float32' } as Space };
    expect(dqnAutoValues(other)).toEqual(DQN_AUTO_BASE);
    // A value the user gives stays; only "auto" is replaced.
    expect(resolveAuto(makeEnv('GridWorld-v0', { size: 8 }).spec, { ...DQN_DEFAULTS, gamma: 0.5 })).toMatchObject({ gamma: 0.5, bufferSize: 25_600 });
  });

  it('the agent runs with the worked-out values and the egocentric view; checkpoints keep "auto"', async () => {
    const spec = makeEnv('GridWorld-v0', { size: 7, boundary: 'wrap', observation: 'onehot', obstacles: 4 }).spec;
    const agent = (await dqnPlugin.create(spec, dqnPlugin.resolveOptions({ hiddenSizes: [8] }), { seed: 1 })) as DqnAgent;
    expect(agent.options.gamma).toBe('auto');
    expect(agent.settings).toMatchObject({ gamma: 1 - 0.5 / 7, bufferSize: 400 * 49, epsilonDecaySteps: 200 * 49, targetUpdateInterval: 4 * 49 });
    expect(agent.features.size).toBe(2 * 49); // wrap: a 7x7 window, two indicators per cell
    agent.dispose();
  });

  it('"auto" is accepted where documented and named in the error elsewhere', () => {
    expect(dqnPlugin.resolveOptions({ gamma: 'auto', bufferSize: 5000 })).toMatchObject({ gamma: 'auto', bufferSize: 5000 });
    expect(() => dqnPlugin.resolveOptions({ gamma: 'automatic' })).toThrow(/"gamma" must be a number >= 0 <= 1 or "auto", got "automatic"/);
    expect(() => dqnPlugin.resolveOptions({ batchSize: 'auto' })).toThrow(InvalidAgentOptionsError);
  });
});
