/**
 * Runs one documentation example as a reader would: shell blocks with bash, TypeScript blocks saved to a file and run
 * with tsx (as `npx tsx FILE` does), Python blocks with Debian's /usr/bin/python3.
 *
 * Every page gets its own working folder: a fresh temporary folder holding a symbolic link to each top-level entry of
 * the repository (package.json, node_modules, packages, tools, examples, docs, ...) but none of `runs/`, `.git` or the
 * test results. Commands such as `npm run train -- --out runs/x` then work as they do at the top of a clone, and what
 * they write (`runs/`, saved files) lands in the temporary folder, never over a reader's own runs. Python examples
 * see the repository's Python package (`packages/python/src`, where it exists) on PYTHONPATH.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { BlockKind, DocBlock } from './blocks';

/** Top-level entries of the repository a page's working folder does not get. */
const NOT_LINKED = new Set(['.git', 'runs', 'test-results', '.nx', 'coverage']);

/** Creates a page's working folder (see the file comment). The caller removes it with `removeWorkspace`. */
export function makeWorkspace(repo: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlfs-docs-'));
  for (const entry of readdirSync(repo)) {
    if (!NOT_LINKED.has(entry)) symlinkSync(join(repo, entry), join(dir, entry));
  }
  return dir;
}

export function removeWorkspace(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes a `<!-- file: PATH -->` block into the working folder. */
export function saveBlock(dir: string, block: DocBlock): void {
  const path = join(dir, block.saveAs!);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, block.text);
}

export interface RunOptions {
  /** The repository (for its tsx). */
  repo: string;
  /** The page's working folder, the example's current directory. */
  cwd: string;
  /** The example's text, already pointed at the live server. */
  text: string;
  /** Name of the file the example is saved as (without extension). */
  name: string;
  /** The example is killed, with its children, after this many milliseconds. */
  timeoutMs: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** The Python that runs Python examples (and shell examples that call python3): Debian's, as the docs say. */
export const PYTHON = '/usr/bin/python3';

/** Runs an example in `cwd` and resolves when it has exited (never rejects). */
export function runExample(kind: BlockKind, options: RunOptions): Promise<RunResult> {
  const { cwd, text, name } = options;
  let command: string;
  let args: string[];
  if (kind === 'shell') {
    const file = join(cwd, `${name}.sh`);
    writeFileSync(file, text);
    command = 'bash';
    args = ['-eo', 'pipefail', file];
  } else if (kind === 'typescript') {
    const file = join(cwd, `${name}.ts`);
    writeFileSync(file, text);
    command = join(options.repo, 'node_modules/.bin/tsx');
    args = [file];
  } else {
    const file = join(cwd, `${name}.py`);
    writeFileSync(file, text);
    command = PYTHON;
    args = [file];
  }
  return runCommand(command, args, cwd, options.repo, options.timeoutMs);
}

/**
 * Typechecks the page's TypeScript files (examples and saved files) together, with the repository's compiler
 * settings, so that a renamed type breaks the test as a renamed value does when the example runs.
 */
export function typecheckFiles(cwd: string, repo: string, files: readonly string[], timeoutMs: number): Promise<RunResult> {
  const config = { extends: './tsconfig.base.json', compilerOptions: { noEmit: true, types: ['node'] }, files };
  writeFileSync(join(cwd, 'tsconfig.docs.json'), JSON.stringify(config));
  return runCommand(join(repo, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.docs.json'], cwd, repo, timeoutMs);
}

/** Runs a command in `cwd`, its process group killed after `timeoutMs`; resolves when it has exited (never rejects). */
function runCommand(command: string, args: string[], cwd: string, repo: string, timeoutMs: number): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env.JEST_WORKER_ID;
  // The Python package of the repository (`import rlfs`), where there is one, as an installed copy would be.
  const pythonSrc = join(repo, 'packages/python/src');
  if (existsSync(pythonSrc)) env.PYTHONPATH = env.PYTHONPATH ? `${pythonSrc}${delimiter}${env.PYTHONPATH}` : pythonSrc;
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let timedOut = false;
    // The example's own children (npm runs tsx runs node) share its process group: kill the group.
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, timedOut, stdout, stderr: `${stderr}${err.message}\n` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid); // anything the example left running in the background
      resolve({ code, signal, timedOut, stdout, stderr });
    });
  });
}

/** A failed run as a message: the page, the line, the example and the end of its output. */
export function describeFailure(file: string, block: DocBlock, result: RunResult): string {
  const why = result.timedOut ? 'did not finish in time' : result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
  return [
    `${file}:${block.line}: the ${block.lang} example ${why}`,
    '--- example ---',
    block.text.trimEnd(),
    '--- stdout (end) ---',
    tail(result.stdout),
    '--- stderr (end) ---',
    tail(result.stderr),
  ].join('\n');
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
