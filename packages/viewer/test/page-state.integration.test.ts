/**
 * The pages' state modules driven without a browser, over a real server: the viewer's (session list, history,
 * counts that agree, charts on the env-step axis, value maps) and /play's (a game played with keys).
 */
import { startServer } from '@rlfs/env-server';
import type { RunningServer } from '@rlfs/env-server';
import type { Client } from '@rlfs/protocol';
import { connect } from '@rlfs/protocol/node';
import { ViewerState } from '../src/app/viewer-state';
import type { PlayChange, Transition } from '../src/play/play-state';
import { PlayState } from '../src/play/play-state';

let server: RunningServer;
const clients: Client[] = [];
beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', warn: () => undefined });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(() => server.close());

async function open(role: 'agent' | 'spectator', name?: string): Promise<Client> {
  const c = await connect(server.url, { role, ...(name ? { name } : {}) });
  clients.push(c);
  return c;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('ViewerState', () => {
  it('a viewer attached after 500 episodes has all 500 (list, badge and charts agree), then counts on live', async () => {
    const agent = await open('agent', 'late-run');
    await agent.make({ env: 'GridWorld-v0', options: { layout: ['AG', '..'] } });
    for (let i = 0; i < 500; i++) {
      await agent.reset();
      await agent.step(3); // one step onto the goal
    }
    agent.telemetry({ 'train/epsilon': 0.5, 'train/loss': 2, 'episode/return': 99.5, 'eval/return': 99.5 });
    const state = new ViewerState();
    await state.attach(await open('spectator'));
    await until(() => (state.data?.returns.length ?? 0) === 500, 'the history');
    expect(state.data!.episodeNos).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(state.badge()).toBe('500 episodes · 500 env steps');
    expect(state.items()[0]).toMatchObject({ name: 'late-run', active: true, meta: 'GridWorld-v0 · 500 episodes · 500 steps' });
    const charts = state.charts();
    // the return chart carries the greedy evaluation; episode/return repeats it and gets no chart of its own
    expect(charts.map((c) => c.key)).toEqual(['return', 'length', 'metric:train/epsilon', 'metric:train/loss']);
    const ret = charts[0]!.spec;
    expect(ret.xLabel).toBe('env steps');
    expect(ret.series.map((s) => s.name)).toEqual(['return', 'mean of 20', 'greedy eval']);
    expect(ret.series[0]!.xs).toHaveLength(500);
    expect(ret.xDomain).toEqual([0, 500]);
    expect(charts[2]!.spec.series[0]!.xs).toEqual([500]); // telemetry at env step 500
    expect(charts[2]!.help).toMatch(/^epsilon: /);
    // three more episodes, live
    for (let i = 0; i < 3; i++) {
      await agent.reset();
      await agent.step(3);
    }
    await until(() => state.data!.episodeCount() === 503, 'live episodes');
    expect(state.data!.steps.slice(-3)).toEqual([501, 502, 503]);
    state.axis = 'episode';
    expect(state.charts()[0]!.spec).toMatchObject({ xLabel: 'episodes', xDomain: [0, 503] });
    // the telemetry sent at env step 500 sits at episode 500 on the episode axis
    expect(state.charts()[2]!.spec.series[0]!.xs).toEqual([500]);
  });

  it('keeps the latest value map from telemetry, and says when the watched session ended', async () => {
    const agent = await open('agent', 'values');
    await agent.make({ env: 'GridWorld-v0', options: { size: 2 } });
    const state = new ViewerState();
    await state.attach(await open('spectator'));
    await until(() => state.data !== undefined, 'a watched session');
    const valueMap = { size: 2, goal: [1, 1] as [number, number], values: [97, 98, 98, null], actions: [1, 1, 3, -1] };
    agent.telemetry({}, { valueMap });
    await until(() => state.data!.valueMap !== undefined, 'the value map');
    expect(state.data!.valueMap).toEqual(valueMap);
    const changes: string[] = [];
    state.onChange((c) => changes.push(c));
    await agent.closeSession();
    await until(() => state.banner !== undefined, 'the ended note');
    expect(state.banner).toMatch(/“values” ended after 0 episodes/);
    expect(changes).toContain('banner');
  });
});

describe('PlayState', () => {
  it('plays GridWorld with keys: rewards explained, the episode ends at the goal, transitions announced', async () => {
    const state = new PlayState({ setTimeout: () => 0, clearTimeout: () => undefined }); // no automatic new episode
    state.attach(await open('agent', 'human'));
    const changes: PlayChange[] = [];
    const transitions: Transition[] = [];
    state.onChange((c) => changes.push(c));
    state.onTransition((t) => transitions.push(t));
    await state.newGame('GridWorld-v0', { layout: ['A.', '.G'] });
    expect(changes.map((c) => c.kind)).toEqual(['game', 'episode-start']);
    await state.press(3); // right: [0,1]
    await state.press(1); // down: the goal
    const steps = changes.filter((c): c is Extract<PlayChange, { kind: 'step' }> => c.kind === 'step');
    // right: -1 + shaping (sqrt(2) - 1) / 2; down: -1 + (1 - 0) / 2 + 100
    expect(steps[0]!.reward).toBeCloseTo(-1 + (Math.SQRT2 - 1) / 2, 9);
    expect(steps[1]!.reward).toBeCloseTo(99.5, 9);
    expect(steps[1]!.parts?.total).toBeCloseTo(99.5, 9);
    const end = changes.find((c): c is Extract<PlayChange, { kind: 'episode-end' }> => c.kind === 'episode-end');
    expect(end?.result).toMatchObject({ episode: 1, terminated: true, length: 2, shortestPath: 2, outcome: 'goal' });
    expect(transitions.map((t) => [t.episode, t.action, t.terminated])).toEqual([[1, 3, false], [1, 1, true]]);
    expect(transitions[1]!.observation).toEqual(transitions[0]!.nextObservation);
    expect(state.view()).toMatchObject({ episodes: 0, step: 2 }); // the HUD counts the episode once the next starts
    await state.press(0); // the episode is over: keys wait for the next one
    expect(transitions).toHaveLength(2);
  });
});
