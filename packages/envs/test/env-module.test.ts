import mountainWalk from '../../../examples/envs/mountain-walk';
import * as mountainWalkModule from '../../../examples/envs/mountain-walk';
import { acceptEnvModule, box, checkDefinedEnv, defineEnv, discrete, EnvModuleError, getEnv, InvalidOptionsError, listEnvs, makeEnv, makeVectorEnv, whyNotDrawList } from '../src';

/** A one-dimensional counter that ends at `goal`: small enough to break on purpose. */
function counter(id: string, patch: { observeOffset?: number; randomReset?: boolean } = {}) {
  return defineEnv({
    id,
    maxEpisodeSteps: 8,
    options: { goal: { type: 'integer', default: 3, min: 1, max: 5 } },
    validate: (o) => (o.goal > o.maxEpisodeSteps ? `goal: must be at most maxEpisodeSteps (${o.maxEpisodeSteps})` : undefined),
    observationSpace: box(0, 5, [1], 'int32'),
    actionSpace: discrete(2),
    reset: (rng) => ({ n: patch.randomReset ? Math.floor(Math.random() * 2) : rng.int(2) }),
    step(state, action, _rng, options) {
      state.n += action;
      return { reward: action, terminated: state.n >= options.goal };
    },
    observe: (state) => [state.n + (patch.observeOffset ?? 0)],
  });
}

describe('defineEnv', () => {
  test('options: defaults, maxEpisodeSteps added, validation naming the option, cross-option checks', () => {
    const entry = counter('CounterA-v0');
    expect(entry.resolveOptions(undefined)).toEqual({ goal: 3, maxEpisodeSteps: 8 });
    expect(() => entry.resolveOptions({ goal: 9 })).toThrow(new InvalidOptionsError('goal', 'expected an integer from 1 to 5, got 9'));
    expect(() => entry.resolveOptions({ goal: 5, maxEpisodeSteps: 4 })).toThrow(new InvalidOptionsError('goal', 'must be at most maxEpisodeSteps (4)'));
    expect(() => entry.resolveOptions({ gaol: 1 })).toThrow('gaol: unknown option; CounterA-v0 options are goal, maxEpisodeSteps');
  });

  test('a malformed definition fails when defined, naming what is wrong', () => {
    const base = { maxEpisodeSteps: 5, observationSpace: box(0, 1, [1], 'uint8'), actionSpace: discrete(2), reset: () => ({}), step: () => ({ reward: 0, terminated: false }), observe: () => [0] };
    expect(() => defineEnv({ ...base, id: 'no version' })).toThrow('defineEnv: id must look like Name-v0, got "no version"');
    expect(() => defineEnv({ ...base, id: 'Bad-v0', maxEpisodeSteps: 0 })).toThrow('maxEpisodeSteps must be an integer >= 1');
    expect(() => defineEnv({ ...base, id: 'Bad-v0', options: { k: { type: 'integer', default: 9, max: 3 } } })).toThrow('Bad-v0: the default of option k is invalid');
    expect(() => defineEnv({ ...base, id: 'Bad-v0', observationSpace: box([0, 1], 1, [1], 'uint8') }).make()).toThrow('observationSpace low: expected a number or a list of 1 numbers');
  });

  test('actions name each action and its keys in the spec; a wrong count or shape is refused', () => {
    const base = { maxEpisodeSteps: 5, observationSpace: box(0, 1, [1], 'uint8'), actionSpace: discrete(2), reset: () => ({}), step: () => ({ reward: 0, terminated: false }), observe: () => [0] };
    const named = defineEnv({ ...base, id: 'Named-v0', actions: [{ name: 'left', keys: ['ArrowLeft'] }, { name: 'right', keys: ['ArrowRight', 'd'] }] });
    expect(named.make().spec.actions).toEqual([{ name: 'left', keys: ['ArrowLeft'] }, { name: 'right', keys: ['ArrowRight', 'd'] }]);
    expect(defineEnv({ ...base, id: 'Unnamed-v0' }).make().spec).not.toHaveProperty('actions');
    expect(() => defineEnv({ ...base, id: 'Bad-v0', actions: [{ name: 'only', keys: ['x'] }] }).make()).toThrow('Bad-v0: actions names 1 actions, the action space has 2');
    expect(() => defineEnv({ ...base, id: 'Bad-v0', actions: [{ name: '', keys: [] }, { name: 'b', keys: [] }] })).toThrow('defineEnv Bad-v0: actions [0].name must be a non-empty string');
    expect(() => defineEnv({ ...base, id: 'Bad-v0', actions: [{ name: 'a', keys: [1 as unknown as string] }, { name: 'b', keys: [] }] })).toThrow('actions [0].keys must be a list of KeyboardEvent.key strings');
  });

  test('the time limit truncates; terminated wins on the same step', () => {
    const env = counter('CounterB-v0').make({ goal: 2, maxEpisodeSteps: 2 });
    env.reset({ seed: 0 });
    const first = env.step(0);
    const second = env.step(0);
    expect([first.truncated, second.truncated, second.terminated]).toEqual([false, true, false]);
    const env2 = counter('CounterC-v0').make({ goal: 1, maxEpisodeSteps: 1 });
    const start = env2.reset({ seed: 0 }).observation[0]!;
    const r = env2.step(1);
    expect([r.terminated, r.truncated, start + 1]).toEqual([true, false, r.observation[0]]);
  });
});

