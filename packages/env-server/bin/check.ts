/**
 * `npm run check -- --url ws://HOST:PORT/ws [--token T] [--seed S] [--steps N] [--only a,b]`: runs the environment
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
  --token T        the server's token (default: RLFS_TOKEN if set)
  --seed S         seed of the environments and the random actions (default 0)
  --steps N        steps each stepping check takes (default 200)
  --only a,b       run only these checks: ${WIRE_CHECKS.map(([name]) => name).join(', ')}
  --help           print this help`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { url: { type: 'string' }, token: { type: 'string' }, seed: { type: 'string' }, steps: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean' } },
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
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const token = values.token ?? (process.env.RLFS_TOKEN || undefined);
  console.log(`checking ${values.url}`);
  const report = await runWireChecks({ url: values.url, token, seed, steps }, (r) => console.log(`${r.ok ? 'pass' : 'FAIL'}  ${r.name}${r.ok ? '' : `: ${r.message}`}`), only);
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
