/**
 * `npm start -- [--port P] [--host H] [--token T] [server flags] [--no-demo] [--demo-agent NAME] [--demo-options JSON]
 * [--demo-dir DIR] [--fresh]`: builds the viewer when it is missing or stale, starts the environment server with
 * it, starts a demo agent (DQN unless told) learning live on it in runs/demo, resuming what an earlier start
 * learned there, and prints the viewer's URL. Ctrl-C stops all of it; the demo saves its checkpoint first.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { defineCommand, defineFlags, runMain, UsageError } from '@rlfs/cli';
import { loadEnvModules, SERVER_FLAGS, serverOptionsFromFlags, startServer } from '@rlfs/env-server';
import { buildViewer, DIST, viewerBuildIsStale } from '../../packages/viewer/build';
import { DemoAgent, readDemoCheckpoint, ROOT } from './demo-agent';
import type { DemoCheckpoint } from './demo-agent';

/** npm start's own flags, after the server's. */
const START_FLAGS = defineFlags({
  'no-demo': { type: 'boolean', doc: 'do not start the demo agent' },
  'demo-agent': { type: 'string', placeholder: 'NAME', defaultText: 'dqn', doc: 'agent of the demo (see npm run train -- --help)' },
  'demo-options': { type: 'json', defaultText: '{}, the 5x5 GridWorld-v0 the DQN defaults are tuned for', doc: 'GridWorld options of the demo' },
  'demo-dir': { type: 'string', placeholder: 'DIR', defaultText: 'runs/demo', doc: 'the demo\'s run folder, resumed on the next start' },
  fresh: { type: 'boolean', doc: 'delete the demo\'s run folder and start learning from scratch' },
  servers: { type: 'list', placeholder: 'URL', doc: 'other servers\' WebSocket URLs (ws://host:port/ws) whose sessions the viewer lists beside this one\'s (a fleet; they must allow this page, e.g. --allow-host 127.0.0.1); repeatable' },
});

const START_COMMAND = defineCommand({
  name: 'npm start',
  description: 'Starts the environment server with the viewer, and a demo agent learning on it.',
  flags: { ...SERVER_FLAGS, ...START_FLAGS },
});

async function main(): Promise<void> {
  const flags = START_COMMAND.parse(process.argv.slice(2));
  // The names the rest of main reads.
  const own = {
    'no-demo': flags['no-demo'],
    'demo-agent': flags['demo-agent'],
    'demo-options': flags['demo-options'] && JSON.stringify(flags['demo-options']),
    'demo-dir': flags['demo-dir'],
    fresh: flags.fresh,
  };
  const parsed = { options: serverOptionsFromFlags(flags) };
  const notWs = flags.servers?.find((url) => !/^wss?:\/\/[^/]+/.test(url));
  if (notWs !== undefined) throw new UsageError(`--servers: expected WebSocket URLs such as ws://127.0.0.1:8081/ws, got ${JSON.stringify(notWs)}`);

  const runDir = resolve(own['demo-dir'] ?? join(ROOT, 'runs', 'demo'));
  let plan: DemoPlan | undefined;
  if (!own['no-demo']) {
    try {
      plan = planDemo(runDir, { fresh: own.fresh ?? false, agent: own['demo-agent'], options: own['demo-options'] });
    } catch (err) {
      console.error(`error: ${(err as Error).message}`);
      process.exit(2);
    }
  }

  if (viewerBuildIsStale()) {
    console.log('building the viewer…');
    await buildViewer({ quiet: true });
  }
  const loaded = await loadEnvModules(flags['env-module'] ?? []);
  if (loaded.length > 0) console.log(`environments from --env-module: ${loaded.join(', ')}`);
  const server = await startServer({ staticDir: DIST, ...parsed.options });

  let demo: DemoAgent | undefined;
  if (plan) {
    if (DemoAgent.available()) {
      demo = new DemoAgent({
        url: server.url,
        token: server.options.token,
        name: `demo-${plan.agent}`,
        agent: plan.agent,
        envOptions: own['demo-options'] ?? '{}',
        runDir,
        stepsPerRun: 200_000,
        log: (line) => console.log(`[demo] ${line}`),
      });
      demo.start();
    } else {
      console.log('the agents package is not there: no demo agent (the viewer still runs)');
    }
  }

  const base = server.httpUrl.endsWith('/') ? server.httpUrl : `${server.httpUrl}/`;
  const viewer = flags.servers?.length ? `${base}?servers=${[server.url, ...flags.servers].join(',')}` : base;
  console.log(`\n  rl-from-scratch is running\n\n  viewer:      ${viewer}\n  play:        ${base}play\n  WebSocket:   ${server.url}${server.options.token ? '\n  token:       required (open the viewer with ?token=…, or type it when asked)' : ''}\n  demo agent:  ${demo && plan ? demoLine(plan, runDir) : 'none'}\n\n  Ctrl-C stops everything.\n`);

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

interface DemoPlan {
  agent: string;
  /** The checkpoint the demo resumes from, if its run folder holds one. */
  resumed?: DemoCheckpoint;
}

/**
 * What the demo will do with its run folder: resume it (with the agent and world it holds), or, with `fresh`, delete
 * it first. Refuses an agent or world that differs from the folder's: the checkpoint cannot load into them.
 */
function planDemo(runDir: string, wanted: { fresh: boolean; agent?: string; options?: string }): DemoPlan {
  if (wanted.fresh && existsSync(runDir)) {
    const entries = readdirSync(runDir);
    if (entries.length > 0 && !entries.includes('checkpoint') && !entries.includes('episodes.csv')) {
      throw new Error(`--fresh would delete ${runDir}, which does not look like a run folder (no checkpoint/, no episodes.csv); delete it yourself or pick another --demo-dir`);
    }
    rmSync(runDir, { recursive: true, force: true });
  }
  let resumed: DemoCheckpoint | undefined;
  try {
    resumed = readDemoCheckpoint(runDir);
  } catch (err) {
    throw new Error(`${(err as Error).message}; add --fresh to start the demo over`);
  }
  const agent = wanted.agent ?? resumed?.agent ?? 'dqn';
  if (resumed && agent !== resumed.agent) {
    throw new Error(`${runDir} holds a ${resumed.agent} demo (step ${resumed.steps}); --demo-agent ${agent} needs --fresh (which deletes it) or another --demo-dir`);
  }
  if (resumed && wanted.options !== undefined) {
    const options = JSON.parse(wanted.options) as Record<string, unknown>;
    const differ = Object.keys(options).filter((key) => JSON.stringify(options[key]) !== JSON.stringify(resumed!.envOptions[key]));
    if (differ.length > 0) {
      throw new Error(`${runDir} holds a demo on ${JSON.stringify(resumed.envOptions)}; --demo-options differs in ${differ.join(', ')}: add --fresh (which deletes it) or pick another --demo-dir`);
    }
  }
  return { agent, ...(resumed ? { resumed } : {}) };
}

function demoLine(plan: DemoPlan, runDir: string): string {
  const inside = relative(process.cwd(), runDir);
  const shown = inside && !inside.startsWith('..') ? inside : runDir;
  const where = plan.resumed
    ? `${plan.resumed.envId}, resuming at step ${plan.resumed.steps} (episode ${plan.resumed.episodes})`
    : 'GridWorld-v0, from scratch';
  return `${plan.agent} learning on ${where} (watch it in the viewer)\n  run folder:  ${shown} (kept; npm start -- --fresh starts over)`;
}