describe('acceptEnvModule', () => {
  test('a module that passes the checker is registered and served by makeEnv and makeVectorEnv', async () => {
    const entries = await acceptEnvModule({ default: counter('Counter-v0') }, 'counter.ts');
    expect(entries.map((e) => e.id)).toEqual(['Counter-v0']);
    expect(listEnvs()).toContain('Counter-v0');
    expect(makeEnv('Counter-v0').spec.observationSpace).toEqual(box(0, 5, [1], 'int32'));
    expect(makeVectorEnv('Counter-v0', { goal: 4 }, 3).numEnvs).toBe(3);
    // Accepting the same module again is harmless; another definition with the same id is refused.
    await acceptEnvModule({ default: getEnv('Counter-v0') }, 'counter.ts');
    await expect(acceptEnvModule({ default: counter('Counter-v0') }, 'other.ts')).rejects.toThrow('other.ts: environment Counter-v0 is already registered (ids must be unique: rename it, e.g. Counter-v1)');
  });

  test('a module breaking the contract is refused with the checker findings, and nothing is registered', async () => {
    const outside = acceptEnvModule({ env: counter('Outside-v0', { observeOffset: 9 }) }, 'outside.ts');
    await expect(outside).rejects.toThrow(EnvModuleError);
    await expect(outside).rejects.toThrow(/Outside-v0 breaks the environment contract, refused:\n {2}FAIL checkObservationsInSpace: reset: observation not in the observation space: element 0 = (9|10) is outside \[0, 5\]/);
    const random = await acceptEnvModule({ env: counter('Random-v0', { randomReset: true }) }, 'random.ts').catch((e: EnvModuleError) => e);
    expect((random as EnvModuleError).findings.map((f) => f.name)).toEqual(expect.arrayContaining(['checkSeedDeterminism']));
    expect(listEnvs()).not.toEqual(expect.arrayContaining(['Outside-v0']));
    expect(listEnvs()).not.toEqual(expect.arrayContaining(['Random-v0']));
    await expect(acceptEnvModule({ helper: 3 }, 'empty.ts')).rejects.toThrow('empty.ts exports no environment: export default defineEnv({...})');
  });
});

describe('examples/envs/mountain-walk.ts', () => {
  test('passes every check, draw list included', async () => {
    const report = await checkDefinedEnv(mountainWalk, { steps: 400 });
    expect(report.filter((r) => !r.ok)).toEqual([]);
    expect(report.map((r) => r.name)).toEqual(expect.arrayContaining(['checkVectorEqualsScalar', 'checkDrawList']));
    expect((await acceptEnvModule(mountainWalkModule, 'mountain-walk.ts')).map((e) => e.id)).toEqual(['MountainWalk-v0']);
  });

  test('walking forward reaches the summit (+10, terminated); resting forever is truncated at 200 steps', () => {
    const env = makeEnv('MountainWalk-v0', { slip: 0 });
    env.reset({ seed: 1 });
    let r = env.step(2);
    let steps = 1;
    while (!r.terminated && !r.truncated) {
      r = env.step(2);
      steps++;
    }
    expect([r.terminated, r.reward, r.observation[0]]).toEqual([true, 10, 1]);
    expect(r.info.episode).toEqual({ return: expect.closeTo(10 - 0.1 * (steps - 1), 9), length: steps });
    env.reset();
    for (let t = 0; t < 199; t++) expect(env.step(1).truncated).toBe(false);
    expect(env.step(1)).toMatchObject({ truncated: true, terminated: false, reward: -0.1 });
    expect(whyNotDrawList(env.render('draw'))).toBeUndefined();
  });
});
