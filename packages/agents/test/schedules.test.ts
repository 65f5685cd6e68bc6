import { epsilonAt, scheduleProblem } from '../src/schedules';
import { dqnPlugin } from '../src/dqn';
import { tabularQPlugin } from '../src/tabular-q';
import { InvalidAgentOptionsError } from '../src/errors';
import type { AgentSpec } from '../src/env-like';

describe('epsilon schedules', () => {
  it('linear goes in equal steps from start to end and stays there', () => {
    const s = { kind: 'linear' as const, start: 1, end: 0.1, decaySteps: 100 };
    expect(epsilonAt(s, 0)).toBe(1);
    expect(epsilonAt(s, 50)).toBeCloseTo(0.55, 12);
    expect(epsilonAt(s, 90)).toBeCloseTo(0.19, 12);
    expect(epsilonAt(s, 100)).toBe(0.1);
    expect(epsilonAt(s, 10_000)).toBe(0.1);
  });

  it('exponential multiplies by the same factor each step: 1 -> 0.01 over 100 steps is 0.1 at 50', () => {
    const s = { kind: 'exponential' as const, start: 1, end: 0.01, decaySteps: 100 };
    expect(epsilonAt(s, 0)).toBe(1);
    expect(epsilonAt(s, 50)).toBeCloseTo(0.1, 12);
    expect(epsilonAt(s, 25)).toBeCloseTo(Math.sqrt(0.1), 12);
    expect(epsilonAt(s, 51) / epsilonAt(s, 50)).toBeCloseTo(epsilonAt(s, 1) / epsilonAt(s, 0), 12);
    expect(epsilonAt(s, 100)).toBe(0.01);
    expect(epsilonAt(s, 101)).toBe(0.01);
  });

  it('a zero decay is the end value at once', () => {
    expect(epsilonAt({ kind: 'linear', start: 1, end: 0.2, decaySteps: 0 }, 0)).toBe(0.2);
  });

  it('names the problem: exponential to 0, end above start', () => {
    expect(scheduleProblem({ kind: 'exponential', start: 1, end: 0, decaySteps: 10 })?.option).toBe('epsilonEnd');
    expect(scheduleProblem({ kind: 'linear', start: 0.1, end: 0.5, decaySteps: 10 })?.message).toMatch(/must not exceed epsilonStart/);
    expect(scheduleProblem({ kind: 'linear', start: 1, end: 0, decaySteps: 10 })).toBeUndefined();
  });

  it('the plugins refuse an unusable schedule with the option name', () => {
    const spec: AgentSpec = { id: 'T', options: {}, observationSpace: { type: 'Box', low: 0, high: 3, shape: [2], dtype: 'int8' }, actionSpace: { type: 'Discrete', n: 2 }, maxEpisodeSteps: 10 };
    const options = tabularQPlugin.resolveOptions({ epsilonSchedule: 'exponential', epsilonEnd: 0 });
    expect(() => tabularQPlugin.create(spec, options, { seed: 1 })).toThrow(InvalidAgentOptionsError);
    expect(() => dqnPlugin.resolveOptions({ epsilonSchedule: 'cosine' })).toThrow(/epsilonSchedule.*"linear", "exponential"/);
  });
});
