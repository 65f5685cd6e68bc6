/** Scalar agent sessions over the wire: make's spec, seeding, rewards by hand, info, render, episodes. */
import type { Client, StepInfo, GridState, Made, StepResult } from '@rlfs/protocol';
import { useLiveServer } from './live-server';

const live = useLiveServer();

async function agent(): Promise<Client> {
  const client = await live.open('agent');
  return client;
}

async function made(args: Omit<Parameters<Client['make']>[0], 'env'> = {}): Promise<{ client: Client; made: Made }> {
  const client = await agent();
  return { client, made: await client.make({ env: 'GridWorld-v0', ...args }) };
}

/** Strips the id so that replies to different requests compare. */
function body<T extends { id?: number }>(reply: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = reply;
  return rest;
}

describe('make', () => {
  it('answers made with a session id and the spec, every option resolved, no layout, no numEnvs, plain', async () => {
    const { made: reply } = await made();
    expect(typeof reply.session).toBe('string');
    expect(reply.session.length).toBeGreaterThan(0);
    expect(reply.spec).toEqual({
      id: 'GridWorld-v0',
      options: { size: 5, boundary: 'walls', observation: 'grid', maxEpisodeSteps: 100, obstacles: 0, rewards: { step: -1, goal: 100, wall: -1, shaping: 1 } },
      observationSpace: { type: 'Box', low: -1, high: 2, shape: [25], dtype: 'int8' },
      actionSpace: { type: 'Discrete', n: 4 },
      maxEpisodeSteps: 100,
      encoding: 'plain',
    });
  });

  it('resolves partial options: a partial rewards override, a layout that sets size', async () => {
    const { made: reply } = await made({ options: { layout: ['A..', '.#.', '..G'], rewards: { goal: 10 }, observation: 'coords', maxEpisodeSteps: 7 } });
    expect(reply.spec.options).toEqual({
      size: 3, boundary: 'walls', observation: 'coords', maxEpisodeSteps: 7, obstacles: 0, layout: ['A..', '.#.', '..G'],
      rewards: { step: -1, goal: 10, wall: -1, shaping: 1 },
    });
    expect(reply.spec.observationSpace).toEqual({ type: 'Box', low: 0, high: 2, shape: [4], dtype: 'int8' });
    expect(reply.spec.maxEpisodeSteps).toBe(7);
  });

  it('gives every session its own id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await made()).made.session);
    expect(ids.size).toBe(5);
  });
});

describe('seeding', () => {
  it('make.seed is used by the first reset without a seed, and the stream continues from it', async () => {
    const a = (await made({ seed: 42, options: { obstacles: 3 } })).client;
    const b = (await made({ options: { obstacles: 3 } })).client;
    expect(body(await a.reset())).toEqual(body(await b.reset({ seed: 42 })));
    expect(body(await a.reset())).toEqual(body(await b.reset()));
    expect(body(await a.reset())).toEqual(body(await b.reset()));
  });

  it('make.seed is ignored when the first reset has its own seed, and after the first reset', async () => {
    const a = (await made({ seed: 42, options: { obstacles: 3 } })).client;
    const b = (await made({ options: { obstacles: 3 } })).client;
    expect(body(await a.reset({ seed: 7 }))).toEqual(body(await b.reset({ seed: 7 })));
    expect(body(await a.reset())).toEqual(body(await b.reset()));
  });

  it('the same seed and actions give the same episode, on two connections and on one after a reseed', async () => {
    const a = (await made({ options: { obstacles: 4, size: 6 } })).client;
    const b = (await made({ options: { obstacles: 4, size: 6 } })).client;
    const play = async (client: Client): Promise<unknown[]> => {
      const out: unknown[] = [body(await client.reset({ seed: 123 }))];
      for (let t = 0; t < 60; t++) {
        const r = await client.step((t * 5 + 1) % 4);
        out.push(body(r));
        if (r.terminated || r.truncated) out.push(body(await client.reset()));
      }
      return out;
    };
    const first = await play(a);
    expect(await play(b)).toEqual(first);
    expect(await play(a)).toEqual(first);
  });

  it('different seeds give different episodes (over ten resets at least one differs)', async () => {
    const a = (await made({ options: { size: 8 } })).client;
    const b = (await made({ options: { size: 8 } })).client;
    const differ: boolean[] = [];
    for (let i = 0; i < 10; i++) differ.push(JSON.stringify(body(await a.reset({ seed: i }))) !== JSON.stringify(body(await b.reset({ seed: i + 1000 }))));
    expect(differ).toContain(true);
  });
});

