/**
 * A small declarative flag parser for the train and eval commands: each flag has a type, a default and a doc
 * line, so that --help lists every option with its default and a bad value names the flag.
 */
/** `list`: comma-separated values; repeating the flag adds to the list. */
export type FlagType = 'string' | 'int' | 'json' | 'boolean' | 'list';

export interface FlagSpec {
  type: FlagType;
  doc: string;
  /** Shown in --help and used when the flag is absent; undefined means "unset". */
  default?: string | number | boolean | Record<string, unknown>;
  /** Shown in --help instead of the default when it is computed (e.g. "per agent"). */
  defaultText?: string;
  /** Placeholder in --help, e.g. "N" or "JSON". */
  meta?: string;
  /** Accepted values of a string flag. */
  choices?: readonly string[];
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;
export type ParsedFlags = Record<string, string | number | boolean | string[] | Record<string, unknown> | undefined>;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses `--flag value`, `--flag=value` and bare boolean `--flag`; unknown flags are refused. */
export function parseFlags(table: FlagTable, argv: readonly string[]): ParsedFlags {
  const out: ParsedFlags = {};
  for (const [name, spec] of Object.entries(table)) out[name] = spec.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}" (flags start with --; see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = table[name];
    if (!spec) throw new UsageError(`unknown flag --${name} (see --help)`);
    if (spec.type === 'boolean' && eq < 0) {
      out[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value (${spec.meta ?? spec.type})`);
    if (spec.type === 'list') {
      out[name] = [...((out[name] as string[] | undefined) ?? []), ...raw.split(',').filter((item) => item !== '')];
      continue;
    }
    out[name] = convert(name, spec, raw);
  }
  return out;
}

/** The --help text: usage line, then one line per flag with its default. */
export function helpText(usage: string, description: string, table: FlagTable): string {
  const rows = Object.entries(table).map(([name, spec]) => {
    const left = `  --${name}${spec.type === 'boolean' ? '' : ` ${spec.meta ?? spec.type.toUpperCase()}`}`;
    const def = spec.defaultText ?? (spec.default === undefined ? 'unset' : JSON.stringify(spec.default));
    const choices = spec.choices ? ` (${spec.choices.join('|')})` : '';
    return `${left.padEnd(30)} ${spec.doc}${choices} [default: ${def}]`;
  });
  return `${usage}\n\n${description}\n\nOptions:\n${rows.join('\n')}\n`;
}

function convert(name: string, spec: FlagSpec, raw: string): string | number | boolean | string[] | Record<string, unknown> {
  switch (spec.type) {
    case 'int': {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${raw}"`);
      return n;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`--${name} must be true or false, got "${raw}"`);
      return raw === 'true';
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw new UsageError(`--${name} must be a JSON object, got ${raw} (quote it: --${name} '{"size":8}')`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`--${name} must be a JSON object, got ${raw}`);
      return value as Record<string, unknown>;
    }
    case 'list':
      return raw.split(',');
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}, got "${raw}"`);
      return raw;
  }
}
