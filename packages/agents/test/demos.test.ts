import { makeEnv } from '@rlfs/envs';
import { initBackend } from '../src/backend';
import { parseDemos } from '../src/demos';
import { DemosFormatError } from '../src/errors';
import { dqnPlugin } from '../src/dqn';
import type { AgentSpec } from '../src/env-like';

// A 2x2 GridWorld with the coords observation: [agentRow, agentCol, goalRow, goalCol].
const spec: AgentSpec = makeEnv('GridWorld-v0', { size: 2, observation: 'coords' }).spec;
const line = (over: Record<string, unknown> = {}): string =>
  JSON.stringify({ env: 'GridWorld-v0', options: spec.options, episode: 1, step: 1, observation: [0, 0, 1, 1], action: 1, reward: -0.7, nextObservation: [1, 0, 1, 1], terminated: false, truncated: false, ...over });

beforeAll(async () => {
  await initBackend('cpu');
});

test('reads transitions line by line, in order, whatever the key order of the options', () => {
  const reordered = Object.fromEntries(Object.entries(spec.options).reverse());
  const text = `${line()}\n\n${line({ options: reordered, step: 2, observation: [1, 0, 1, 1], action: 3, reward: 100.8, nextObservation: [1, 1, 1, 1], terminated: true })}\n`;
  const { transitions: t, episodes } = parseDemos(text, spec, 'd.jsonl');
  expect(episodes).toBe(1);
  expect(t.count).toBe(2);
  expect(t.obsSize).toBe(4);
  expect(Array.from(t.observations)).toEqual([0, 0, 1, 1, 1, 0, 1, 1]);
  expect(Array.from(t.nextObservations)).toEqual([1, 0, 1, 1, 1, 1, 1, 1]);
  expect(Array.from(t.actions)).toEqual([1, 3]);
  expect(Array.from(t.rewards)).toEqual([-0.7, 100.8]);
  expect(Array.from(t.terminated)).toEqual([0, 1]);
  expect(Array.from(t.truncated)).toEqual([0, 0]);
});

test.each([
  ['not JSON', 'nope', /d\.jsonl line 2: not JSON/],
  ['another env', line({ env: 'CartPole-v1' }), /line 2: field "env" is "CartPole-v1", but this run trains on GridWorld-v0/],
  ['other options', line({ options: { ...spec.options, size: 5 } }), /line 2: field "options" differs from the run's \(size is 5 here, 2 in the run\)/],
  ['a short observation', line({ observation: [0, 0, 1] }), /line 2: field "observation": expected 4 numbers \(the run's observation space\), got 3/],
  ['a text in nextObservation', line({ nextObservation: [0, 'x', 1, 1] }), /line 2: field "nextObservation"\[1\]: expected a finite number, got "x"/],
  ['an action out of range', line({ action: 4 }), /line 2: field "action": expected an integer 0\.\.3, got 4/],
  ['no reward', line({ reward: undefined }), /line 2: field "reward": expected a finite number, got nothing \(the field is missing\)/],
  ['terminated as a number', line({ terminated: 1 }), /line 2: field "terminated": expected true or false, got 1/],
])('refuses %s, naming the line and the field', (_what, bad, message) => {
  const attempt = (): unknown => parseDemos(`${line()}\n${bad}\n`, spec, 'd.jsonl');
  expect(attempt).toThrow(DemosFormatError);
  expect(attempt).toThrow(message);
});

test('an empty file is refused', () => {
  expect(() => parseDemos('\n\n', spec, 'd.jsonl')).toThrow(/d\.jsonl: no transitions/);
});

test('DQN puts demonstrations in its replay buffer without counting them as steps; a small ring keeps the last ones', async () => {
  const agent = await dqnPlugin.create(spec, dqnPlugin.resolveOptions({ bufferSize: 2 }), { seed: 1 });
  const text = [0, 1, 2].map((k) => line({ step: k + 1, reward: k })).join('\n');
  expect(await agent.addDemonstrations!(parseDemos(text, spec).transitions)).toBe(2);
  const dqn = agent as unknown as { replay: { size: number; rewards: Float32Array; dones: Float32Array }; steps: number };
  expect(dqn.replay.size).toBe(2);
  expect(dqn.steps).toBe(0);
  // The ring of 2 holds the rewards of lines 3 then 2 (line 3 overwrote line 1 at position 0), times the default
  // reward scale 0.1.
  expect(Array.from(dqn.replay.rewards)).toEqual([Math.fround(0.2), Math.fround(0.1)]);
  expect(Array.from(dqn.replay.dones)).toEqual([0, 0]);
  agent.dispose?.();
});
