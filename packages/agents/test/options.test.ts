import { dqnPlugin, DQN_DEFAULTS } from '../src/dqn';
import { tabularQPlugin } from '../src/tabular-q';
import { randomPlugin } from '../src/random';
import { InvalidAgentOptionsError } from '../src/errors';

describe('agent options', () => {
  it('defaults come back whole, and user values spread over them', () => {
    expect(dqnPlugin.resolveOptions(undefined)).toEqual(DQN_DEFAULTS);
    const o = dqnPlugin.resolveOptions({ hiddenSizes: [32], gamma: 0.5 });
    expect(o.hiddenSizes).toEqual([32]);
    expect(o.gamma).toBe(0.5);
    expect(o.batchSize).toBe(DQN_DEFAULTS.batchSize);
  });

  it.each([
    [{ learningRate: 0 }, 'learningRate', /must be a number > 0 or "auto", got 0/],
    [{ gamma: 1.5 }, 'gamma', /<= 1/],
    [{ batchSize: 2.5 }, 'batchSize', /an integer >= 1/],
    [{ hiddenSizes: [] }, 'hiddenSizes', /non-empty array of integers/],
    [{ doubleDqn: 'yes' }, 'doubleDqn', /true or false, got "yes"/],
    [{ inputEncoding: 'bits' }, 'inputEncoding', /"onehot", "raw"/],
    [{ lr: 0.1 }, 'lr', /dqn has no option "lr" \(known: hiddenSizes, learningRate/],
  ])('dqn refuses %j naming %s', (user, option, message) => {
    let error: unknown;
    try {
      dqnPlugin.resolveOptions(user);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidAgentOptionsError);
    expect((error as InvalidAgentOptionsError).option).toBe(option);
    expect((error as Error).message).toMatch(message);
  });

  it('tabular-q and random refuse unknown options too', () => {
    expect(() => tabularQPlugin.resolveOptions({ alpha: 0.1 })).toThrow(/tabular-q has no option "alpha"/);
    expect(() => randomPlugin.resolveOptions({ anything: 1 })).toThrow(/random has no option "anything"/);
    expect(() => tabularQPlugin.resolveOptions([1])).toThrow(/must be an object/);
  });
});
