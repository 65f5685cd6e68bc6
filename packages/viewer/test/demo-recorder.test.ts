import { DemoRecorder } from '../src/play/demo-recorder';
import type { DemoTransition } from '../src/play/demo-recorder';

const options = { size: 2, boundary: 'walls' };
const step = (observation: number[], reward: number, terminated = false, truncated = false) => ({ observation, reward, terminated, truncated });

function lines(r: DemoRecorder): DemoTransition[] {
  return r.toJsonLines().trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as DemoTransition);
}

test('keeps the steps taken while recording, one line each, with the observation before and after', () => {
  const r = new DemoRecorder();
  r.session('GridWorld-v0', options);
  r.reset([1, 0, 0, 2]);
  r.record(3, step([0, 1, 0, 2], -0.9)); // not recording yet: not kept
  r.setRecording(true);
  r.record(1, step([0, 0, 0, 1], 99.9, true));
  r.reset([0, 1, 2, 0]);
  r.record(2, step([1, 0, 2, 0], -1));
  expect(r.count).toBe(2);
  expect(r.episodes).toBe(2);
  expect(lines(r)).toEqual([
    { env: 'GridWorld-v0', options, episode: 1, step: 2, observation: [0, 1, 0, 2], action: 1, reward: 99.9, nextObservation: [0, 0, 0, 1], terminated: true, truncated: false },
    { env: 'GridWorld-v0', options, episode: 2, step: 1, observation: [0, 1, 2, 0], action: 2, reward: -1, nextObservation: [1, 0, 2, 0], terminated: false, truncated: false },
  ]);
  expect(r.toJsonLines().endsWith('}\n')).toBe(true);
});

test('stopping and starting again opens a new episode; clear empties; the limit stops recording', () => {
  const r = new DemoRecorder(2);
  r.session('GridWorld-v0', options);
  r.setRecording(true);
  r.reset([1, 0, 0, 2]);
  r.record(3, step([0, 1, 0, 2], -0.5));
  r.setRecording(false);
  r.record(1, step([0, 0, 0, 1], 99.9, true));
  r.reset([0, 1, 2, 0]);
  r.setRecording(true);
  r.record(2, step([1, 0, 2, 0], -1));
  r.record(3, step([0, 1, 2, 0], -1));
  expect(lines(r).map((l) => [l.episode, l.step])).toEqual([[1, 1], [2, 1]]);
  expect(r.full).toBe(true);
  r.clear();
  expect([r.count, r.episodes, r.toJsonLines()]).toEqual([0, 0, '']);
});

test('a session change writes the new options; the file name says the environment', () => {
  const r = new DemoRecorder();
  r.setRecording(true);
  r.session('GridWorld-v0', options);
  r.reset([1, 2]);
  r.record(0, step([2, 1], 1));
  r.session('GridWorld-v0', { ...options, boundary: 'wrap' });
  r.record(0, step([1, 2], 1)); // no reset seen in the new session yet: its first observation is unknown
  r.reset([1, 2]);
  r.record(0, step([2, 1], 1));
  expect(lines(r).map((l) => l.options.boundary)).toEqual(['walls', 'wrap']);
  expect(r.fileName(new Date('2026-01-02T03:04:05Z'))).toBe('demos-GridWorld-v0-20260102-030405.jsonl');
});
