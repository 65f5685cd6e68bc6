import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { applyRecipe, checkRecipe, flagsGiven, loadRecipe, RecipeError } from '../src/recipe';
import { dqnPlugin } from '../src/dqn';

const ROOT = path.resolve(__dirname, '../../..');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rlfs-recipe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(fn: () => unknown): RecipeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RecipeError);
    return err as RecipeError;
  }
  throw new Error('expected a RecipeError');
}

describe('recipes', () => {
  it('every file in recipes/ is a valid recipe whose agent options the agent accepts', () => {
    const files = readdirSync(path.join(ROOT, 'recipes')).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(expect.arrayContaining(['cartpole-dqn.json', 'gridworld-8x8-dqn.json']));
    for (const file of files) {
      const recipe = loadRecipe(path.join(ROOT, 'recipes', file));
      expect(recipe.agent).toBe('dqn');
      expect(() => dqnPlugin.resolveOptions(recipe.agentOptions)).not.toThrow();
    }
  });

  it('refuses a bad file naming the field', () => {
    expect(errorOf(() => checkRecipe({ env: 'GridWorld-v0', agentOption: {} })).message).toMatch(/unknown field "agentOption" \(fields: description, env, options, agent, agentOptions/);
    expect(errorOf(() => checkRecipe({ options: '{"size":8}' })).field).toBe('options');
    expect(errorOf(() => checkRecipe({ steps: -5 })).message).toMatch(/field "steps" must be a non-negative integer, got -5/);
    expect(errorOf(() => checkRecipe([1])).message).toMatch(/must be a JSON object/);
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"env": "GridWorld-v0",}');
    expect(errorOf(() => loadRecipe(broken)).message).toMatch(/broken\.json is not valid JSON/);
    expect(errorOf(() => loadRecipe(path.join(dir, 'missing.json'))).message).toMatch(/cannot read recipe .*missing\.json/);
  });

  it('flags given on the command line win; option objects merge key by key', () => {
    const recipe = { env: 'GridWorld-v0', options: { size: 8, obstacles: 6 }, agent: 'dqn', agentOptions: { gamma: 0.95, bufferSize: 50_000 }, steps: 30_000, seed: 4 };
    const argv = ['--config', 'r.json', '--agent-options', '{"gamma":0.9}', '--seed=7'];
    const flags = { config: 'r.json', 'agent-options': { gamma: 0.9 }, seed: 7, steps: undefined, env: undefined, options: undefined, agent: undefined };
    expect(flagsGiven(argv)).toEqual(new Set(['config', 'agent-options', 'seed']));
    expect(applyRecipe(flags, recipe, flagsGiven(argv))).toEqual({
      config: 'r.json', env: 'GridWorld-v0', options: { size: 8, obstacles: 6 }, agent: 'dqn',
      'agent-options': { gamma: 0.9, bufferSize: 50_000 }, steps: 30_000, seed: 7,
    });
  });
});
