/**
 * The option table: each flag is plain data (type, default, doc line, placeholder, choices, range), and the type
 * of each parsed value follows from its entry, so call sites need no casts.
 */
import { UsageError } from './errors';
import { suggestion } from './did-you-mean';

interface FlagBase {
  /** One line for --help. */
  readonly doc: string;
  /** Placeholder in --help, e.g. "N" or "URL" (default: the type's name in capitals). */
  readonly placeholder?: string;
  /** Shown in --help instead of the default when the default is computed (e.g. "per agent"). */
  readonly defaultText?: string;
  /** Environment variable read when the flag is absent (an empty value counts as unset), e.g. RLFS_TOKEN. */
  readonly env?: string;
  /** Absent (and no default, no environment variable) is a usage error. */
  readonly required?: boolean;
}

export interface StringFlag extends FlagBase {
  readonly type: 'string';
  readonly default?: string;
  /** The accepted values; anything else is a usage error with a "did you mean". */
  readonly choices?: readonly string[];
}

export interface IntFlag extends FlagBase {
  readonly type: 'int';
  readonly default?: number;
  /** Smallest accepted value (inclusive). */
  readonly min?: number;
  /** Largest accepted value (inclusive). */
  readonly max?: number;
}

export interface NumberFlag extends FlagBase {
  readonly type: 'number';
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
}

/** `--flag` alone is true; `--flag=true` and `--flag=false` are accepted too. Always false when absent. */
export interface BooleanFlag extends FlagBase {
  readonly type: 'boolean';
  readonly default?: false;
}

/** A JSON object, e.g. `--options '{"size":8}'`. */
export interface JsonFlag extends FlagBase {
  readonly type: 'json';
  readonly default?: Readonly<Record<string, unknown>>;
}

/** A comma-separated list; repeating the flag adds to it (`--allow-origin A --allow-origin B`). */
export interface ListFlag extends FlagBase {
  readonly type: 'list';
  /** Type of each item (default string). */
  readonly of?: 'string' | 'int';
  readonly default?: readonly string[] | readonly number[];
  /** Accepted items of a string list. */
  readonly choices?: readonly string[];
  /** Range of each item of an int list. */
  readonly min?: number;
  readonly max?: number;
}

export type FlagSpec = StringFlag | IntFlag | NumberFlag | BooleanFlag | JsonFlag | ListFlag;
export type FlagTable = Readonly<Record<string, FlagSpec>>;

type Item<S> = S extends { readonly choices: readonly (infer C extends string)[] } ? C : S extends { readonly of: 'int' } ? number : string;
/** The parsed value of one flag entry. */
export type FlagValue<S> = S extends { readonly type: 'int' | 'number' }
  ? number
  : S extends { readonly type: 'boolean' }
    ? boolean
    : S extends { readonly type: 'json' }
      ? Record<string, unknown>
      : S extends { readonly type: 'list' }
        ? Item<S>[]
        : Item<S>;
type AlwaysSet<S> = S extends { readonly type: 'boolean' } ? true : S extends { readonly default: unknown } ? true : S extends { readonly required: true } ? true : false;

/** The parsed values of a table: a flag with a default (or required, or boolean) is always set. */
export type FlagValues<T extends FlagTable> = { -readonly [K in keyof T]: AlwaysSet<T[K]> extends true ? FlagValue<T[K]> : FlagValue<T[K]> | undefined };

/** Declares a table, keeping each entry's literal types (choices, defaults) so that parsed values are typed. */
export function defineFlags<const T extends FlagTable>(table: T): T {
  for (const [name, spec] of Object.entries(table)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new TypeError(`flag name "${name}": expected lower-case words joined by -`);
    if (name === 'help') throw new TypeError('--help is built in; do not declare it');
    if (spec.default !== undefined) convertDefault(name, spec);
  }
  return table;
}

/** The placeholder shown after the flag in --help ("" for a boolean). */
export function placeholderOf(spec: FlagSpec): string {
  if (spec.type === 'boolean') return '';
  if (spec.placeholder) return spec.placeholder;
  if (spec.type === 'list') return spec.of === 'int' ? 'N,N' : 'A,B';
  return spec.type === 'string' && spec.choices ? spec.choices.join('|') : spec.type.toUpperCase();
}

/** Converts one raw value of `--name` (for a list: one occurrence, possibly comma-separated). */
export function convert(name: string, spec: FlagSpec, raw: string): unknown {
  const flag = `--${name}`;
  switch (spec.type) {
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new UsageError(`${flag}: expected one of ${spec.choices.join(', ')}, got ${JSON.stringify(raw)}${suggestion(raw, spec.choices)}`);
      }
      return raw;
    case 'int':
    case 'number':
      return toNumber(flag, spec, raw);
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`${flag}: expected true or false (or ${flag} alone), got ${JSON.stringify(raw)}`);
      return raw === 'true';
    case 'json':
      return toJsonObject(flag, raw);
    case 'list':
      return toList(flag, spec, raw);
  }
}

function toNumber(flag: string, spec: IntFlag | NumberFlag | ListFlag, raw: string): number {
  const integer = spec.type !== 'number';
  const n = raw.trim() === '' ? NaN : Number(raw);
  const ok = integer ? Number.isSafeInteger(n) : Number.isFinite(n);
  if (!ok || (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
    throw new UsageError(`${flag}: expected ${describeRange(spec)}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** "an integer from 0 to 65535", "a number >= 0", "an integer". */
export function describeRange(spec: IntFlag | NumberFlag | ListFlag): string {
  const what = spec.type === 'number' ? 'a number' : 'an integer';
  if (spec.min !== undefined && spec.max !== undefined) return `${what} from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `${what} >= ${spec.min}`;
  if (spec.max !== undefined) return `${what} <= ${spec.max}`;
  return what;
}

function toJsonObject(flag: string, raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new UsageError(`${flag}: expected a JSON object, got ${raw} (quote it in the shell: ${flag} '{"size":8}')`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${flag}: expected a JSON object, got ${raw}`);
  return value as Record<string, unknown>;
}

function toList(flag: string, spec: ListFlag, raw: string): Array<string | number> {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`${flag}: expected a comma-separated list, got ${JSON.stringify(raw)}`);
  if (spec.of === 'int') return items.map((item) => toNumber(flag, spec, item));
  for (const item of items) {
    if (spec.choices && !spec.choices.includes(item)) {
      throw new UsageError(`${flag}: expected items from ${spec.choices.join(', ')}, got ${JSON.stringify(item)}${suggestion(item, spec.choices)}`);
    }
  }
  return items;
}

/** A table's own default must pass its own checks (a mistake in the table, so a TypeError). */
function convertDefault(name: string, spec: FlagSpec): void {
  try {
    if (spec.type === 'list') spec.default!.forEach((item) => convert(name, spec, String(item)));
    else if (spec.type === 'int' || spec.type === 'number' || spec.type === 'string') convert(name, spec, String(spec.default));
  } catch (err) {
    throw new TypeError(`default of --${name} fails its own check: ${(err as Error).message}`);
  }
}