describe('reset and step', () => {
  // size 3, agent (0,0), goal (2,2): d0 = sqrt(8) = 2.8284271
  const layout = ['A..', '...', '..G'];

  it('reset gives the grid observation and info {agent, goal, shortestPath}', async () => {
    const { client } = await made({ options: { layout } });
    const reset = await client.reset();
    expect(body(reset)).toEqual({ type: 'reset_result', observation: [1, 0, 0, 0, 0, 0, 0, 0, 2], info: { agent: [0, 0], goal: [2, 2], shortestPath: 4 } });
  });

  it('rewards follow the formula, worked by hand', async () => {
    const { client } = await made({ options: { layout } });
    await client.reset();
    // right to (0,1): d1 = sqrt(5) = 2.2360680; reward = -1 + (2.8284271 - 2.2360680) / 3 = -0.8025470
    const r1 = await client.step(3);
    expect(r1.reward).toBeCloseTo(-0.802547, 6);
    expect(body(r1)).toMatchObject({ observation: [0, 1, 0, 0, 0, 0, 0, 0, 2], terminated: false, truncated: false, info: { agent: [0, 1], goal: [2, 2], hitWall: false } });
    // up from row 0: a bump, the agent stays: reward = -1 + 0 + -1 = -2
    const r2 = await client.step(0);
    expect(r2.reward).toBe(-2);
    expect(r2.info).toEqual({ agent: [0, 1], goal: [2, 2], hitWall: true });
    // down (1,1): d = sqrt(2) = 1.4142136: -1 + (2.2360680 - 1.4142136) / 3 = -0.7260485
    expect((await client.step(1)).reward).toBeCloseTo(-0.726049, 6);
    // down (2,1): d = 1: -1 + (1.4142136 - 1) / 3 = -0.8619288
    expect((await client.step(1)).reward).toBeCloseTo(-0.861929, 6);
    // right onto the goal: -1 + (1 - 0) / 3 + 100 = 99.3333333
    const last = await client.step(3);
    expect(last.reward).toBeCloseTo(99.333333, 6);
    expect(last.terminated).toBe(true);
    expect(last.truncated).toBe(false);
    expect(last.observation).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 2]); // the goal's 2 shows when the agent stands on it
    const sum = r1.reward as number + (r2.reward as number) - 0.7260485 - 0.8619288 + 99.3333333;
    expect((last.info as StepInfo).episode?.length).toBe(5);
    expect((last.info as StepInfo).episode?.return).toBeCloseTo(sum, 5);
  });

  it('wrap boundary: moving off the top comes in at the bottom without a bump', async () => {
    const { client } = await made({ options: { layout, boundary: 'wrap' } });
    await client.reset();
    const r = await client.step(0);
    expect(r.info).toMatchObject({ agent: [2, 0], hitWall: false });
    // torus distance before: (2,2) from (0,0) is 1 row and 1 col the short way: sqrt(2); after, from (2,0): 0 rows, 1 col: 1
    expect(r.reward).toBeCloseTo(-1 + (Math.SQRT2 - 1) / 3, 9);
  });

  it('truncates after maxEpisodeSteps with info.episode', async () => {
    const { client } = await made({ options: { layout, maxEpisodeSteps: 3 } });
    await client.reset();
    const results: StepResult[] = [];
    for (let t = 0; t < 3; t++) results.push(await client.step(2)); // left from col 0: three bumps of -2
    expect(results.map((r) => [r.terminated, r.truncated])).toEqual([[false, false], [false, false], [false, true]]);
    expect((results[2]!.info as StepInfo).episode).toEqual({ return: -6, length: 3 });
    expect((results[1]!.info as StepInfo).episode).toBeUndefined();
  });

  it('onehot and coords observations have the documented layout', async () => {
    const onehot = (await made({ options: { layout: ['A#', '.G'], observation: 'onehot' } })).client;
    expect((await onehot.reset()).observation).toEqual([1, 0, 0, 0, /* goal */ 0, 0, 0, 1, /* obstacles */ 0, 1, 0, 0]);
    const coords = (await made({ options: { layout: ['A#', '.G'], observation: 'coords' } })).client;
    expect((await coords.reset()).observation).toEqual([0, 0, 1, 1]);
    expect((await coords.step(1)).observation).toEqual([1, 0, 1, 1]);
  });

  it('random obstacles are redrawn at reset and always leave the goal reachable', async () => {
    const { client } = await made({ options: { size: 6, obstacles: 20 } });
    const layouts = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const reset = await client.reset({ seed: i });
      expect(reset.info).toMatchObject({ shortestPath: expect.any(Number) });
      const state = (await client.render('state')).frame as GridState;
      expect(state.obstacles).toHaveLength(20);
      layouts.add(JSON.stringify(state.obstacles));
      expect((reset.observation as number[]).filter((v) => v === -1)).toHaveLength(20);
    }
    expect(layouts.size).toBeGreaterThan(1);
  });
});

describe('render', () => {
  it('ansi: size lines of size characters; state: {size, agent, goal, obstacles}', async () => {
    const { client } = await made({ options: { layout: ['A.#', '...', '#.G'] } });
    await client.reset();
    expect((await client.render('ansi')).frame).toBe('A.#\n...\n#.G');
    expect((await client.render('state')).frame).toEqual({ size: 3, agent: [0, 0], goal: [2, 2], obstacles: [[0, 2], [2, 0]] });
    await client.step(1);
    await client.step(3);
    await client.step(1);
    expect((await client.render('ansi')).frame).toBe('..#\n...\n#AG');
    await client.step(3);
    expect((await client.render('ansi')).frame).toBe('..#\n...\n#.A'); // A where the agent stands on the goal
  });
});
