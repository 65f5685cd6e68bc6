/**
 * The Python client's rows (issue 12): `python-scalar` round trips per second, and `python-vector-packed` at N=1024
 * with its ratio to the Node client doing the same workload against the same server in the same run. Skipped with
 * one line when no python3 here has the rlfs package's modules.
 */
import { execFile, execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { BenchConfig } from './config';
import { withPair } from './loopback';
import type { Row } from './report';

const ROOT = resolve(__dirname, '../../..');
const SCRIPT = join(__dirname, 'python_client.py');
/** The vector size of the python-vector-packed row. */
export const PYTHON_VECTOR_N = 1024;
const MODULES = 'import numpy, msgpack, websocket';

/** Debian's python3 first: a pyenv python3 earlier on PATH does not see Debian's modules. */
export function findPython(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(candidate, ['-c', MODULES], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not there, or without the modules: try the next
    }
  }
  return undefined;
}

export async function pythonRows(config: BenchConfig): Promise<Row[]> {
  const python = findPython();
  if (!python) {
    console.log('python rows: skipped: no python3 with numpy, msgpack and websocket-client (apt-get install python3-numpy python3-msgpack python3-websocket)');
    return [];
  }
  const warmupS = config.vector.warmupMs / 1000;
  const durationS = config.vector.durationMs / 1000;
  return withPair(async (pair) => {
    const url = pair.info.url;
    const scalar = await runPython<{ roundTripsPerS: number }>(python, ['scalar', url, String(warmupS), String(durationS)]);
    // Node and Python alternate twice on the same server; each keeps its better run, so that a burst of load from
    // elsewhere on the machine does not decide the ratio.
    let node = 0;
    let py = 0;
    for (let round = 0; round < 2; round++) {
      const n = await pair.client.call<{ envStepsPerS: number }>(
        { cmd: 'vector', url, numEnvs: PYTHON_VECTOR_N, encoding: 'packed', ...config.vector },
        config.vector.durationMs + 60_000,
      );
      node = Math.max(node, n.envStepsPerS);
      const p = await runPython<{ envStepsPerS: number }>(python, ['vector', url, String(warmupS), String(durationS), String(PYTHON_VECTOR_N)]);
      py = Math.max(py, p.envStepsPerS);
    }
    return [
      { workload: 'python-scalar', metric: 'round_trips_per_s', value: scalar.roundTripsPerS, unit: '1/s' },
      { workload: 'python-vector-packed', n: PYTHON_VECTOR_N, metric: 'env_steps_per_s', value: py, unit: '1/s' },
      { workload: 'python-vector-packed', n: PYTHON_VECTOR_N, metric: 'ratio_to_node', value: py / node, unit: 'x' },
    ];
  });
}

function runPython<T>(python: string, args: string[]): Promise<T> {
  const env = { ...process.env, PYTHONPATH: join(ROOT, 'packages/python/src'), PYTHONDONTWRITEBYTECODE: '1' };
  return new Promise((resolvePromise, reject) => {
    execFile(python, [SCRIPT, ...args], { env, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python bench client failed: ${err.message}\n${stderr}`));
      else resolvePromise(JSON.parse(stdout.trim().split('\n').pop()!) as T);
    });
  });
}
