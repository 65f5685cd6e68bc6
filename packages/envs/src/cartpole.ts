/**
 * CartPole-v1: Gymnasium's cart-pole (gymnasium/envs/classic_control/cartpole.py, from Barto, Sutton and
 * Anderson 1983), the same constants, update order and thresholds, written as a `defineEnv` definition.
 *
 * State (float64): [x, xDot, theta, thetaDot]; observation: the same four numbers as float32.
 * Step with action a (0 push left, 1 push right), all in float64, in this order:
 *   force     = a == 1 ? 10 : -10
 *   cos, sin  = cos(theta), sin(theta)
 *   temp      = (force + 0.05 * thetaDot^2 * sin) / 1.1               (0.05 = poleMass * halfLength, 1.1 = total mass)
 *   thetaAcc  = (9.8 * sin - cos * temp) / (0.5 * (4/3 - 0.1 * cos^2 / 1.1))
 *   xAcc      = temp - 0.05 * thetaAcc * cos / 1.1
 *   x        += 0.02 * xDot;      xDot     += 0.02 * xAcc              (explicit Euler: positions use the old
 *   theta    += 0.02 * thetaDot;  thetaDot += 0.02 * thetaAcc           velocities)
 *   terminated = x < -2.4 or x > 2.4 or theta < -12*2*pi/360 or theta > 12*2*pi/360   (0.20943951023931953)
 * Reward 1 on every step, the terminating one included; with `suttonBartoReward`, 0 on every step and -1 on the
 * terminating one (Gymnasium's `sutton_barto_reward=True`). Truncated after `maxEpisodeSteps` (500) steps.
 * Reset draws four floats from the sub-env's generator, in state order: state[k] = -0.05 + 0.1 * float(),
 * k = x, xDot, theta, thetaDot (float() = u32 / 2^32, see rng.ts), i.e. uniform in [-0.05, 0.05).
 */
import type { BoxSpace } from '@rlfs/protocol';
import { defineEnv, type StepOutcome } from './define-env';
import type { DrawList } from './draw';
import type { Rng } from './rng';
import { box, discrete } from './spaces';

export const CARTPOLE_ID = 'CartPole-v1';

/** Gymnasium's constants. */
export const CARTPOLE = {
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  /** Half the pole's length. */
  length: 0.5,
  forceMag: 10.0,
  /** Seconds between state updates. */
  tau: 0.02,
  xThreshold: 2.4,
  thetaThresholdRadians: (12 * 2 * Math.PI) / 360,
  /** Reset draws each state variable uniformly from [-resetBound, resetBound). */
  resetBound: 0.05,
} as const;

const TOTAL_MASS = CARTPOLE.massPole + CARTPOLE.massCart;
const POLEMASS_LENGTH = CARTPOLE.massPole * CARTPOLE.length;
const F32_MAX = 3.4028234663852886e38;

/**
 * Gymnasium's bounds: high = float32([2.4 * 2, float32 max, thetaThreshold * 2, float32 max]), low = -high. The
 * float32 values are sent as they are (4.800000190734863, ...), so a float32 observation compares exactly.
 */
export const CARTPOLE_OBSERVATION_SPACE: BoxSpace = (() => {
  const high = [CARTPOLE.xThreshold * 2, F32_MAX, CARTPOLE.thetaThresholdRadians * 2, F32_MAX].map(Math.fround);
  return box(
    high.map((h) => -h),
    high,
    [4],
    'float32',
  );
})();

/** One cart-pole: the float64 state and the step's outcome, reused so a step allocates nothing. */
interface CartPoleState {
  s: Float64Array;
  outcome: StepOutcome;
}

