/**
 * Server options: one literal object of defaults that user options spread over. Every limit is here,
 * named and documented (docs/server.md lists them with their command-line flags).
 */

export interface ServerOptions {
  /** Address to bind (default 127.0.0.1: only this machine can connect). */
  host: string;
  /** Port to bind; 0 picks a free one (default 8080). */
  port: number;
  /** When set, `hello` must carry this token (compared in constant time). Also from RLFS_TOKEN in the CLI. */
  token: string | undefined;
  /** Browser origins (e.g. `http://localhost:3000`) allowed to open the socket besides the server's own pages. */
  allowOrigins: string[];
  /**
   * Host names (e.g. `lab.example.org`) a request's `Host` header may name besides the bound address (and, on a
   * loopback bind, `localhost`, `127.0.0.1`, `[::1]`); any other Host gets 403, which stops DNS rebinding.
   */
  allowHosts: string[];
  /** Largest message accepted, in bytes (default 1 MiB); past it the server sends `error TOO_LARGE`, then closes with 1009. */
  maxPayload: number;
  /** Connections held at once (default 2048); more are refused at the upgrade with 503. */
  maxConnections: number;
  /** Connections held at once from one remote address (default 256); more from it are refused at the upgrade with 429. */
  maxConnectionsPerAddress: number;
  /** Milliseconds a new connection has to send `hello` (default 10000); then it is closed with 1008. */
  helloTimeout: number;
  /** Milliseconds between WebSocket pings (default 30000; 0 turns them off); a peer that has not answered the previous ping, nor sent anything, is dropped. */
  heartbeat: number;
  /** Requests one connection may have waiting while its replies are not read (default 1024); past it the connection is closed with 1008. */
  maxQueuedRequests: number;
  /**
   * Largest reply built from values (a plain `reset` or `step`, a `render`), in bytes as estimated before building it
   * (default 4 MiB). A `make` whose plain replies would be larger is refused (INVALID_OPTIONS), a `render` that would
   * be larger is refused (BAD_REQUEST): such replies would hold the server for every other connection.
   */
  maxReplyBytes: number;
  /** Largest `numEnvs` of one vector session (default 4096). */
  maxNumEnvs: number;
  /** Memory one session's environments may hold, in bytes (default 256 MiB); a larger `make` is refused before allocating. */
  maxSessionBytes: number;
  /** Bytes queued to one spectator before its frame and telemetry events are coalesced (default 256 KiB). */
  spectatorHighWater: number;
  /** Events kept for a spectator that does not read (default 10000); past it frames are dropped, then the spectator is closed (1013). */
  maxSpectatorQueue: number;
  /** Bytes of events kept for a spectator that does not read (default 1 MiB); past it frames are dropped, then the spectator is closed (1013). */
  maxSpectatorQueueBytes: number;
  /** Milliseconds a spectator's socket may stay above its high-water mark (default 5000); then it is closed with 1013. */
  spectatorStall: number;
  /**
   * Bytes sent to a spectator that it has not yet read (its answers to pings say how much it has read) before its
   * `frame` and `telemetry` events are coalesced (default 1 MiB): a spectator that does not read is found out before
   * the kernel's socket buffers, which take megabytes on loopback, are full.
   */
  spectatorReadWindow: number;
  /** Bytes queued to one agent (replies it has not read) before the server stops reading its requests (default 4 MiB). */
  agentHighWater: number;
  /**
   * Agent sessions held at once (default 2048). At it, `GET /readyz` answers 503 (a load balancer sends new
   * connections elsewhere) and a `make` is refused with UNAVAILABLE.
   */
  maxSessions: number;
  /**
   * Milliseconds a drain (SIGTERM, or `drain()`) lets running episodes finish (default 30000); then every connection
   * left is closed with 1001.
   */
  drainTimeout: number;
  /** Folder of the viewer's built pages served at `/` (default: none; the CLI points it at packages/viewer/dist). */
  staticDir: string | undefined;
  /** Called for warnings (default: console.warn). */
  warn: (message: string) => void;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  host: '127.0.0.1',
  port: 8080,
  token: undefined,
  allowOrigins: [],
  allowHosts: [],
  maxPayload: 1024 * 1024,
  maxConnections: 2048,
  maxConnectionsPerAddress: 256,
  helloTimeout: 10_000,
  heartbeat: 30_000,
  maxQueuedRequests: 1024,
  maxReplyBytes: 4 * 1024 * 1024,
  maxNumEnvs: 4096,
  maxSessionBytes: 256 * 1024 * 1024,
  spectatorHighWater: 256 * 1024,
  maxSpectatorQueue: 10_000,
  maxSpectatorQueueBytes: 1024 * 1024,
  spectatorStall: 5000,
  spectatorReadWindow: 1024 * 1024,
  agentHighWater: 4 * 1024 * 1024,
  maxSessions: 2048,
  drainTimeout: 30_000,
  staticDir: undefined,
  warn: (message) => console.warn(message),
};

