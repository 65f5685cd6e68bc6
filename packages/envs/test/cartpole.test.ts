import { Rng } from '../src';
import { CARTPOLE_OBSERVATION_SPACE, cartPoleEntry, checkEnv, contains, InvalidOptionsError, makeEnv, makeVectorEnv, ResetNeededError, whyNotDrawList } from '../src';

const rules = cartPoleEntry.definition;
const OPTIONS = { suttonBartoReward: false, maxEpisodeSteps: 500 };

/** A state set by hand (the rules' own state object, as reset makes it). */
function stateOf(values: number[]) {
  const state = rules.reset(new Rng(0), OPTIONS);
  state.s.set(values);
  return state;
}

describe('CartPole-v1 dynamics (Gymnasium cartpole.py, explicit Euler)', () => {
  test('one step from rest, pushed right, worked out by hand', () => {
    // From x = xDot = theta = thetaDot = 0 with action 1 (force +10): cos = 1, sin = 0.
    //   temp     = (10 + 0.05 * 0 * 0) / 1.1                 = 100/11
    //   thetaAcc = (9.8 * 0 - 1 * 100/11) / (0.5 * (4/3 - 0.1 * 1 / 1.1))
    //            = -(100/11) / (0.5 * 41/33) = -(100/11) * (66/41) = -600/41
    //   xAcc     = 100/11 - 0.05 * (-600/41) * 1 / 1.1 = 100/11 + 300/451 = 4400/451 = 400/41
    //   x = 0 + 0.02 * 0 = 0;  xDot = 0 + 0.02 * 400/41 = 8/41
    //   theta = 0 + 0.02 * 0 = 0;  thetaDot = 0 + 0.02 * (-600/41) = -12/41
    const state = stateOf([0, 0, 0, 0]);
    const out = rules.step(state, 1, new Rng(0), OPTIONS);
    expect(out).toEqual({ reward: 1, terminated: false });
    expect(state.s[0]).toBe(0);
    expect(state.s[1]).toBeCloseTo(8 / 41, 15);
    expect(state.s[2]).toBe(0);
    expect(state.s[3]).toBeCloseTo(-12 / 41, 15);

    // Second step: positions move by the OLD velocities (x += 0.02 * 8/41, theta += 0.02 * -12/41), which is
    // what tells explicit Euler from the semi-implicit variant (that would use the new ones).
    rules.step(state, 0, new Rng(0), OPTIONS);
    expect(state.s[0]).toBeCloseTo((0.02 * 8) / 41, 15);
    expect(state.s[2]).toBeCloseTo((0.02 * -12) / 41, 15);
    // xDot: force -10 at theta = 0 but thetaDot = -12/41 (sin 0, so thetaDot^2 drops out): the mirror of step 1.
    expect(state.s[1]).toBeCloseTo(8 / 41 - 8 / 41, 15);
    expect(state.s[3]).toBeCloseTo(-12 / 41 + 12 / 41, 15);
  });

  test('pushed left from rest mirrors pushed right', () => {
    const state = stateOf([0, 0, 0, 0]);
    rules.step(state, 0, new Rng(0), OPTIONS);
    expect(Array.from(state.s)).toEqual([0, -8 / 41, 0, 12 / 41].map((v) => expect.closeTo(v, 15)));
  });

  test('terminates past 12 degrees or 2.4 m, with reward 1 on the last step (Sutton-Barto: -1, else 0)', () => {
    // theta = 0.2, thetaDot = 1: theta becomes 0.2 + 0.02 = 0.22 > 12*2*pi/360 = 0.20943951023931953.
    const falling = [0, 0, 0.2, 1];
    expect(rules.step(stateOf(falling), 1, new Rng(0), OPTIONS)).toEqual({ reward: 1, terminated: true });
    const sb = { ...OPTIONS, suttonBartoReward: true };
    expect(rules.step(stateOf(falling), 1, new Rng(0), sb)).toEqual({ reward: -1, terminated: true });
    expect(rules.step(stateOf([0, 0, 0, 0]), 1, new Rng(0), sb)).toEqual({ reward: 0, terminated: false });
    // x = 2.39, xDot = 1: x becomes 2.41 > 2.4; x = 2.38 stays inside (2.40 is not > 2.4... nor is 2.39 + 0.02 * 0.5).
    expect(rules.step(stateOf([2.39, 1, 0, 0]), 1, new Rng(0), OPTIONS).terminated).toBe(true);
    expect(rules.step(stateOf([2.39, 0.5, 0, 0]), 1, new Rng(0), OPTIONS).terminated).toBe(false);
    expect(rules.step(stateOf([-2.39, -1, 0, 0]), 0, new Rng(0), OPTIONS).terminated).toBe(true);
  });
});

