/**
 * Option checking shared by the plugins: each plugin declares its defaults as one literal object and a schema
 * with a doc line per option; user options spread over the defaults, and anything unknown, of the wrong type or
 * out of range is refused with the option's name and what was expected.
 */
import { InvalidAgentOptionsError } from './errors';

export type OptionSchema =
  /** `auto: true` also accepts the string "auto": the plugin works the value out from the environment's spec. */
  | { type: 'number'; doc: string; min?: number; max?: number; integer?: boolean; minExclusive?: boolean; auto?: boolean }
  | { type: 'boolean'; doc: string }
  | { type: 'enum'; doc: string; values: readonly string[] }
  | { type: 'integers'; doc: string; min: number };

export type Schema<O> = { readonly [K in keyof O]: OptionSchema };

/**
 * Returns `defaults` overridden by `user`, every value checked against `schema`.
 * @throws InvalidAgentOptionsError naming the first bad option.
 */
export function resolveOptions<O extends object>(agent: string, defaults: O, schema: Schema<O>, user: unknown): O {
  if (user === undefined || user === null) return { ...defaults };
  if (typeof user !== 'object' || Array.isArray(user)) {
    throw new InvalidAgentOptionsError('options', `${agent} options must be an object, got ${describe(user)}`);
  }
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(user)) {
    const spec = (schema as Record<string, OptionSchema | undefined>)[key];
    if (!spec) {
      const known = Object.keys(schema).join(', ');
      throw new InvalidAgentOptionsError(key, `${agent} has no option "${key}" (known: ${known})`);
    }
    const problem = check(spec, value);
    if (problem) throw new InvalidAgentOptionsError(key, `${agent} option "${key}" must be ${problem}, got ${describe(value)}`);
    out[key] = Array.isArray(value) ? [...(value as number[])] : value;
  }
  return out as O;
}

/** One line per option, `name  default  doc`, for --help. */
export function describeOptions<O extends object>(defaults: O, schema: Schema<O>): string[] {
  return Object.entries(schema as Record<string, OptionSchema>).map(([key, spec]) => {
    const value = JSON.stringify((defaults as Record<string, unknown>)[key]);
    return `${key} (default ${value}): ${spec.doc}`;
  });
}

function check(spec: OptionSchema, value: unknown): string | undefined {
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value) ? undefined : `one of ${spec.values.map((v) => `"${v}"`).join(', ')}`;
    case 'integers': {
      const ok = Array.isArray(value) && value.length > 0 && value.every((v) => Number.isInteger(v) && v >= spec.min);
      return ok ? undefined : `a non-empty array of integers >= ${spec.min}`;
    }
    case 'number':
      return checkNumber(spec, value);
  }
}

function checkNumber(spec: Extract<OptionSchema, { type: 'number' }>, value: unknown): string | undefined {
  const parts = [spec.integer ? 'an integer' : 'a number'];
  if (spec.min !== undefined) parts.push(`${spec.minExclusive ? '>' : '>='} ${spec.min}`);
  if (spec.max !== undefined) parts.push(`<= ${spec.max}`);
  const expected = parts.join(' ') + (spec.auto ? ' or "auto"' : '');
  if (spec.auto && value === 'auto') return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return expected;
  if (spec.integer && !Number.isInteger(value)) return expected;
  if (spec.min !== undefined && (spec.minExclusive ? value <= spec.min : value < spec.min)) return expected;
  if (spec.max !== undefined && value > spec.max) return expected;
  return undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}
