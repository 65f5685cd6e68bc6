import { makeEnv } from '@rlfs/envs';
import { initBackend } from '../src/backend';
import { dqnPlugin } from '../src/dqn';
import type { DqnAgent } from '../src/dqn';
import { tabularQPlugin } from '../src/tabular-q';
import type { TabularQAgent } from '../src/tabular-q';
import { readCells, synthesize, valueMapOf, valueMapTask } from '../src/value-map';
import { gridViewOf } from '../src/egocentric';
import { randomPlugin } from '../src/random';

// 3x3, agent top left, an obstacle top right, the goal bottom right.
const layout = ['A.#', '...', '..G'];

async function tabular(observation: 'grid' | 'onehot' | 'coords'): Promise<{ agent: TabularQAgent; obs: Float32Array; spec: ReturnType<typeof makeEnv>['spec'] }> {
  const env = makeEnv('GridWorld-v0', { layout, observation });
  const obs = Float32Array.from(env.reset({ seed: 1 }).observation);
  const agent = (await tabularQPlugin.create(env.spec, tabularQPlugin.resolveOptions({}), { seed: 1 })) as TabularQAgent;
  return { agent, obs, spec: env.spec };
}

describe('value map (GridWorld)', () => {
  it('reads agent, goal and obstacles back from each observation kind, and synthesizes the agent on any cell', async () => {
    for (const kind of ['grid', 'onehot'] as const) {
      const { obs, spec } = await tabular(kind);
      const view = gridViewOf(spec)!;
      const cells = readCells(view, obs);
      expect([cells.agent, cells.goal, Array.from(cells.obstacles)]).toEqual([0, 8, [0, 0, 1, 0, 0, 0, 0, 0, 0]]);
      // The agent put back where it stands gives the environment's own observation.
      const out = new Float32Array(obs.length);
      synthesize(view, cells, 0, out, 0);
      expect(Array.from(out)).toEqual(Array.from(obs));
    }
    const { obs, spec } = await tabular('grid');
    const out = new Float32Array(9);
    synthesize(gridViewOf(spec)!, readCells(gridViewOf(spec)!, obs), 4, out, 0);
    expect(Array.from(out)).toEqual([0, 0, -1, 0, 1, 0, 0, 0, 2]);
  });

  it('tabular-q: each free cell gets max_a Q of its synthetic observation and the argmax; goal and obstacle none', async () => {
    const { agent, obs, spec } = await tabular('grid');
    // Q of the agent in the middle (cell 4): best is "down" (1) at 7.5; of the agent top left: best "right" (3) at 2.
    agent.table.set('0,0,-1,0,1,0,0,0,2', Float64Array.from([1, 7.5, -2, 3]));
    agent.table.set('1,0,-1,0,0,0,0,0,2', Float64Array.from([0, 0, 0, 2]));
    const map = (await valueMapOf(agent, spec, obs))!;
    expect(map.size).toBe(3);
    expect(map.goal).toEqual([2, 2]);
    // Unseen states have initialQ (0) everywhere: value 0, action 0 (ties go to the lowest action).
    expect(map.values).toEqual([2, 0, null, 0, 7.5, 0, 0, 0, null]);
    expect(map.actions).toEqual([3, 0, -1, 0, 1, 0, 0, 0, -1]);
    // Valuing states does not add them to the table.
    expect(agent.table.size).toBe(2);
  });

  it('coords: no obstacles are visible, so every cell but the goal has a value', async () => {
    const { agent, obs, spec } = await tabular('coords');
    agent.table.set('0,2,2,2', Float64Array.from([4, 0, 0, 0]));
    const map = (await valueMapOf(agent, spec, obs))!;
    expect(map.values).toEqual([0, 0, 4, 0, 0, 0, 0, 0, null]);
    expect(map.actions.filter((a) => a === -1)).toHaveLength(1);
  });

  it('dqn: the values are the network\'s Q (in reward units) and the actions its greedy choice, from one batched pass', async () => {
    await initBackend('wasm');
    const env = makeEnv('GridWorld-v0', { size: 4, obstacles: 3 });
    const obs = Float32Array.from(env.reset({ seed: 5 }).observation);
    const agent = (await dqnPlugin.create(env.spec, dqnPlugin.resolveOptions({ hiddenSizes: [16] }), { seed: 2 })) as DqnAgent;
    const map = (await valueMapOf(agent, env.spec, obs))!;
    const view = gridViewOf(env.spec)!;
    const cells = readCells(view, obs);
    expect(map.values).toHaveLength(16);
    expect(map.actions).toHaveLength(16);
    let free = 0;
    for (let c = 0; c < 16; c++) {
      if (cells.obstacles[c] || c === cells.goal) {
        expect([map.values[c], map.actions[c]]).toEqual([null, -1]);
        continue;
      }
      free++;
      const one = new Float32Array(obs.length);
      synthesize(view, cells, c, one, 0);
      // One observation at a time, through the agent's own greedy act and its feature pipeline.
      expect(map.actions[c]).toBe(agent.act(one, 1, false)[0]);
      const q = agent.online.predict((() => { const x = new Float32Array(agent.features.size); agent.features.write(one, 0, x, 0); return x; })(), 1);
      expect(map.values[c]).toBeCloseTo(Math.max(...q) / agent.settings.rewardScale, 4);
    }
    expect(free).toBe(16 - 3 - 1);
    agent.dispose();
  });

  it('no task for agents without values, non-GridWorld environments, or every = 0', async () => {
    const spec = makeEnv('GridWorld-v0', {}).spec;
    const random = await randomPlugin.create(spec, randomPlugin.resolveOptions({}), { seed: 1 });
    const { agent } = await tabular('grid');
    expect(valueMapTask(random, spec, 1000)).toBeUndefined();
    expect(valueMapTask(agent, spec, 0)).toBeUndefined();
    expect(valueMapTask(agent, makeEnv('CartPole-v1', {}).spec, 1000)).toBeUndefined();
    expect(valueMapTask(agent, spec, 1000)?.every).toBe(1000);
  });
});
