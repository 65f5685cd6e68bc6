/** Vector sessions over the wire: arrays of length N, same-step autoreset, sub-env i equals a scalar seeded seed+i. */
import type { Client, StepInfo } from '@rlfs/protocol';
import { useLiveServer } from './live-server';

const live = useLiveServer();

async function agent(): Promise<Client> {
  const client = await live.open('agent');
  return client;
}

it('make with numEnvs puts numEnvs in the spec; reset and step answer arrays of length N', async () => {
  const client = await agent();
  const made = await client.make({ env: 'GridWorld-v0', numEnvs: 3 });
  expect(made.spec.numEnvs).toBe(3);
  const reset = await client.reset({ seed: 1 });
  expect(reset.observation).toHaveLength(3);
  expect((reset.observation as number[][])[0]).toHaveLength(25);
  expect(reset.info).toHaveLength(3);
  for (const info of reset.info as StepInfo[]) expect(Object.keys(info).sort()).toEqual(['agent', 'goal', 'shortestPath']);
  const step = await client.step([0, 1, 2]);
  for (const key of ['observation', 'reward', 'terminated', 'truncated', 'info'] as const) expect(step[key]).toHaveLength(3);
  expect((step.terminated as boolean[]).every((v) => typeof v === 'boolean')).toBe(true);
});

it('numEnvs 1 is a vector session of one', async () => {
  const client = await agent();
  await client.make({ env: 'GridWorld-v0', numEnvs: 1 });
  await client.reset();
  const step = await client.step([1]);
  expect(step.reward).toHaveLength(1);
});

it('same-step autoreset: new observation and agent/goal/shortestPath, the step hitWall, finalObservation and episode', async () => {
  const client = await agent();
  // 2x2, agent (0,0), goal (1,1); one step per episode: every step ends every episode by truncation
  await client.make({ env: 'GridWorld-v0', numEnvs: 2, options: { layout: ['A.', '.G'], maxEpisodeSteps: 1 } });
  await client.reset();
  const step = await client.step([0, 3]); // sub-env 0 bumps the top wall, sub-env 1 moves right to (0,1)
  expect(step.terminated).toEqual([false, false]);
  expect(step.truncated).toEqual([true, true]);
  expect(step.observation).toEqual([[1, 0, 0, 2], [1, 0, 0, 2]]); // both already reset
  const info = step.info as StepInfo[];
  expect(info[0]).toEqual({ agent: [0, 0], goal: [1, 1], hitWall: true, shortestPath: 2, finalObservation: [1, 0, 0, 2], episode: { return: -2, length: 1 } });
  // sub-env 1: d from sqrt(2) to 1: -1 + (1.4142136 - 1) / 2 = -0.7928932
  expect(info[1]).toMatchObject({ agent: [0, 0], goal: [1, 1], hitWall: false, shortestPath: 2, finalObservation: [0, 1, 0, 2] });
  expect(info[1]!.episode!.length).toBe(1);
  expect(info[1]!.episode!.return).toBeCloseTo(-0.792893, 6);
  // no RESET_NEEDED in a vector session: it goes on
  expect((await client.step([1, 1])).type).toBe('step_result');
});

it('terminated sub-envs reset in the same step while the others go on', async () => {
  const client = await agent();
  await client.make({ env: 'GridWorld-v0', numEnvs: 2, options: { layout: ['AG', '..'] } });
  await client.reset();
  const step = await client.step([3, 1]);
  expect(step.terminated).toEqual([true, false]);
  const info = step.info as StepInfo[];
  expect(info[0]).toMatchObject({ agent: [0, 0], hitWall: false, finalObservation: [0, 2, 0, 0], episode: { return: 99.5, length: 1 } }); // -1 + (1-0)/2 + 100
  expect(info[1]).toEqual({ agent: [1, 0], goal: [0, 1], hitWall: false });
  expect(step.observation).toEqual([[1, 2, 0, 0], [0, 2, 1, 0]]);
});

