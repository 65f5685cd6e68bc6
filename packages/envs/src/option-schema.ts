/**
 * Options of a defined environment as a small schema: each option's type, default and range. Resolving user
 * options against it refuses unknown keys, wrong types and out-of-range values with an InvalidOptionsError that
 * names the option, exactly as GridWorld-v0's hand-written validation does.
 */
import { describeValue, InvalidOptionsError } from './errors';

export type OptionSpec =
  | { type: 'integer' | 'number'; default: number; min?: number; max?: number; description?: string }
  | { type: 'boolean'; default: boolean; description?: string }
  | { type: 'string'; default: string; choices?: readonly string[]; description?: string };

export type OptionsSchema = Readonly<Record<string, OptionSpec>>;

/** The resolved options a schema describes (`choices` given `as const` narrow a string to its choices). */
export type OptionsOf<S extends OptionsSchema> = {
  [K in keyof S]: S[K] extends { type: 'boolean' }
    ? boolean
    : S[K] extends { type: 'string'; choices: readonly (infer C)[] }
      ? C
      : S[K] extends { type: 'string' }
        ? string
        : number;
};

/** Every defined environment has this option (Gymnasium's TimeLimit): episodes are truncated after it. */
export const MAX_EPISODE_STEPS = 'maxEpisodeSteps';

/**
 * Validates `options` against `schema` (`undefined`/`null` means none) and returns every option, defaults filled
 * in. Resolving resolved options returns them unchanged. Throws InvalidOptionsError naming the first bad option.
 */
export function resolveOptions(schema: OptionsSchema, options: unknown, envId: string): Record<string, unknown> {
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    throw new InvalidOptionsError('options', `expected a map of options, got ${describeValue(options)}`);
  }
  const given = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(schema, key)) {
      const known = Object.keys(schema);
      throw new InvalidOptionsError(key, `unknown option; ${envId} options are ${known.length > 0 ? known.join(', ') : 'none'}`);
    }
  }
  const resolved: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const value = given[key];
    resolved[key] = value === undefined ? spec.default : checkValue(key, spec, value);
  }
  return resolved;
}

/** Checks a schema itself (defaults inside their own ranges), so a broken definition fails when it is defined. */
export function checkSchema(schema: OptionsSchema, envId: string): void {
  for (const [key, spec] of Object.entries(schema)) {
    try {
      checkValue(key, spec, spec.default);
    } catch (err) {
      throw new Error(`${envId}: the default of option ${key} is invalid: ${(err as Error).message}`);
    }
  }
}

function checkValue(key: string, spec: OptionSpec, value: unknown): unknown {
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new InvalidOptionsError(key, `expected true or false, got ${describeValue(value)}`);
      return value;
    case 'string':
      if (typeof value !== 'string') throw new InvalidOptionsError(key, `expected a string, got ${describeValue(value)}`);
      if (spec.choices && !spec.choices.includes(value)) {
        throw new InvalidOptionsError(key, `expected one of ${spec.choices.map((c) => JSON.stringify(c)).join(', ')}, got ${describeValue(value)}`);
      }
      return value;
    default: {
      const integer = spec.type === 'integer';
      const ok = typeof value === 'number' && (integer ? Number.isInteger(value) : Number.isFinite(value));
      const inRange = ok && (spec.min === undefined || value >= spec.min) && (spec.max === undefined || value <= spec.max);
      if (!inRange) throw new InvalidOptionsError(key, `expected ${describeRange(spec)}, got ${describeValue(value)}`);
      return (value as number) + 0; // -0 becomes 0
    }
  }
}

function describeRange(spec: { type: 'integer' | 'number'; min?: number; max?: number }): string {
  const what = spec.type === 'integer' ? 'an integer' : 'a finite number';
  if (spec.min !== undefined && spec.max !== undefined) return `${what} from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `${what} >= ${spec.min}`;
  if (spec.max !== undefined) return `${what} <= ${spec.max}`;
  return what;
}
