/**
 * `npm run check -- --url ws://HOST:PORT/ws [--env ID] [--options JSON] [--token T] [--seed S] [--steps N] [--only a,b]`:
 * runs the environment
 * checker against any server speaking protocol 1 and prints one pass/fail line per check; exits 1 on any failure.
 */
import { defineCommand, defineFlags, runMain, UsageError } from '@rlfs/cli';
import { RawSocket, runWireChecks, WIRE_CHECKS } from '../src/checker';

const CHECK_COMMAND = defineCommand({
  name: 'npm run check',
  usage: '--url ws://HOST:PORT/ws [options]',
  description: `Checks a server that speaks protocol 1 (ours or another's): handshake, every error code, precedence, pipelining,
seed and step determinism, observations inside their space, vector equals scalar, packed equals plain, render,
spectators, /healthz. Exits 0 when every check passes, 1 when one fails or the server cannot be reached.`,
  flags: defineFlags({
    url: { type: 'string', required: true, placeholder: 'URL', doc: "the server's socket, ws://HOST:PORT/ws" },
    env: { type: 'string', placeholder: 'ID', defaultText: 'GridWorld-v0', doc: 'the environment the environment checks run on (the protocol checks always use GridWorld-v0, which every protocol-1 server serves)' },
    options: { type: 'json', placeholder: 'JSON', defaultText: "the checks' own GridWorld options, or the environment's defaults", doc: 'its options' },
    token: { type: 'string', env: 'RLFS_TOKEN', placeholder: 'T', doc: "the server's token" },
    seed: { type: 'int', default: 0, min: 0, placeholder: 'S', doc: 'seed of the environments and the random actions' },
    steps: { type: 'int', default: 200, min: 1, placeholder: 'N', doc: 'steps each stepping check takes' },
    only: { type: 'list', choices: WIRE_CHECKS.map(([name]) => name), placeholder: 'a,b', doc: 'run only these checks' },
  }),
});

void runMain(async () => {
  const flags = CHECK_COMMAND.parse(process.argv.slice(2));
  const url = socketUrl(flags.url);
  await ensureReachable(url);
  console.log(`checking ${url}${flags.env ? ` with ${flags.env}` : ''}`);
  const report = await runWireChecks({ url, token: flags.token, seed: flags.seed, steps: flags.steps, env: flags.env, options: flags.options }, (r) => console.log(`${r.ok ? 'pass' : 'FAIL'}  ${r.name}${r.ok ? '' : `: ${r.message}`}`), flags.only);
  const failed = report.filter((r) => !r.ok).length;
  console.log(`${report.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}, { command: CHECK_COMMAND });

function socketUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url: expected ws://HOST:PORT/ws, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new UsageError(`--url: expected a ws:// or wss:// address, got ${JSON.stringify(raw)}`);
  return raw;
}

/** One socket opened first, so that a server that is not there is one line, not a failure per check. */
async function ensureReachable(url: string): Promise<void> {
  let raw: RawSocket;
  try {
    raw = await RawSocket.open(url);
  } catch (err) {
    throw new Error(`cannot connect to ${url}: ${whyNot(err)}`);
  }
  await raw.close();
}

function whyNot(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ETIMEDOUT') return 'timed out';
  if (code === 'ECONNRESET') return 'connection reset';
  return err instanceof Error ? err.message : String(err);
}