it('sub-env i equals a scalar session reset with seed + i, across autoresets', async () => {
  const N = 3;
  const seed = 1000;
  const options = { size: 3, obstacles: 2, maxEpisodeSteps: 8 };
  const vector = await agent();
  await vector.make({ env: 'GridWorld-v0', numEnvs: N, options });
  const scalars = await Promise.all(Array.from({ length: N }, async () => {
    const c = await agent();
    await c.make({ env: 'GridWorld-v0', options });
    return c;
  }));
  const vr = await vector.reset({ seed });
  for (let i = 0; i < N; i++) {
    const sr = await scalars[i]!.reset({ seed: seed + i });
    expect((vr.observation as unknown[])[i]).toEqual(sr.observation);
    expect((vr.info as StepInfo[])[i]).toEqual(sr.info);
  }
  let episodes = 0;
  for (let t = 0; t < 120; t++) {
    const actions = Array.from({ length: N }, (_, i) => (t * 3 + i * 7 + (t >> 2)) % 4);
    const v = await vector.step(actions);
    const infos = v.info as StepInfo[];
    for (let i = 0; i < N; i++) {
      const s = await scalars[i]!.step(actions[i]!);
      const where = `t ${t} sub-env ${i}`;
      expect([where, (v.reward as number[])[i], (v.terminated as boolean[])[i], (v.truncated as boolean[])[i], infos[i]!.hitWall]).toEqual([where, s.reward, s.terminated, s.truncated, (s.info as StepInfo).hitWall]);
      if (!s.terminated && !s.truncated) {
        expect((v.observation as unknown[])[i]).toEqual(s.observation);
        expect([infos[i]!.agent, infos[i]!.goal]).toEqual([(s.info as StepInfo).agent, (s.info as StepInfo).goal]);
        continue;
      }
      episodes++;
      expect(infos[i]!.finalObservation).toEqual(s.observation);
      expect(infos[i]!.episode).toEqual((s.info as StepInfo).episode);
      const again = await scalars[i]!.reset();
      expect((v.observation as unknown[])[i]).toEqual(again.observation);
      expect({ agent: infos[i]!.agent, goal: infos[i]!.goal, shortestPath: infos[i]!.shortestPath }).toEqual(again.info);
    }
  }
  expect(episodes).toBeGreaterThan(20);
});

it('a vector reset {seed} seeds sub-env i with seed + i (sub-env 1 of seed 5 is sub-env 0 of seed 6)', async () => {
  const a = await agent();
  const b = await agent();
  await a.make({ env: 'GridWorld-v0', numEnvs: 2, options: { obstacles: 3 } });
  await b.make({ env: 'GridWorld-v0', numEnvs: 2, options: { obstacles: 3 } });
  const ra = await a.reset({ seed: 5 });
  const rb = await b.reset({ seed: 6 });
  expect((ra.observation as unknown[])[1]).toEqual((rb.observation as unknown[])[0]);
});

it('render gives one frame per sub-env, ansi and state', async () => {
  const client = await agent();
  await client.make({ env: 'GridWorld-v0', numEnvs: 2, options: { layout: ['A.', '#G'] } });
  await client.reset();
  await client.step([3, 1]);
  expect((await client.render('ansi')).frame).toEqual(['.A\n#G', 'A.\n#G']);
  expect((await client.render('state')).frame).toEqual([
    { size: 2, agent: [0, 1], goal: [1, 1], obstacles: [[1, 0]] },
    { size: 2, agent: [0, 0], goal: [1, 1], obstacles: [[1, 0]] },
  ]);
});

it('a bad action list is INVALID_ACTION and steps no sub-env', async () => {
  const client = await agent();
  const twin = await agent();
  for (const c of [client, twin]) {
    await c.make({ env: 'GridWorld-v0', numEnvs: 3, options: { size: 4 } });
    await c.reset({ seed: 9 });
  }
  const before = await client.render('state');
  for (const action of [[0, 1], [0, 1, 2, 3], [0, 1, 4], [0, -1, 1], [0, 1, 'x'], [0, 0.5, 1], 2, 'all', null]) {
    await expect(client.step(action)).rejects.toMatchObject({ code: 'INVALID_ACTION' });
  }
  expect(body(await client.render('state'))).toEqual(body(before));
  expect(body(await client.step([1, 2, 3]))).toEqual(body(await twin.step([1, 2, 3])));
});

function body<T extends { id?: number }>(reply: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = reply;
  return rest;
}
