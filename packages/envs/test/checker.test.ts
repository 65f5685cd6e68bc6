import type { CheckedEnv, Env, ResetArgs, VectorEnv } from '../src';
import {
  CheckFailure,
  checkEnv,
  checkInvalidActions,
  checkObservationsInSpace,
  checkResetNeeded,
  checkSeedDeterminism,
  checkSpec,
  checkStepDeterminism,
  checkVectorEqualsScalar,
  firstDifference,
  GridWorld,
  GridWorldVector,
} from '../src';

const OPTIONS = { size: 4, maxEpisodeSteps: 12, obstacles: 3 };

/** A GridWorld with one method replaced, to show that each check catches its fault. */
function broken(patch: (env: GridWorld) => Partial<CheckedEnv>): () => CheckedEnv {
  return () => {
    const env = new GridWorld(OPTIONS);
    const p = patch(env);
    return {
      spec: p.spec ?? env.spec,
      reset: p.reset ?? ((args?: ResetArgs) => env.reset(args)),
      step: p.step ?? ((a: number) => env.step(a)),
    };
  };
}

describe('checkEnv on GridWorld', () => {
  test('every check passes, in-process and through an async wrapper, with the vector check', async () => {
    const report = await checkEnv(() => new GridWorld(OPTIONS), {
      seed: 3,
      vector: { makeScalar: () => new GridWorld(OPTIONS), makeVector: (n) => new GridWorldVector(OPTIONS, n) },
    });
    expect(report.map((r) => r.name)).toEqual([
      'checkSpec',
      'checkResetNeeded',
      'checkObservationsInSpace',
      'checkSeedDeterminism',
      'checkStepDeterminism',
      'checkInvalidActions',
      'checkVectorEqualsScalar',
    ]);
    expect(report.filter((r) => !r.ok)).toEqual([]);
    const asyncReport = await checkEnv(async () => {
      const env = new GridWorld({ observation: 'onehot' });
      return { spec: env.spec, reset: async (args?: ResetArgs) => env.reset(args), step: async (a: number) => env.step(a) };
    });
    expect(asyncReport.every((r) => r.ok)).toBe(true);
  });
});

describe('each check catches its fault', () => {
  test('checkSpec: a malformed space', async () => {
    const env = broken((e) => ({ spec: { ...e.spec, actionSpace: { type: 'Discrete', n: 0 } } }))();
    await expect(checkSpec(env)).rejects.toThrow(/actionSpace/);
  });

  test('checkResetNeeded: a step before reset that succeeds', async () => {
    const factory = broken((e) => ({ step: (a) => (e.reset({ seed: 0 }), e.step(a)) }));
    await expect(checkResetNeeded(factory)).rejects.toThrow(/should fail with RESET_NEEDED, but succeeded/);
  });

  test('checkObservationsInSpace: an observation out of bounds', async () => {
    const env = broken((e) => ({ step: (a) => ({ ...e.step(a), observation: new Int8Array(16).fill(3) }) }))();
    await expect(checkObservationsInSpace(env)).rejects.toThrow(/outside \[-1, 2\]/);
  });

  test('checkObservationsInSpace: a wrong episode return', async () => {
    const env = broken((e) => ({
      step: (a) => {
        const r = e.step(a);
        if (r.info.episode) r.info.episode = { ...r.info.episode, return: r.info.episode.return + 1 };
        return r;
      },
    }))();
    await expect(checkObservationsInSpace(env)).rejects.toThrow(/info.episode.return/);
  });

  test('checkSeedDeterminism: a reset that ignores the seed', async () => {
    const factory = broken((e) => ({ reset: () => e.reset({ seed: Math.floor(Math.random() * 1e9) }) }));
    await expect(checkSeedDeterminism(factory)).rejects.toThrow(CheckFailure);
  });

  test('checkStepDeterminism: a noisy reward', async () => {
    const factory = broken((e) => ({ step: (a) => ({ ...e.step(a), reward: Math.random() }) }));
    await expect(checkStepDeterminism(factory)).rejects.toThrow(/step 0 \(action \d\): results differ at reward/);
  });

  test('checkInvalidActions: an action out of range accepted', async () => {
    const factory = broken((e) => ({ step: (a) => e.step(Math.min(3, Math.max(0, Math.round(a || 0)))) }));
    await expect(checkInvalidActions(factory)).rejects.toThrow(/step\(-1\) should fail with INVALID_ACTION/);
  });

  test('checkVectorEqualsScalar: sub-envs seeded off by one', () => {
    const makeVector = (n: number): VectorEnv => {
      const v = new GridWorldVector(OPTIONS, n);
      const reset = v.reset.bind(v);
      v.reset = (args?: ResetArgs) => reset({ seed: (args?.seed ?? 0) + 1 });
      return v;
    };
    expect(() => checkVectorEqualsScalar(() => new GridWorld(OPTIONS) as Env, makeVector, { seed: 0, numEnvs: 2 })).toThrow(/sub-env 0 observation/);
    // the honest vector passes
    expect(() => checkVectorEqualsScalar(() => new GridWorld(OPTIONS), (n) => new GridWorldVector(OPTIONS, n), { numEnvs: 3 })).not.toThrow();
  });

  test('checkEnv reports failures by name without throwing', async () => {
    const report = await checkEnv(broken((e) => ({ step: (a) => ({ ...e.step(a), reward: Number.NaN }) })));
    const failed = report.filter((r) => !r.ok).map((r) => r.name);
    expect(failed).toContain('checkObservationsInSpace');
    expect(report.find((r) => r.name === 'checkObservationsInSpace')!.message).toMatch(/reward should be a finite number/);
    expect(report.find((r) => r.name === 'checkSpec')!.ok).toBe(true);
  });
});

describe('firstDifference', () => {
  test('compares typed and plain arrays by value, maps by key, numbers with Object.is', () => {
    expect(firstDifference(Int8Array.of(1, 2), [1, 2])).toBeUndefined();
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe('a[1].b: 2 vs 3');
    expect(firstDifference({ a: 1 }, { a: 1, c: 2 })).toBe('c: undefined vs 2');
    expect(firstDifference(Number.NaN, Number.NaN)).toBeUndefined();
    expect(firstDifference([1], [1, 2])).toBe('value: length 1 vs 2');
  });
});