export const cartPoleEntry = defineEnv({
  id: CARTPOLE_ID,
  maxEpisodeSteps: 500,
  options: {
    suttonBartoReward: { type: 'boolean', default: false, description: 'reward 0 per step and -1 on termination instead of 1 per step' },
  },
  observationSpace: CARTPOLE_OBSERVATION_SPACE,
  actionSpace: discrete(2),
  actions: [
    { name: 'push left', keys: ['ArrowLeft', 'a', 'A'] },
    { name: 'push right', keys: ['ArrowRight', 'd', 'D'] },
  ],
  reset(rng: Rng, _options, previous?: CartPoleState): CartPoleState {
    const state = previous ?? { s: new Float64Array(4), outcome: { reward: 0, terminated: false } };
    const s = state.s;
    const b = CARTPOLE.resetBound;
    for (let k = 0; k < 4; k++) s[k] = -b + 2 * b * rng.float();
    return state;
  },
  step(state, action, _rng, options) {
    const s = state.s;
    const x = s[0]!;
    const xDot = s[1]!;
    const theta = s[2]!;
    const thetaDot = s[3]!;
    const force = action === 1 ? CARTPOLE.forceMag : -CARTPOLE.forceMag;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const temp = (force + POLEMASS_LENGTH * thetaDot ** 2 * sin) / TOTAL_MASS;
    const thetaAcc = (CARTPOLE.gravity * sin - cos * temp) / (CARTPOLE.length * (4.0 / 3.0 - (CARTPOLE.massPole * cos ** 2) / TOTAL_MASS));
    const xAcc = temp - (POLEMASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
    const tau = CARTPOLE.tau;
    s[0] = x + tau * xDot;
    s[1] = xDot + tau * xAcc;
    s[2] = theta + tau * thetaDot;
    s[3] = thetaDot + tau * thetaAcc;
    const terminated = s[0] < -CARTPOLE.xThreshold || s[0] > CARTPOLE.xThreshold || s[2] < -CARTPOLE.thetaThresholdRadians || s[2] > CARTPOLE.thetaThresholdRadians;
    const out = state.outcome;
    out.terminated = terminated;
    out.reward = options.suttonBartoReward ? (terminated ? -1 : 0) : 1;
    return out;
  },
  observe: (state) => state.s,
  renderState: (state) => ({ x: state.s[0]!, xDot: state.s[1]!, theta: state.s[2]!, thetaDot: state.s[3]! }),
  ansi: (state) => {
    const [x, xDot, theta, thetaDot] = Array.from(state.s, (v) => v.toFixed(4));
    return `x ${x}  xDot ${xDot}  theta ${theta}  thetaDot ${thetaDot}`;
  },
  draw: (state) => cartPoleDrawList(state.s[0]!, state.s[2]!),
  bytesPerEnv: () => 4 * 8 + 2 * 4 * 4 + 200,
});

/**
 * Track, cart and pole in metres, as Gymnasium draws them (world 4.8 m wide centred on the track; cart 50x30
 * and pole 10 px wide on a 600 px screen, i.e. 0.4 x 0.24 m and 0.08 m; pole 2 * length = 1 m long).
 */
export function cartPoleDrawList(x: number, theta: number): DrawList {
  const scale = 600 / (CARTPOLE.xThreshold * 2); // px per metre on Gymnasium's screen
  const cartW = 50 / scale;
  const cartH = 30 / scale;
  const axleY = cartH / 4; // Gymnasium's axle offset above the track line (the cart's centre line is the track)
  const pole = 2 * CARTPOLE.length;
  const tipX = x + pole * Math.sin(theta);
  const tipY = axleY + pole * Math.cos(theta);
  return {
    viewport: { x: -CARTPOLE.xThreshold, y: -1, width: 2 * CARTPOLE.xThreshold, height: 3.2 },
    background: '#ffffff',
    items: [
      { type: 'line', points: [-CARTPOLE.xThreshold, 0, CARTPOLE.xThreshold, 0], stroke: '#000000' },
      { type: 'rect', x: x - cartW / 2, y: -cartH / 2, width: cartW, height: cartH, fill: '#000000' },
      { type: 'line', points: [x, axleY, tipX, tipY], stroke: '#ca9865', lineWidth: 10 / scale },
      { type: 'circle', x, y: axleY, radius: 5 / scale, fill: '#8184cb' },
    ],
  };
}
