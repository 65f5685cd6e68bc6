/**
 * `npm run server -- [--port P] [--host H] [--token T] ...`: runs the environment server until a signal. SIGTERM
 * drains it (running episodes finish, up to --drain-timeout; what orchestrators send); SIGINT (Ctrl-C) closes every
 * connection at once, during a drain too. A second SIGTERM changes nothing (wrappers such as tsx may relay it twice).
 */
import { resolve } from 'node:path';
import { defineCommand, runMain } from '@rlfs/cli';
import { loadEnvModules, SERVER_FLAGS, serverOptionsFromFlags, startServer } from '../src';

const SERVER_COMMAND = defineCommand({
  name: 'npm run server',
  description: 'Runs the rl-from-scratch environment server: WebSocket at /ws, GET /healthz, the viewer at /.',
  flags: SERVER_FLAGS,
});

void runMain(async () => {
  const flags = SERVER_COMMAND.parse(process.argv.slice(2));
  const options = serverOptionsFromFlags(flags);
  const loaded = await loadEnvModules(flags['env-module'] ?? []);
  if (loaded.length > 0) console.log(`environments from --env-module: ${loaded.join(', ')}`);
  // Always the viewer's folder, built or not: the pages are looked up per request (`npm run server` builds them first).
  const viewerDist = resolve(__dirname, '../../viewer/dist');
  const server = await startServer({ staticDir: viewerDist, ...options });
  console.log(`listening on ${server.url}`);
  console.log(`viewer: ${server.httpUrl}\nplay: ${server.httpUrl}play`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing every connection`);
    void server.close(1001).then(() => process.exit(0));
  };
  const drain = (): void => {
    if (server.draining) return;
    const { sessions } = server.readiness();
    console.log(`SIGTERM: draining: ${sessions} sessions may finish their episodes within ${server.options.drainTimeout} ms (--drain-timeout); new ones are refused`);
    void server.drain().then(() => {
      console.log('drained: every connection closed');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', drain);
}, { command: SERVER_COMMAND });
