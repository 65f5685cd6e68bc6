/**
 * `npm run fleet -- [--servers N] [--port P] [-- server flags]`: N environment servers on free ports and HAProxy in
 * front of them on one machine (deploy/haproxy/haproxy.cfg, docs/fleet.md), for trying a fleet. Prints the URL;
 * `kill -TERM` a server's pid to watch it drain; Ctrl-C stops all of it.
 */
import { defineCommand, defineFlags, runMain, UsageError } from '@rlfs/cli';
import { buildViewer, viewerBuildIsStale } from '../../packages/viewer/build';
import { findHaproxy, HAPROXY_MISSING, startFleet } from './fleet-runner';

const FLEET_FLAGS = defineFlags({
  servers: { type: 'int', default: 3, min: 1, max: 64, placeholder: 'N', doc: 'environment servers to start' },
  port: { type: 'int', default: 8080, min: 0, max: 65535, placeholder: 'P', doc: 'HAProxy\'s port on 127.0.0.1 (0 picks a free one)' },
  'server-flag': { type: 'list', placeholder: 'FLAG', doc: 'a flag passed to every server, e.g. --server-flag=--max-sessions=100; repeatable' },
});

const FLEET_COMMAND = defineCommand({
  name: 'npm run fleet',
  description: 'Starts N environment servers and HAProxy in front of them (leastconn, health checks on /readyz, the viewer at /).',
  flags: FLEET_FLAGS,
});

async function main(): Promise<void> {
  const flags = FLEET_COMMAND.parse(process.argv.slice(2));
  const haproxy = findHaproxy();
  if (!haproxy) {
    console.error(`error: ${HAPROXY_MISSING}`);
    process.exit(1);
  }
  const serverArgs = flags['server-flag'] ?? [];
  const bad = serverArgs.find((arg) => !arg.startsWith('--'));
  if (bad !== undefined) throw new UsageError(`--server-flag: expected --NAME or --NAME=VALUE, e.g. --server-flag=--max-sessions=100, got ${JSON.stringify(bad)}`);
  if (viewerBuildIsStale()) {
    console.log('building the viewer…');
    await buildViewer({ quiet: true });
  }
  const fleet = await startFleet({ servers: flags.servers, port: flags.port, serverArgs, haproxy, log: (line) => console.log(line) });
  const list = fleet.servers.map((s) => `    ${s.name}  ${s.url}  pid ${s.process.pid}`).join('\n');
  console.log(`\n  a fleet of ${fleet.servers.length} environment servers behind HAProxy is running\n\n  WebSocket:   ${fleet.url}   (agents: --url ${fleet.url})\n  viewer:      ${fleet.httpUrl}\n  the fleet:   ${fleet.httpUrl}?servers=${fleet.servers.map((s) => s.url).join(',')}\n  servers:\n${list}\n\n  kill -TERM PID drains one server; Ctrl-C stops everything.\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping HAProxy and the servers…`);
    void fleet.stop().then(() => {
      console.log('stopped.');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // a server that ends by itself (drained by hand) is said so; the fleet goes on with the others
  for (const server of fleet.servers) void server.exited.then((code) => !stopping && console.log(`${server.name} exited (${code}); HAProxy sends new connections to the others`));
}

void runMain(main, { command: FLEET_COMMAND });
