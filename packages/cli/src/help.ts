/**
 * The --help text: usage line, description, then one line per flag with its placeholder, doc, accepted values
 * and default.
 */
import type { FlagSpec, FlagTable } from './flags';
import { describeRange, placeholderOf } from './flags';

interface HelpSource {
  readonly name: string;
  readonly usage?: string;
  readonly description: string;
  readonly flags: FlagTable;
}

/** The widest flag column before a doc line starts on its own column anyway. */
const MAX_LEFT = 34;

export function formatHelp(command: HelpSource, epilog?: string): string {
  const rows: Array<[string, string]> = Object.entries(command.flags).map(([name, spec]) => {
    const placeholder = placeholderOf(spec);
    return [`--${name}${placeholder ? ` ${placeholder}` : ''}`, `${spec.doc}${accepted(spec)} [default: ${defaultOf(spec)}]`];
  });
  rows.push(['-h, --help', 'print this help and exit']);
  const width = Math.min(MAX_LEFT, Math.max(...rows.map(([left]) => left.length)));
  const lines = rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
  const usage = `usage: ${command.name}${command.name.startsWith('npm ') ? ' --' : ''} ${command.usage ?? '[options]'}`;
  const text = `${usage}\n\n${command.description}\n\noptions:\n${lines.join('\n')}\n`;
  return epilog ? `${text}\n${epilog.replace(/\n*$/, '\n')}` : text;
}

function accepted(spec: FlagSpec): string {
  // A string flag with choices and no placeholder shows them as its placeholder already.
  if (spec.type === 'string' && spec.choices && !spec.placeholder) return '';
  if ((spec.type === 'string' || spec.type === 'list') && spec.choices) return ` (${spec.choices.join(', ')})`;
  if (spec.type === 'int' || spec.type === 'number' || (spec.type === 'list' && spec.of === 'int')) {
    return spec.min === undefined && spec.max === undefined ? '' : ` (${describeRange(spec).replace(/^an? /, '')})`;
  }
  return '';
}

function defaultOf(spec: FlagSpec): string {
  const fallback = spec.defaultText ?? (spec.required ? 'none, required' : show(spec));
  return spec.env ? `$${spec.env} if set, else ${fallback}` : fallback;
}

function show(spec: FlagSpec): string {
  if (spec.type === 'boolean') return 'false';
  if (spec.default === undefined) return 'none';
  if (spec.type === 'json') return JSON.stringify(spec.default);
  if (spec.type === 'list') return spec.default.join(',');
  return String(spec.default);
}
