/** The pages whose examples the docs test runs, and what a page's Python examples need. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON } from './run-block';

/** README.md, docs/*.md and examples/NAME/README.md, as paths relative to the repository, in a fixed order. */
export function listPages(repo: string): string[] {
  const pages = ['README.md'];
  const docs = join(repo, 'docs');
  if (existsSync(docs)) pages.push(...readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`));
  const examples = join(repo, 'examples');
  if (existsSync(examples)) {
    for (const name of readdirSync(examples).sort()) {
      if (existsSync(join(examples, name, 'README.md'))) pages.push(`examples/${name}/README.md`);
    }
  }
  return pages;
}

/** Debian modules the Python examples import. */
export const PYTHON_MODULES = ['msgpack', 'websockets'];

/** Why Python examples cannot run here (one line saying what to install), or undefined when they can. */
export function pythonMissing(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', `import ${PYTHON_MODULES.join(', ')}`], { stdio: 'ignore' });
  if (probe.status === 0) return undefined;
  return `${PYTHON} lacks ${PYTHON_MODULES.join(' or ')}: apt-get install python3-msgpack python3-websockets`;
}

/** True for an example that needs Debian's Python modules: it imports them, or runs the Python example client. */
export function needsPythonModules(text: string): boolean {
  return /\b(?:msgpack|websockets?)\b|examples\/python\//.test(text);
}
