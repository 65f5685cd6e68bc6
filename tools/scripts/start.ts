/**
 * `npm start -- [--port P] [--host H] [--token T] [server flags] [--no-demo] [--demo-agent NAME] [--demo-options JSON]`:
 * builds the viewer when it is missing or stale, starts the environment server with it, starts a demo DQN
 * learning live on it, and prints the viewer's URL. Ctrl-C stops all of it.
 */
import { defineCommand, defineFlags, runMain } from '@rlfs/cli';
import { SERVER_FLAGS, serverOptionsFromFlags, startServer } from '@rlfs/env-server';
import { buildViewer, DIST, viewerBuildIsStale } from '../../packages/viewer/build';
import { DemoAgent } from './demo-agent';

/** npm start's own flags, after the server's. */
const START_FLAGS = defineFlags({
  'no-demo': { type: 'boolean', doc: 'do not start the demo agent' },
  'demo-agent': { type: 'string', placeholder: 'NAME', defaultText: 'dqn', doc: 'agent of the demo (see npm run train -- --help)' },
  'demo-options': { type: 'json', defaultText: '{}, the 5x5 GridWorld-v0 the DQN defaults are tuned for', doc: 'GridWorld options of the demo' },
});

const START_COMMAND = defineCommand({
  name: 'npm start',
  description: 'Starts the environment server with the viewer, and a demo agent learning on it.',
  flags: { ...SERVER_FLAGS, ...START_FLAGS },
});

async function main(): Promise<void> {
  const flags = START_COMMAND.parse(process.argv.slice(2));
  // The names the rest of main reads.
  const own = { 'no-demo': flags['no-demo'], 'demo-agent': flags['demo-agent'], 'demo-options': flags['demo-options'] && JSON.stringify(flags['demo-options']) };
  const parsed = { options: serverOptionsFromFlags(flags) };

  if (viewerBuildIsStale()) {
    console.log('building the viewer…');
    await buildViewer({ quiet: true });
  }
  const server = await startServer({ staticDir: DIST, ...parsed.options });

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

void runMain(main, { command: START_COMMAND });
