import { didYouMean, editDistance, suggestion } from '../src';

describe('editDistance', () => {
  it.each([
    ['port', 'port', 0],
    ['prot', 'port', 1], // one swap of neighbours
    ['dqnn', 'dqn', 1], // one insertion
    ['stepz', 'steps', 1], // one substitution
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s -> %s is %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const flags = ['port', 'host', 'token', 'max-payload', 'max-connections', 'max-num-envs'];

  it('suggests the closest candidate for a typo', () => {
    expect(didYouMean('prot', flags)).toBe('port');
    expect(didYouMean('max-paylod', flags)).toBe('max-payload');
    expect(didYouMean('dqnn', ['random', 'tabular-q', 'dqn'])).toBe('dqn');
    expect(didYouMean('Tabular-Q', ['random', 'tabular-q', 'dqn'])).toBe('tabular-q');
  });

  it('suggests the one candidate that a prefix starts', () => {
    expect(didYouMean('max-conn', flags)).toBe('max-connections');
    expect(didYouMean('max', flags)).toBeUndefined(); // three candidates start with it
  });

  it('suggests nothing for a word far from every candidate', () => {
    expect(didYouMean('verbose', flags)).toBeUndefined();
    expect(didYouMean('x', flags)).toBeUndefined();
    expect(didYouMean('anything', [])).toBeUndefined();
  });

  it('formats the tail of an error message', () => {
    expect(suggestion('prot', flags, '--')).toBe(' (did you mean --port?)');
    expect(suggestion('verbose', flags, '--')).toBe('');
  });
});
