/**
 * `npm run server -- [--port P] [--host H] [--token T] ...`: runs the environment server until SIGINT or SIGTERM.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadEnvModules, parseServerArgs, serverFlagsHelp, startServer } from '../src';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseServerArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`error: ${(err as Error).message}\n\nusage: npm run server -- [options]\n${serverFlagsHelp()}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(`usage: npm run server -- [options]\n\nRuns the rl-from-scratch environment server: WebSocket at /ws, GET /healthz, the viewer at /.\n\noptions:\n${serverFlagsHelp()}`);
    return;
  }
  const loaded = await loadEnvModules(parsed.envModules).catch((err: Error) => {
    console.error(`error: ${err.message}`);
    process.exit(1);
  });
  if (loaded.length > 0) console.log(`environments from --env-module: ${loaded.join(', ')}`);
  const viewerDist = resolve(__dirname, '../../viewer/dist');
  const server = await startServer({ staticDir: existsSync(viewerDist) ? viewerDist : undefined, ...parsed.options }).catch((err: Error) => {
    console.error(`error: ${err.message}`);
    process.exit(1);
  });
  console.log(`listening on ${server.url}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing every connection`);
    void server.close(1001).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
