/**
 * `npm run check -- --url ws://HOST:PORT/ws [--env ID] [--options JSON] [--token T] [--seed S] [--steps N] [--only a,b]`: runs the environment
 * checker against any server speaking protocol 1 and prints one pass/fail line per check; exits 1 on any failure.
 */
import { parseArgs } from 'node:util';
import { runWireChecks, WIRE_CHECKS } from '../src/checker';

const USAGE = `usage: npm run check -- --url ws://HOST:PORT/ws [options]

Checks a server that speaks protocol 1 (ours or another's): handshake, every error code, precedence, pipelining,
seed and step determinism, observations inside their space, vector equals scalar, packed equals plain, render,
spectators, /healthz.

options:
  --url URL        the server's socket (required)
  --env ID         the environment the environment checks run on (default GridWorld-v0; the protocol checks
                   always use GridWorld-v0, which every protocol-1 server serves)
  --options JSON   its options (default: the checks' own GridWorld options, or the environment's defaults)
  --token T        the server's token (default: RLFS_TOKEN if set)
  --seed S         seed of the environments and the random actions (default 0)
  --steps N        steps each stepping check takes (default 200)
  --only a,b       run only these checks: ${WIRE_CHECKS.map(([name]) => name).join(', ')}
  --help           print this help`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { url: { type: 'string' }, env: { type: 'string' }, options: { type: 'string' }, token: { type: 'string' }, seed: { type: 'string' }, steps: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.url) {
    console.error(`error: --url is required\n\n${USAGE}`);
    return 2;
  }
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  const steps = values.steps === undefined ? 200 : Number(values.steps);
  if (!Number.isInteger(seed) || seed < 0 || !Number.isInteger(steps) || steps < 1) {
    console.error('error: --seed must be an integer >= 0 and --steps an integer >= 1');
    return 2;
  }
  let options: Record<string, unknown> | undefined;
  if (values.options !== undefined) {
    try {
      options = JSON.parse(values.options) as Record<string, unknown>;
    } catch (error) {
      console.error(`error: --options: expected a JSON map, ${(error as Error).message}`);
      return 2;
    }
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      console.error(`error: --options: expected a JSON map, got ${values.options}`);
      return 2;
    }
  }
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const token = values.token ?? (process.env.RLFS_TOKEN || undefined);
  console.log(`checking ${values.url}${values.env ? ` with ${values.env}` : ''}`);
  const report = await runWireChecks({ url: values.url, token, seed, steps, env: values.env, options }, (r) => console.log(`${r.ok ? 'pass' : 'FAIL'}  ${r.name}${r.ok ? '' : `: ${r.message}`}`), only);
  const failed = report.filter((r) => !r.ok).length;
  console.log(`${report.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  },
);
