/**
 * A command: its name as typed ("npm run server"), a description, its flag table, and an optional help epilogue.
 * `parse` turns argv into typed values, throwing `HelpRequested` for --help/-h and `UsageError` for any mistake.
 * node:util parseArgs splits the line (`--flag value`, `--flag=value`, `-h`, `--`); the table does the rest.
 */
import { parseArgs } from 'node:util';
import { HelpRequested, UsageError } from './errors';
import { convert, placeholderOf } from './flags';
import type { FlagSpec, FlagTable, FlagValues } from './flags';
import { suggestion } from './did-you-mean';
import { formatHelp } from './help';

export interface CommandSpec<T extends FlagTable> {
  /** As the user types it, e.g. "npm run server". */
  readonly name: string;
  /** What follows the name in the usage line (default "[options]"). */
  readonly usage?: string;
  /** A paragraph: what the command does. */
  readonly description: string;
  readonly flags: T;
  /** More help after the flag list (e.g. each agent's options); may be computed. */
  readonly epilog?: () => string | Promise<string>;
}

export interface Command<T extends FlagTable> extends CommandSpec<T> {
  /** argv (without node and the script) to typed values. @throws UsageError, HelpRequested */
  parse(argv: readonly string[], env?: Readonly<Record<string, string | undefined>>): FlagValues<T>;
  /** `parse`, plus the names of the flags the command line gave (for layering a file of settings under them). */
  parseDetailed(argv: readonly string[], env?: Readonly<Record<string, string | undefined>>): Parsed<T>;
  /** The full --help text. */
  help(): Promise<string>;
  /** "npm run server -- --help": how to see the help, for error hints. */
  readonly helpHint: string;
}

export interface Parsed<T extends FlagTable> {
  values: FlagValues<T>;
  /** Flags present on the command line (not those filled from a default or an environment variable). */
  given: ReadonlySet<keyof T & string>;
}

export function defineCommand<const T extends FlagTable>(spec: CommandSpec<T>): Command<T> {
  const helpHint = `${spec.name}${spec.name.startsWith('npm ') ? ' --' : ''} --help`;
  const help = async (): Promise<string> => formatHelp(spec, spec.epilog ? await spec.epilog() : undefined);
  const parseDetailed = (argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Parsed<T> => {
    try {
      return parseLine(spec.flags, argv, env, help);
    } catch (err) {
      if (err instanceof UsageError) err.hint ??= helpHint;
      throw err;
    }
  };
  return { ...spec, helpHint, help, parseDetailed, parse: (argv, env) => parseDetailed(argv, env).values };
}

function parseLine<T extends FlagTable>(table: T, argv: readonly string[], env: Readonly<Record<string, string | undefined>>, help: () => Promise<string>): Parsed<T> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, spec] of Object.entries(table)) options[name] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
  // Non-strict: unknown flags and positionals come back as tokens, so that we can answer them with "did you mean".
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) throw new HelpRequested(help);

  const given = new Map<string, unknown>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') throw new UsageError(`unexpected argument ${JSON.stringify(token.value)} (flags start with --)`);
    const spec = Object.hasOwn(table, token.name) ? table[token.name] : undefined;
    if (!spec) throw new UsageError(`unknown flag ${token.rawName}${suggestion(token.name, Object.keys(table), '--')}`);
    if (spec.type === 'boolean' && token.value === undefined) {
      given.set(token.name, true);
      continue;
    }
    if (token.value === undefined) throw new UsageError(`--${token.name} needs a value (${placeholderOf(spec)})`);
    const value = convert(token.name, spec, token.value);
    const before = given.get(token.name);
    given.set(token.name, spec.type === 'list' && Array.isArray(before) ? [...before, ...(value as unknown[])] : value);
  }

  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) values[name] = valueOf(name, spec, given, env);
  return { values: values as FlagValues<T>, given: new Set(given.keys()) as ReadonlySet<keyof T & string> };
}

/** Given on the line, else the environment variable, else the default; a copy, so that defaults stay intact. */
function valueOf(name: string, spec: FlagSpec, given: ReadonlyMap<string, unknown>, env: Readonly<Record<string, string | undefined>>): unknown {
  if (given.has(name)) return given.get(name);
  const fromEnv = spec.env ? env[spec.env] : undefined;
  if (fromEnv) {
    try {
      return convert(name, spec, fromEnv);
    } catch (err) {
      throw new UsageError(`${spec.env} (read for --${name}): ${(err as Error).message}`);
    }
  }
  if (spec.type === 'boolean') return false;
  if (spec.default !== undefined) return structuredClone(spec.default);
  if (spec.required) throw new UsageError(`--${name} is required (${spec.doc})`);
  return undefined;
}
