/**
 * What train and eval share: the flags that choose the environment source and the backend, opening the source,
 * and the Ctrl-C latch. Exit codes and error printing are @rlfs/cli's runMain.
 */
import { defineFlags, suggestion, UsageError } from '@rlfs/cli';
import type { FlagValues } from '@rlfs/cli';
import { inProcessSource, remoteSource } from '../sources';
import type { EnvSource, OpenedEnv } from '../sources';
import { initBackend, currentBackend } from '../backend';

export const DEFAULT_ENV = 'GridWorld-v0';

/** Where the environment runs: in this process unless --url is given. */
export const SOURCE_FLAGS = defineFlags({
  url: { type: 'list', placeholder: 'URL', doc: 'run over the socket against ws://HOST:PORT/ws; several (--url A,B or --url A --url B) split --num-envs across the servers' },
  'in-process': { type: 'boolean', doc: 'run the environment core in this process (the default when --url is absent)' },
  encoding: { type: 'string', default: 'packed', choices: ['plain', 'packed'], doc: 'wire encoding of a remote session' },
  token: { type: 'string', env: 'RLFS_TOKEN', placeholder: 'T', doc: 'token of a server started with --token' },
});

export const BACKEND_FLAGS = defineFlags({
  backend: { type: 'string', default: 'auto', choices: ['auto', 'node', 'wasm', 'cpu'], doc: 'TensorFlow.js backend; auto tries node, wasm, cpu' },
});

/** The in-process core unless --url is given; both at once is a usage error. */
export function sourceFromFlags(flags: FlagValues<typeof SOURCE_FLAGS>, env: string, options: Record<string, unknown> | undefined, numEnvs: number, name: string): EnvSource {
  const { url, token, encoding } = flags;
  if (url && flags['in-process']) throw new UsageError('--url and --in-process exclude each other');
  const choice = { env, ...(options ? { options } : {}), ...(numEnvs ? { numEnvs } : {}) };
  if (!url) return inProcessSource(choice);
  if (url.length > 1 && numEnvs < url.length) {
    throw new UsageError(`--url: ${url.length} servers split a vector env of --num-envs N sub-envs, N >= ${url.length} (got ${numEnvs || 'a scalar env'})`);
  }
  return remoteSource({ ...choice, url, name, encoding, ...(token ? { token } : {}) });
}

/** Opens the source; an environment id it does not know is the user's mistake in --env (exit 2), with a suggestion. */
export async function openSource(source: EnvSource, envId: string): Promise<OpenedEnv> {
  try {
    return await source.open();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'UNKNOWN_ENV' || !(err instanceof Error)) throw err;
    // The core and the server both say "unknown environment X; known: A, B".
    const known = /known: (.*)$/.exec(err.message)?.[1]?.split(', ') ?? [];
    throw new UsageError(`--env: ${err.message}${suggestion(envId, known)}`);
  }
}

/** Forces the backend of --backend (before the agent exists); "auto" leaves it to the agent. */
export async function forceBackend(flags: FlagValues<typeof BACKEND_FLAGS>): Promise<void> {
  if (flags.backend === 'auto') return;
  await initBackend(flags.backend);
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
