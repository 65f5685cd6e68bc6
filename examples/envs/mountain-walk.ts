/**
 * MountainWalk-v0: a hiker on a 1-D trail over a hill must reach the summit flag at the right end.
 * Walking uphill is slower than walking downhill, and every step slips a little at random.
 *
 *   npm run server -- --env-module examples/envs/mountain-walk.ts
 *   npm run train -- --env-module examples/envs/mountain-walk.ts --env MountainWalk-v0 --agent dqn
 */
import { box, defineEnv, discrete } from '@rlfs/envs';

/** Height of the trail at x (0 at the start, the summit at x = 1). */
const height = (x: number): number => 0.5 * (1 - Math.cos(Math.PI * x)) + 0.1 * Math.sin(6 * x);

export default defineEnv({
  id: 'MountainWalk-v0',
  maxEpisodeSteps: 200,
  options: {
    stride: { type: 'number', default: 0.05, min: 0.01, max: 0.5, description: 'distance of one step on flat ground' },
    slip: { type: 'number', default: 0.01, min: 0, max: 0.1, description: 'random slip added to every step, uniform in [-slip, slip]' },
  },
  // Observation: [x, slope]; x in [0, 1], the slope of the trail bounded by its steepest point.
  observationSpace: box([0, -3], [1, 3], [2], 'float32'),
  // Actions: 0 step back, 1 rest, 2 step forward.
  actionSpace: discrete(3),
  // Optional: what each action is called and the keys /play maps to it (KeyboardEvent.key values).
  actions: [
    { name: 'step back', keys: ['ArrowLeft', 'a'] },
    { name: 'rest', keys: [' ', 'ArrowDown', 's'] },
    { name: 'step forward', keys: ['ArrowRight', 'd'] },
  ],
  reset: (rng) => ({ x: 0.1 * rng.float() }),
  step(state, action, rng, options) {
    const slope = (height(state.x + 1e-3) - height(state.x)) / 1e-3;
    const move = (action - 1) * options.stride * (action === 2 ? 1 / (1 + Math.max(0, slope)) : 1);
    state.x = Math.min(1, Math.max(0, state.x + move + options.slip * (2 * rng.float() - 1)));
    const summit = state.x >= 1;
    return { reward: summit ? 10 : -0.1, terminated: summit };
  },
  observe: (state) => [state.x, Math.max(-3, Math.min(3, (height(state.x + 1e-3) - height(state.x)) / 1e-3))],
  info: (state) => ({ height: height(state.x) }),
  renderState: (state) => ({ x: state.x, height: height(state.x) }),
  draw: (state) => ({
    viewport: { x: -0.05, y: -0.1, width: 1.1, height: 1.3 },
    background: '#dff1ff',
    items: [
      { type: 'line', points: Array.from({ length: 51 }, (_, i) => [i / 50, height(i / 50)]).flat(), stroke: '#3a7d44', lineWidth: 0.02 },
      { type: 'line', points: [1, height(1), 1, height(1) + 0.15], stroke: '#000000', lineWidth: 0.008 },
      { type: 'rect', x: 1, y: height(1) + 0.09, width: 0.06, height: 0.06, fill: '#d62828' },
      { type: 'circle', x: state.x, y: height(state.x) + 0.03, radius: 0.03, fill: '#1d3557' },
    ],
  }),
});
