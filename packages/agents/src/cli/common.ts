/**
 * What train and eval share: choosing the environment source from the flags, the backend, error printing,
 * and the Ctrl-C latch.
 */
import type { Encoding } from '@rlfs/protocol';
import { inProcessSource, remoteSource } from '../sources';
import type { EnvSource } from '../sources';
import { initBackend, currentBackend, isBackendName } from '../backend';
import type { ParsedFlags } from './args';
import { UsageError } from './args';

export const DEFAULT_ENV = 'GridWorld-v0';

/** The in-process core unless --url is given; both at once is a usage error. */
export function sourceFromFlags(flags: ParsedFlags, env: string, options: Record<string, unknown> | undefined, numEnvs: number, name: string): EnvSource {
  const url = flags.url as string | undefined;
  if (url && flags['in-process']) throw new UsageError('--url and --in-process exclude each other');
  const choice = { env, ...(options ? { options } : {}), ...(numEnvs ? { numEnvs } : {}) };
  if (!url) return inProcessSource(choice);
  const token = (flags.token as string | undefined) ?? process.env.RLFS_TOKEN;
  return remoteSource({ ...choice, url, name, encoding: flags.encoding as Encoding, ...(token ? { token } : {}) });
}

/** Forces the backend of --backend (before the agent exists); "auto" leaves it to the agent. */
export async function forceBackend(flags: ParsedFlags): Promise<void> {
  const wanted = flags.backend as string;
  if (wanted === 'auto') return;
  if (!isBackendName(wanted)) throw new UsageError(`--backend must be auto, node, wasm or cpu, got "${wanted}"`);
  await initBackend(wanted);
}

/** "wasm", or a note that the agent does not use TensorFlow.js. */
export function backendLabel(): string {
  return currentBackend() ?? 'none (this agent does not use TensorFlow.js)';
}

/** Ctrl-C: the first asks for a clean stop (the caller saves and exits), the second exits at once. */
export function stopLatch(onFirst: () => void): { readonly stopped: boolean } {
  const latch = { stopped: false };
  process.on('SIGINT', () => {
    if (latch.stopped) process.exit(130);
    latch.stopped = true;
    onFirst();
  });
  return latch;
}

/** Prints an error the way a user can act on it (no stack for expected errors) and returns the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const expected = 'code' in e;
  process.stderr.write(`error: ${e.message}\n${expected || !e.stack ? '' : e.stack + '\n'}`);
  return 1;
}

/** Runs `main` and exits with its code; the wasm runtime rethrows unhandled errors, so nothing may escape. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => process.exit(reportError(err)),
  );
}
