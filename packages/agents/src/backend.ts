/**
 * TensorFlow.js backend selection. `@tensorflow/tfjs-node` is an optional dependency: its install step
 * downloads libtensorflow, which fails on locked-down machines, so it is used only when it loads. Otherwise the
 * wasm backend (its .wasm binaries ship inside the npm package), then the pure-JS cpu backend.
 */
import * as path from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from './errors';

export const BACKENDS = ['node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** TFJS's own name for each of ours (tfjs-node registers itself as "tensorflow"). */
const TF_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

let current: BackendName | undefined;

/**
 * Makes TFJS use `wanted`, or the first of node, wasm, cpu that loads when `wanted` is "auto".
 * Idempotent: later calls with "auto" keep the backend already chosen.
 * @returns the backend in use
 * @throws BackendUnavailableError when a forced backend cannot be loaded
 */
export async function initBackend(wanted: BackendName | 'auto' = 'auto'): Promise<BackendName> {
  if (current && (wanted === 'auto' || wanted === current)) return current;
  const order: readonly BackendName[] = wanted === 'auto' ? BACKENDS : [wanted];
  const failures: string[] = [];
  for (const name of order) {
    const problem = await tryBackend(name);
    if (!problem) {
      current = name;
      return name;
    }
    failures.push(`${name}: ${problem}`);
  }
  throw new BackendUnavailableError(`no TensorFlow.js backend could be loaded (${failures.join('; ')})`);
}

/** The backend chosen by {@link initBackend}, if any. */
export function currentBackend(): BackendName | undefined {
  return current;
}

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKENDS as readonly string[]).includes(value);
}

async function tryBackend(name: BackendName): Promise<string | undefined> {
  try {
    if (name === 'node') {
      // A plain require: when the optional package is absent or its native binding fails, this throws.
      createRequire(__filename)('@tensorflow/tfjs-node');
    } else if (name === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the loader must be told where the .wasm files are: next to the package's main file in dist/.
      wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
    } else {
      await import('@tensorflow/tfjs-backend-cpu');
    }
    if (!(await tf.setBackend(TF_NAME[name]))) return 'setBackend failed';
    await tf.ready();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}
