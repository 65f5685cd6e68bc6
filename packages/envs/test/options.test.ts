import { GRIDWORLD_DEFAULTS, InvalidOptionsError, resolveGridWorldOptions } from '../src';

/** The error `resolveGridWorldOptions(options)` throws (fails the test if none). */
function errorOf(options: unknown): InvalidOptionsError {
  try {
    resolveGridWorldOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionsError);
    return error as InvalidOptionsError;
  }
  throw new Error(`no error for ${JSON.stringify(options)}`);
}

describe('defaults', () => {
  test('nothing given resolves every option to its default, without layout', () => {
    const expected = { size: 5, boundary: 'walls', observation: 'grid', maxEpisodeSteps: 100, obstacles: 0, rewards: { step: -1, goal: 100, wall: -1, shaping: 1 } };
    expect(resolveGridWorldOptions(undefined)).toEqual(expected);
    expect(resolveGridWorldOptions({})).toEqual(expected);
    expect('layout' in resolveGridWorldOptions({})).toBe(false);
  });

  test('user options spread over the defaults, rewards key by key', () => {
    expect(resolveGridWorldOptions({ size: 9, boundary: 'wrap', observation: 'coords', maxEpisodeSteps: 7, obstacles: 3, rewards: { goal: 1 } })).toEqual({
      size: 9,
      boundary: 'wrap',
      observation: 'coords',
      maxEpisodeSteps: 7,
      obstacles: 3,
      rewards: { step: -1, goal: 1, wall: -1, shaping: 1 },
    });
  });

  test('integral floats count as integers; resolving is idempotent; the defaults object is not mutated', () => {
    const resolved = resolveGridWorldOptions({ size: 6.0, maxEpisodeSteps: 10.0, obstacles: 2.0, rewards: { wall: -3 } });
    expect(resolved.size).toBe(6);
    expect(resolveGridWorldOptions(resolved)).toEqual(resolved);
    resolved.rewards.goal = 0;
    expect(GRIDWORLD_DEFAULTS.rewards.goal).toBe(100);
  });

  test('a layout sets size, keeps obstacles at 0 and is returned', () => {
    const layout = ['A..', '.#.', '..G'];
    expect(resolveGridWorldOptions({ layout })).toMatchObject({ size: 3, obstacles: 0, layout });
    expect(resolveGridWorldOptions({ layout, size: 3, obstacles: 0 })).toMatchObject({ size: 3, layout });
  });
});

describe('every bad option is INVALID_OPTIONS naming it', () => {
  test.each<[string, unknown, string, RegExp]>([
    ['not a map', 5, 'options', /expected a map/],
    ['an array', [1], 'options', /expected a map/],
    ['unknown key', { colour: 'red' }, 'colour', /unknown option/],
    ['size fractional', { size: 1.5 }, 'size', /^size: expected an integer from 2 to 64, got 1\.5$/],
    ['size too small', { size: 1 }, 'size', /from 2 to 64, got 1/],
    ['size too big', { size: 65 }, 'size', /got 65/],
    ['size a string', { size: '5' }, 'size', /got "5"/],
    ['boundary', { boundary: 'torus' }, 'boundary', /expected "walls" or "wrap", got "torus"/],
    ['observation', { observation: 'pixels' }, 'observation', /"grid" or "onehot" or "coords"/],
    ['maxEpisodeSteps 0', { maxEpisodeSteps: 0 }, 'maxEpisodeSteps', /integer >= 1, got 0/],
    ['maxEpisodeSteps fractional', { maxEpisodeSteps: 2.5 }, 'maxEpisodeSteps', /got 2\.5/],
    ['maxEpisodeSteps infinite', { maxEpisodeSteps: Infinity }, 'maxEpisodeSteps', /got Infinity/],
    ['obstacles negative', { obstacles: -1 }, 'obstacles', /from 0 to 23/],
    ['obstacles too many', { size: 4, obstacles: 15 }, 'obstacles', /from 0 to 14, got 15/],
    ['rewards not a map', { rewards: 3 }, 'rewards', /expected a map/],
    ['unknown reward', { rewards: { bonus: 1 } }, 'rewards.bonus', /unknown reward/],
    ['reward not a number', { rewards: { goal: '100' } }, 'rewards.goal', /finite number/],
    ['reward NaN', { rewards: { step: Number.NaN } }, 'rewards.step', /finite number, got NaN/],
    ['reward infinite', { rewards: { wall: -Infinity } }, 'rewards.wall', /got -Infinity/],
    ['layout not a list', { layout: 'A.G' }, 'layout', /list of N strings/],
    ['layout one row', { layout: ['A'] }, 'layout', /from 2 to 64 rows, got 1/],
    ['layout too many rows', { layout: Array(65).fill('.'.repeat(65)) }, 'layout', /got 65/],
    ['layout row not a string', { layout: ['A.', 3] }, 'layout[1]', /expected a string/],
    ['layout row too short', { layout: ['A..', '..', '..G'] }, 'layout[1]', /expected 3 characters/],
    ['layout bad character', { layout: ['A.', '.x'] }, 'layout[1]', /"x"/],
    ['layout two agents', { layout: ['A.', '.A'] }, 'layout[1]', /at most one agent/],
    ['layout two goals', { layout: ['GG', '..'] }, 'layout[0]', /at most one goal/],
    ['layout and disagreeing size', { layout: ['A.', '.G'], size: 3 }, 'size', /size must be 2/],
    ['layout and obstacles', { layout: ['A..', '...', '..G'], obstacles: 1 }, 'obstacles', /must be 0/],
    ['layout A and G cut apart', { layout: ['A#.', '##.', '..G'] }, 'layout', /cannot be reached/],
    ['layout A alone', { layout: ['A#', '#.'] }, 'layout', /no free cell is connected/],
    ['layout without two connected free cells', { layout: ['.#', '#.'] }, 'layout', /two connected free cells/],
    ['layout all walls', { layout: ['##', '##'] }, 'layout', /two connected free cells/],
  ])('%s', (_name, options, option, message) => {
    const error = errorOf(options);
    expect(error.option).toBe(option);
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message.startsWith(`${option}: `)).toBe(true);
    expect(error.message).toMatch(message);
  });

  test('connectivity follows the boundary: wrap joins cells across the edge', () => {
    // under walls A (0,0) and G (0,2) are cut by the # column; under wrap A reaches G leftwards round the edge
    const layout = ['A#G', '.#.', '.#.'];
    expect(errorOf({ layout }).option).toBe('layout');
    expect(resolveGridWorldOptions({ layout, boundary: 'wrap' }).layout).toEqual(layout);
  });
});
