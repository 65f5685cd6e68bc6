/**
 * The server's command-line flags, shared by `npm run server` and `npm start` (which adds its own to the table).
 * A new server option is one entry here and one line in `serverOptionsFromFlags`.
 */
import { defineFlags, UsageError } from '@rlfs/cli';
import type { FlagValues } from '@rlfs/cli';
import type { ServerOptions } from './options';
import { DEFAULT_SERVER_OPTIONS as D, resolveServerOptions } from './options';

const INT32 = 2 ** 31 - 1;

export const SERVER_FLAGS = defineFlags({
  port: { type: 'int', default: D.port, min: 0, max: 65535, placeholder: 'P', doc: 'port to listen on; 0 picks a free one' },
  host: { type: 'string', default: D.host, placeholder: 'H', doc: 'address to bind (the default is this machine only)' },
  token: { type: 'string', env: 'RLFS_TOKEN', placeholder: 'T', doc: 'require this token in hello' },
  'allow-origin': { type: 'list', placeholder: 'ORIGIN', doc: 'browser origin allowed to open the socket besides the server\'s own pages; repeatable' },
  'allow-host': { type: 'list', placeholder: 'NAME', doc: 'host name the Host header may name besides the bound address (and localhost on a loopback bind); repeatable' },
  'max-payload': { type: 'int', default: D.maxPayload, min: 64, max: INT32, placeholder: 'BYTES', doc: 'largest message; past it the connection closes with 1009' },
  'max-connections': { type: 'int', default: D.maxConnections, min: 1, max: 1_000_000, placeholder: 'N', doc: 'connections held at once' },
  'max-connections-per-address': { type: 'int', default: D.maxConnectionsPerAddress, min: 1, max: 1_000_000, placeholder: 'N', doc: 'connections held at once from one remote address' },
  'hello-timeout': { type: 'int', default: D.helloTimeout, min: 1, max: INT32, placeholder: 'MS', doc: 'time a new connection has to send hello before it is closed' },
  heartbeat: { type: 'int', default: D.heartbeat, min: 0, max: INT32, placeholder: 'MS', doc: 'time between pings; a peer silent for two of them is dropped; 0 turns them off' },
  'max-queued-requests': { type: 'int', default: D.maxQueuedRequests, min: 1, max: 1_000_000, placeholder: 'N', doc: 'requests waiting on one connection while its replies are not read; past it the connection is closed' },
  'max-reply-bytes': { type: 'int', default: D.maxReplyBytes, min: 1024, max: INT32, placeholder: 'BYTES', doc: 'largest plain reply or render, estimated before it is built; larger requests are refused' },
  'max-num-envs': { type: 'int', default: D.maxNumEnvs, min: 1, max: 1_000_000, placeholder: 'N', doc: 'largest numEnvs of a vector session' },
  'max-session-bytes': { type: 'int', default: D.maxSessionBytes, min: 1024, placeholder: 'BYTES', doc: 'memory one session\'s environments may hold' },
  'spectator-high-water': { type: 'int', default: D.spectatorHighWater, min: 1024, max: INT32, placeholder: 'BYTES', doc: 'bytes queued to a spectator before frames are coalesced' },
  'max-spectator-queue': { type: 'int', default: D.maxSpectatorQueue, min: 1, max: 10_000_000, placeholder: 'N', doc: 'events kept for a spectator that does not read' },
  'max-spectator-queue-bytes': { type: 'int', default: D.maxSpectatorQueueBytes, min: 1024, max: INT32, placeholder: 'BYTES', doc: 'bytes of events kept for a spectator that does not read' },
  'spectator-stall': { type: 'int', default: D.spectatorStall, min: 1, max: INT32, placeholder: 'MS', doc: 'time a spectator may stay above its high-water mark or read window before it is closed' },
  'spectator-read-window': { type: 'int', default: D.spectatorReadWindow, min: 4096, max: INT32, placeholder: 'BYTES', doc: 'bytes sent to a spectator and not yet read (as its pongs say) before frames are coalesced' },
  'agent-high-water': { type: 'int', default: D.agentHighWater, min: 1024, max: INT32, placeholder: 'BYTES', doc: 'bytes of unread replies before an agent\'s requests are paused' },
  'max-sessions': { type: 'int', default: D.maxSessions, min: 1, max: 1_000_000, placeholder: 'N', doc: 'agent sessions held at once; at it /readyz answers 503 and make is refused with UNAVAILABLE' },
  'drain-timeout': { type: 'int', default: D.drainTimeout, min: 0, max: INT32, placeholder: 'MS', doc: 'on SIGTERM, time running episodes have to finish before every connection is closed (1001)' },
  'static-dir': { type: 'string', placeholder: 'DIR', defaultText: 'packages/viewer/dist', doc: 'folder of the viewer pages served at /' },
  'env-module': { type: 'list', placeholder: 'PATH', doc: 'a module (.ts or .js) exporting defineEnv environments to serve; repeatable; checked on load' },
});

export type ServerFlags = FlagValues<typeof SERVER_FLAGS>;

/**
 * The server options the flags give (a flag left out keeps the server's default; `static-dir` stays unset so that
 * the caller's choice stands). A value the server would refuse is a usage error naming its flag.
 */
export function serverOptionsFromFlags(flags: ServerFlags): Partial<ServerOptions> {
  const options: Partial<ServerOptions> = {
    port: flags.port,
    host: flags.host,
    token: flags.token,
    allowOrigins: flags['allow-origin'] ?? [],
    allowHosts: flags['allow-host'] ?? [],
    maxPayload: flags['max-payload'],
    maxConnections: flags['max-connections'],
    maxConnectionsPerAddress: flags['max-connections-per-address'],
    helloTimeout: flags['hello-timeout'],
    heartbeat: flags.heartbeat,
    maxQueuedRequests: flags['max-queued-requests'],
    maxReplyBytes: flags['max-reply-bytes'],
    maxNumEnvs: flags['max-num-envs'],
    maxSessionBytes: flags['max-session-bytes'],
    spectatorHighWater: flags['spectator-high-water'],
    maxSpectatorQueue: flags['max-spectator-queue'],
    maxSpectatorQueueBytes: flags['max-spectator-queue-bytes'],
    spectatorStall: flags['spectator-stall'],
    spectatorReadWindow: flags['spectator-read-window'],
    agentHighWater: flags['agent-high-water'],
    maxSessions: flags['max-sessions'],
    drainTimeout: flags['drain-timeout'],
  };
  if (flags['static-dir'] !== undefined) options.staticDir = flags['static-dir'];
  try {
    resolveServerOptions(options);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    // resolveServerOptions names the option ("maxPayload: ..."); the user typed the flag.
    throw new UsageError(err.message.replace(/^([a-zA-Z]+):/, (_, name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:`));
  }
  return options;
}
