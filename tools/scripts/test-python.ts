/**
 * For tests that run Python: finds a python3 that imports the modules they need (Debian's /usr/bin/python3 first,
 * where `.ci/run` installs them with apt-get; then the python3 on PATH; or only `RLFS_PYTHON` when set), or says in
 * one line what to install.
 * Imported by the test files of several packages (relative path: this is test plumbing, not a package API).
 */
import { spawnSync } from 'node:child_process';

/** The Debian package that provides each Python module our tests import. */
export const DEBIAN_PACKAGE: Record<string, string> = {
  msgpack: 'python3-msgpack',
  websockets: 'python3-websockets',
  websocket: 'python3-websocket',
  numpy: 'python3-numpy',
  pytest: 'python3-pytest',
  torch: 'python3-torch',
};

export const DEBIAN_PYTHON = '/usr/bin/python3';

export type PythonCheck = { python: string; skipReason?: undefined } | { python?: undefined; skipReason: string };

/**
 * The first python3 that imports every module of `modules` (none: the standard library only), else the reason to
 * skip: `no msgpack, websockets under /usr/bin/python3: apt-get install python3-msgpack python3-websockets`.
 */
export function findPython(modules: readonly string[], candidates: readonly string[] = process.env.RLFS_PYTHON ? [process.env.RLFS_PYTHON] : [DEBIAN_PYTHON, 'python3']): PythonCheck {
  const code = modules.length ? `import ${modules.join(', ')}` : 'pass';
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['-c', code], { stdio: 'ignore', timeout: 60_000 }).status === 0) return { python: candidate };
  }
  const packages = ['python3', ...modules.map((m) => DEBIAN_PACKAGE[m] ?? `python3-${m}`)];
  const what = modules.length ? `no ${modules.join(', ')} under ${candidates.join(' or ')}` : `no ${candidates.join(' or ')}`;
  return { skipReason: `${what}: apt-get install ${packages.join(' ')}` };
}

/** Prints the one line a skipping test file says (stderr, outside Jest's console decoration). */
export function announceSkip(file: string, reason: string): void {
  process.stderr.write(`${file}: skipped: ${reason}\n`);
}
