/**
 * Recipes: a training setup kept as a file (`recipes/NAME.json`) rather than a long command line. A recipe names
 * the environment, its options, the agent and the agent's options (and may fix the step budget, vector width and
 * seed); `npm run train -- --config recipes/NAME.json` applies it, and flags given on the command line win:
 * `--env`, `--agent`, `--steps`, `--num-envs`, `--seed` replace the file's value, while `--options` and
 * `--agent-options` are laid over the file's objects key by key (so one option can be changed and the rest kept).
 */
import { readFileSync } from 'node:fs';

export interface Recipe {
  /** One line saying what the recipe trains and what it reaches. */
  description?: string;
  env?: string;
  options?: Record<string, unknown>;
  agent?: string;
  agentOptions?: Record<string, unknown>;
  steps?: number;
  numEnvs?: number;
  seed?: number;
}

/** A recipe file that cannot be read or does not have the recipe's shape; the message names the field. */
export class RecipeError extends Error {
  override name = 'RecipeError';
  readonly code = 'RECIPE';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const FIELDS: Record<keyof Recipe, 'string' | 'object' | 'count'> = {
  description: 'string',
  env: 'string',
  options: 'object',
  agent: 'string',
  agentOptions: 'object',
  steps: 'count',
  numEnvs: 'count',
  seed: 'count',
};

/** Reads and checks a recipe file. @throws RecipeError naming the file and the bad field. */
export function loadRecipe(file: string): Recipe {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RecipeError('file', `cannot read recipe ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RecipeError('file', `recipe ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return checkRecipe(value, file);
}

/** Checks the shape of a parsed recipe. @throws RecipeError naming the bad field. */
export function checkRecipe(value: unknown, where = 'recipe'): Recipe {
  if (!isObject(value)) throw new RecipeError('file', `${where} must be a JSON object, got ${JSON.stringify(value)}`);
  for (const [key, v] of Object.entries(value)) {
    const kind = FIELDS[key as keyof Recipe];
    if (!kind) throw new RecipeError(key, `${where}: unknown field "${key}" (fields: ${Object.keys(FIELDS).join(', ')})`);
    const ok = kind === 'string' ? typeof v === 'string' && v.length > 0 : kind === 'object' ? isObject(v) : Number.isInteger(v) && (v as number) >= 0;
    if (!ok) {
      const expected = kind === 'string' ? 'a non-empty string' : kind === 'object' ? 'a JSON object' : 'a non-negative integer';
      throw new RecipeError(key, `${where}: field "${key}" must be ${expected}, got ${JSON.stringify(v)}`);
    }
  }
  return value as Recipe;
}

/** The train flags a recipe field sets. */
const FLAG_OF = { env: 'env', options: 'options', agent: 'agent', agentOptions: 'agent-options', steps: 'steps', numEnvs: 'num-envs', seed: 'seed' } as const;

/**
 * Lays `recipe` under the parsed train flags: a field fills its flag unless the command line gave that flag
 * (`given`: the flag names present in argv); the two option objects are merged, the command line's keys winning.
 */
export function applyRecipe<F extends Record<string, unknown>>(flags: F, recipe: Recipe, given: ReadonlySet<string>): F {
  const out: Record<string, unknown> = { ...flags };
  for (const [field, flag] of Object.entries(FLAG_OF) as Array<[keyof typeof FLAG_OF, string]>) {
    const value = recipe[field];
    if (value === undefined) continue;
    if (isObject(value)) out[flag] = { ...value, ...(given.has(flag) ? (flags[flag] as object) : {}) };
    else if (!given.has(flag)) out[flag] = value;
  }
  return out as F;
}

/** The names of the flags present in `argv` (`--name value` or `--name=value`). */
export function flagsGiven(argv: readonly string[]): Set<string> {
  return new Set(argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]!));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
