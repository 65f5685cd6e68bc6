import type { EnvEntry } from '../src';
import { getEnv, GridWorld, GridWorldVector, listEnvs, makeEnv, makeVectorEnv, register, UnknownEnvError } from '../src';

describe('registry', () => {
  test('GridWorld-v0 and CartPole-v1 are registered', () => {
    expect(listEnvs().slice(0, 2)).toEqual(['GridWorld-v0', 'CartPole-v1']);
    expect(getEnv('GridWorld-v0').id).toBe('GridWorld-v0');
  });

  test('an unknown id is UNKNOWN_ENV listing the known ids', () => {
    expect(() => getEnv('MountainCar-v0')).toThrow(UnknownEnvError);
    expect(() => makeEnv('MountainCar-v0')).toThrow(/unknown environment "MountainCar-v0"; known: GridWorld-v0, CartPole-v1/);
    expect(() => getEnv('nope')).toThrow(expect.objectContaining({ code: 'UNKNOWN_ENV' }));
  });

  test('makeEnv resolves options and makes a scalar env', () => {
    const env = makeEnv('GridWorld-v0', { size: 3 });
    expect(env).toBeInstanceOf(GridWorld);
    expect(env.spec.options.size).toBe(3);
    expect(() => makeEnv('GridWorld-v0', { size: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', option: 'size' }));
  });

  test('makeVectorEnv makes numEnvs sub-envs and refuses a bad numEnvs', () => {
    const v = makeVectorEnv('GridWorld-v0', { observation: 'coords' }, 8);
    expect(v).toBeInstanceOf(GridWorldVector);
    expect(v.numEnvs).toBe(8);
    expect(v.observations).toHaveLength(32);
    for (const n of [0, -1, 1.5, Number.NaN]) {
      expect(() => makeVectorEnv('GridWorld-v0', {}, n)).toThrow(expect.objectContaining({ option: 'numEnvs' }));
    }
  });

  test('the entry exposes spaces and a memory estimate that grows with size and obstacles', () => {
    const entry = getEnv('GridWorld-v0');
    const resolved = entry.resolveOptions({ size: 64, observation: 'onehot', obstacles: 10 });
    expect(entry.observationSpace(resolved)).toEqual({ type: 'Box', low: 0, high: 1, shape: [3 * 4096], dtype: 'uint8' });
    expect(entry.actionSpace(resolved)).toEqual({ type: 'Discrete', n: 4 });
    // obstacle map 4096 + observation twice 2 * 12288, plus state
    expect(entry.bytesPerEnv(resolved)).toBeGreaterThanOrEqual(4096 + 2 * 12288);
    expect(entry.bytesPerEnv(resolved) * 100000).toBeGreaterThan(2 ** 31);
    expect(entry.bytesPerEnv(entry.resolveOptions({}))).toBeLessThan(entry.bytesPerEnv(resolved));
  });

  test('a new environment is one entry and one register line; ids are unique', () => {
    const entry: EnvEntry = { ...getEnv('GridWorld-v0'), id: 'Test-v0' };
    register(entry);
    expect(listEnvs()).toContain('Test-v0');
    expect(makeEnv('Test-v0').spec.id).toBe('GridWorld-v0'); // it reuses GridWorld's make
    expect(() => register(entry)).toThrow(/already registered/);
  });
});