describe('CartPole-v1 as an environment', () => {
  test('spec: Discrete(2) actions, float32 Box [4] with Gymnasium bounds, 500 steps', () => {
    const env = makeEnv('CartPole-v1');
    expect(env.spec).toEqual({
      id: 'CartPole-v1',
      options: { suttonBartoReward: false, maxEpisodeSteps: 500 },
      observationSpace: {
        type: 'Box',
        low: [-4.800000190734863, -3.4028234663852886e38, -0.41887903213500977, -3.4028234663852886e38],
        high: [4.800000190734863, 3.4028234663852886e38, 0.41887903213500977, 3.4028234663852886e38],
        shape: [4],
        dtype: 'float32',
      },
      actionSpace: { type: 'Discrete', n: 2 },
      maxEpisodeSteps: 500,
    });
  });

  test('reset draws -0.05 + 0.1 * float() for x, xDot, theta, thetaDot in that order', () => {
    // Seed 0's first u32s (rng.ts): 1789933344, 44971166, 2521387044, 3848737593.
    const expected = [1789933344, 44971166, 2521387044, 3848737593].map((u) => Math.fround(-0.05 + 0.1 * (u / 2 ** 32)));
    const { observation, info } = makeEnv('CartPole-v1').reset({ seed: 0 });
    expect(observation).toBeInstanceOf(Float32Array);
    expect(Array.from(observation)).toEqual(expected);
    expect(info).toEqual({});
    expect(contains(CARTPOLE_OBSERVATION_SPACE, observation)).toBe(true);
  });

  test('same seed, same episode; an episode of constant pushes ends by termination with return = length', () => {
    const run = () => {
      const env = makeEnv('CartPole-v1');
      const obs = [Array.from(env.reset({ seed: 5 }).observation)];
      for (;;) {
        const r = env.step(1);
        obs.push(Array.from(r.observation));
        if (r.terminated || r.truncated) return { obs, r };
      }
    };
    const a = run();
    expect(run()).toEqual(a);
    expect(a.r.terminated).toBe(true);
    expect(a.r.truncated).toBe(false);
    expect(a.r.info.episode).toEqual({ return: a.obs.length - 1, length: a.obs.length - 1 });
    expect(a.obs.length - 1).toBeLessThan(30); // always pushing right tips the pole over within a second or so
  });

  test('truncates after maxEpisodeSteps steps unless terminated, then needs a reset', () => {
    const env = makeEnv('CartPole-v1', { maxEpisodeSteps: 3 });
    env.reset({ seed: 1 });
    expect(env.step(0).truncated).toBe(false);
    expect(env.step(1).truncated).toBe(false);
    const last = env.step(0);
    expect([last.terminated, last.truncated]).toEqual([false, true]);
    expect(last.info.episode).toEqual({ return: 3, length: 3 });
    expect(() => env.step(0)).toThrow(ResetNeededError);
  });

  test('options are validated and name the bad one', () => {
    const bad: Array<[unknown, string]> = [
      [{ gravity: 3 }, 'gravity: unknown option; CartPole-v1 options are suttonBartoReward, maxEpisodeSteps'],
      [{ suttonBartoReward: 1 }, 'suttonBartoReward: expected true or false, got 1'],
      [{ maxEpisodeSteps: 0 }, 'maxEpisodeSteps: expected an integer >= 1, got 0'],
      [{ maxEpisodeSteps: 2.5 }, 'maxEpisodeSteps: expected an integer >= 1, got 2.5'],
      ['fast', 'options: expected a map of options, got "fast"'],
    ];
    for (const [options, message] of bad) {
      expect(() => makeEnv('CartPole-v1', options as Record<string, unknown>)).toThrow(new InvalidOptionsError(message.split(': ')[0]!, message.slice(message.indexOf(': ') + 2)));
    }
    expect(() => makeEnv('CartPole-v1').reset({ options: { low: 0 } })).toThrow('options.low: CartPole-v1 defines no reset options');
  });

  test('the vector env equals scalar envs seeded seed + i, across autoresets, and passes the env checker', async () => {
    const options = { maxEpisodeSteps: 40 };
    const report = await checkEnv(() => makeEnv('CartPole-v1', options), {
      seed: 11,
      steps: 400,
      vector: { makeScalar: () => makeEnv('CartPole-v1', options), makeVector: (n) => makeVectorEnv('CartPole-v1', options, n) },
    });
    expect(report.filter((r) => !r.ok)).toEqual([]);
    expect(report.map((r) => r.name)).toContain('checkVectorEqualsScalar');
  });

  test('vector autoreset: the ended list carries the final observation and the new episode starts', () => {
    const vec = makeVectorEnv('CartPole-v1', { maxEpisodeSteps: 2 }, 3);
    vec.reset({ seed: 4 });
    vec.step([0, 1, 0]);
    expect(vec.ended).toEqual([]);
    const before = new Float32Array(vec.observations);
    vec.step([1, 1, 1]);
    expect(vec.ended.map((e) => [e.index, e.episode, e.terminated])).toEqual([0, 1, 2].map((i) => [i, { return: 2, length: 2 }, false]));
    expect(Array.from(vec.truncated)).toEqual([1, 1, 1]);
    // Each sub-env's observation is the new episode's first, i.e. a scalar env's second reset after seed 4 + i.
    for (let i = 0; i < 3; i++) {
      const scalar = makeEnv('CartPole-v1', { maxEpisodeSteps: 2 });
      scalar.reset({ seed: 4 + i });
      expect(Array.from(vec.observations.subarray(4 * i, 4 * i + 4))).toEqual(Array.from(scalar.reset().observation));
    }
    expect(before).not.toEqual(vec.observations);
    expect(vec.infoAt(0).episode).toEqual({ return: 2, length: 2 });
  });

  test('render: state, ansi and a well-formed draw list of track, cart and pole', () => {
    const env = makeEnv('CartPole-v1');
    expect(() => env.render('state')).toThrow(ResetNeededError);
    const obs = env.reset({ seed: 2 }).observation;
    const state = env.render('state') as Record<string, number>;
    expect([state.x, state.xDot, state.theta, state.thetaDot].map(Math.fround)).toEqual(Array.from(obs));
    expect(env.render('ansi')).toMatch(/^x -?0\.\d{4} {2}xDot/);
    const draw = env.render('draw' as 'state');
    expect(whyNotDrawList(draw)).toBeUndefined();
    expect((draw as { items: Array<{ type: string }> }).items.map((i) => i.type)).toEqual(['line', 'rect', 'line', 'circle']);
  });
});