export const SERVER_NAME = 'rl-from-scratch';
export const SERVER_VERSION = '0.1.0';

/** Resolves user options over the defaults, throwing a TypeError that names a bad option and what was expected. */
export function resolveServerOptions(options: Partial<ServerOptions> = {}): ServerOptions {
  const resolved: ServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...stripUndefined(options) };
  checkInteger('port', resolved.port, 0, 65535);
  checkInteger('maxPayload', resolved.maxPayload, 64, 2 ** 31 - 1);
  checkInteger('maxConnections', resolved.maxConnections, 1, 1_000_000);
  checkInteger('maxNumEnvs', resolved.maxNumEnvs, 1, 1_000_000);
  checkInteger('maxSessionBytes', resolved.maxSessionBytes, 1024, Number.MAX_SAFE_INTEGER);
  checkInteger('spectatorHighWater', resolved.spectatorHighWater, 1024, 2 ** 31 - 1);
  checkInteger('maxSpectatorQueue', resolved.maxSpectatorQueue, 1, 10_000_000);
  checkInteger('agentHighWater', resolved.agentHighWater, 1024, 2 ** 31 - 1);
  checkInteger('maxConnectionsPerAddress', resolved.maxConnectionsPerAddress, 1, 1_000_000);
  checkInteger('helloTimeout', resolved.helloTimeout, 1, 2 ** 31 - 1);
  checkInteger('heartbeat', resolved.heartbeat, 0, 2 ** 31 - 1);
  checkInteger('maxQueuedRequests', resolved.maxQueuedRequests, 1, 1_000_000);
  checkInteger('maxReplyBytes', resolved.maxReplyBytes, 1024, 2 ** 31 - 1);
  checkInteger('maxSpectatorQueueBytes', resolved.maxSpectatorQueueBytes, 1024, 2 ** 31 - 1);
  checkInteger('spectatorStall', resolved.spectatorStall, 1, 2 ** 31 - 1);
  checkInteger('spectatorReadWindow', resolved.spectatorReadWindow, 4096, 2 ** 31 - 1);
  checkInteger('maxSessions', resolved.maxSessions, 1, 1_000_000);
  checkInteger('drainTimeout', resolved.drainTimeout, 0, 2 ** 31 - 1);
  if (typeof resolved.host !== 'string' || resolved.host === '') throw new TypeError('host: expected a host name or address');
  if (resolved.token !== undefined && (typeof resolved.token !== 'string' || resolved.token === '')) {
    throw new TypeError('token: expected a non-empty string');
  }
  if (!Array.isArray(resolved.allowOrigins) || !resolved.allowOrigins.every((o) => typeof o === 'string')) {
    throw new TypeError('allowOrigins: expected a list of origins such as http://localhost:3000');
  }
  if (!Array.isArray(resolved.allowHosts) || !resolved.allowHosts.every((h) => typeof h === 'string' && h !== '')) {
    throw new TypeError('allowHosts: expected a list of host names such as lab.example.org');
  }
  return resolved;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name}: expected an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

function stripUndefined<T extends object>(options: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(options)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
