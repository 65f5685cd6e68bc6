/**
 * `npm start -- [--port P] [--host H] [--token T] [server flags] [--no-demo] [--demo-agent NAME] [--demo-options JSON]`:
 * builds the viewer when it is missing or stale, starts the environment server with it, starts a demo DQN
 * learning live on it, and prints the viewer's URL. Ctrl-C stops all of it.
 */
import { parseArgs } from 'node:util';
import { loadEnvModules, parseServerArgs, serverFlagsHelp, startServer } from '@rlfs/env-server';
import { buildViewer, DIST, viewerBuildIsStale } from '../../packages/viewer/build';
import { DemoAgent } from './demo-agent';

const START_FLAGS_HELP = `  --no-demo                    do not start the demo agent
  --demo-agent NAME            agent of the demo (default dqn; see npm run train -- --help)
  --demo-options JSON          GridWorld options of the demo (default {}: the 5x5 GridWorld-v0 the DQN defaults are tuned for)`;

async function main(): Promise<void> {
  let parsed;
  let own;
  try {
    parsed = parseServerArgs(process.argv.slice(2), process.env, false);
    own = parseArgs({ args: parsed.rest, options: { 'no-demo': { type: 'boolean' }, 'demo-agent': { type: 'string' }, 'demo-options': { type: 'string' } } }).values;
    if (own['demo-options'] !== undefined) JSON.parse(own['demo-options']);
  } catch (err) {
    console.error(`error: ${(err as Error).message}\n\nusage: npm start -- [options]\n${serverFlagsHelp()}\n${START_FLAGS_HELP}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(`usage: npm start -- [options]\n\nStarts the environment server with the viewer, and a demo agent learning on it.\n\noptions:\n${serverFlagsHelp()}\n${START_FLAGS_HELP}`);
    return;
  }

  if (viewerBuildIsStale()) {
    console.log('building the viewer…');
    await buildViewer({ quiet: true });
  }
  const loaded = await loadEnvModules(parsed.envModules).catch((err: Error) => {
    console.error(`error: ${err.message}`);
    process.exit(1);
  });
  if (loaded.length > 0) console.log(`environments from --env-module: ${loaded.join(', ')}`);
  const server = await startServer({ staticDir: DIST, ...parsed.options }).catch((err: Error) => {
    console.error(`error: ${err.message}`);
    process.exit(1);
  });

  let demo: DemoAgent | undefined;
  if (!own['no-demo']) {
    if (DemoAgent.available()) {
      demo = new DemoAgent({
        url: server.url,
        token: server.options.token,
        name: `demo-${own['demo-agent'] ?? 'dqn'}`,
        agent: own['demo-agent'] ?? 'dqn',
        envOptions: own['demo-options'] ?? '{}',
        stepsPerRun: 200_000,
        log: (line) => console.log(`[demo] ${line}`),
      });
      demo.start();
    } else {
      console.log('the agents package is not there: no demo agent (the viewer still runs)');
    }
  }

  const viewer = server.httpUrl.endsWith('/') ? server.httpUrl : `${server.httpUrl}/`;
  console.log(`\n  rl-from-scratch is running\n\n  viewer:      ${viewer}\n  play:        ${viewer}play\n  WebSocket:   ${server.url}${server.options.token ? '\n  token:       required (open the viewer with ?token=…, or type it when asked)' : ''}\n  demo agent:  ${demo ? 'DQN learning on GridWorld-v0 (watch it in the viewer)' : 'none'}\n\n  Ctrl-C stops everything.\n`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the demo agent and the server…`);
    await demo?.stop();
    await server.close(1001);
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
