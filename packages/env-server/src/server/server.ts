/**
 * The environment server: one port for the WebSocket at /ws, GET /healthz (liveness), GET /readyz (readiness: takes
 * new sessions), and the viewer's pages; drained on request (SIGTERM in the CLI) without cutting a running episode.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket as WebSocketClass, WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { CloseCode, ErrorCode, encode } from '@rlfs/protocol';
import { getEnv, listEnvs } from '@rlfs/envs';
import { HostPolicy } from './auth';
import { Connection } from './connection';
import type { ServerOptions } from './options';
import { isLoopback, resolveServerOptions, SERVER_NAME, SERVER_VERSION } from './options';
import { SpectatorHub } from './spectator-hub';
import { isPagePath, requestPath, serveStatic } from './static-files';

export interface RunningServer {
  /** `ws://HOST:PORT/ws` with the real port. */
  readonly url: string;
  /** `http://HOST:PORT/`, where the viewer is. */
  readonly httpUrl: string;
  readonly host: string;
  readonly port: number;
  readonly options: ServerOptions;
  /** Figures /healthz reports. */
  health(): Health;
  /** Figures /readyz reports. */
  readiness(): Readiness;
  /** True once {@link drain} has been called. */
  readonly draining: boolean;
  /**
   * Drains the server: refuses new connections (HTTP 503) and new sessions (UNAVAILABLE), tells every agent and
   * spectator (`draining` event), closes each agent's connection with 1001 once its running episode has ended (vector
   * sessions: once every sub-env has ended the episode it was in), and after `timeoutMs` (default `drainTimeout`), or
   * once no agent is left, closes the rest with 1001 and stops listening. Calling it again returns the same promise.
   */
  drain(timeoutMs?: number): Promise<void>;
  /** Closes every connection with `code` (1001 by default) and stops listening. */
  close(code?: number): Promise<void>;
}

/** What /readyz answers: 200 while `ready`, else 503. */
export interface Readiness {
  /** Agent sessions held now. */
  sessions: number;
  /** The most it holds (`maxSessions`). */
  capacity: number;
  draining: boolean;
}

export interface Health {
  status: 'ok';
  server: string;
  connections: number;
  sessions: number;
  spectators: number;
  uptime: number;
}

/** Starts a server and resolves once it accepts connections. */
export async function startServer(userOptions: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const options = resolveServerOptions(userOptions);
  if (!isLoopback(options.host) && options.token === undefined) {
    options.warn(`warning: listening on ${options.host} without a token: anyone who can reach this address can use the server (start it with --token or RLFS_TOKEN)`);
  }
  const hub = new SpectatorHub();
  const startedAt = Date.now();
  const sockets = new Set<WebSocket>();
  const connections = new Set<Connection>();
  const drainState = { draining: false };
  let sessionCounter = 0;
  let clientCounter = 0;
  const context = {
    options,
    hub,
    drain: drainState,
    envIds: listEnvs,
    getEnv,
    nextSessionId: () => `s${++sessionCounter}`,
    nextClientNumber: () => ++clientCounter,
  };

  const readiness = (): Readiness => ({ sessions: hub.sessions.size, capacity: options.maxSessions, draining: drainState.draining });

  const health = (): Health => ({
    status: 'ok',
    server: `${SERVER_NAME}/${SERVER_VERSION}`,
    connections: sockets.size,
    sessions: hub.sessions.size,
    spectators: hub.spectatorCount,
    uptime: Math.round((Date.now() - startedAt) / 1000),
  });

  // The Host policy needs the real port, known once listening; until then no request can arrive.
  const listening: { hosts?: HostPolicy } = {};
  const perAddress = new Map<string, number>();
  const SocketClass = tooLargeSocketClass(options.maxPayload);

  const http = createServer((request, response) => {
    try {
      handleHttp(request, response, options, listening.hosts!, health, readiness);
    } catch (err) {
      // a bug in a route must cost one request, not the process
      options.warn(`warning: ${request.method ?? '?'} ${String(request.url).slice(0, 200)} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!response.headersSent) plain(response, 500, 'internal error\n');
      else response.destroy();
    }
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload, perMessageDeflate: false, WebSocket: SocketClass });

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy()); // a peer that resets mid-refusal must not raise an unhandled error
    try {
      upgrade(request, socket, head);
    } catch (err) {
      options.warn(`warning: upgrade of ${String(request.url).slice(0, 200)} failed: ${err instanceof Error ? err.message : String(err)}`);
      socket.destroy();
    }
  });

  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!listening.hosts!.allows(request.headers.host)) return refuse(socket, 403, 'Forbidden', hostRefusal(request.headers.host));
    if (requestPath(request.url) !== '/ws') return refuse(socket, 404, 'Not Found', 'the WebSocket is at /ws');
    if (!listening.hosts!.originAllowed(request, options.allowOrigins)) {
      return refuse(socket, 403, 'Forbidden', `origin ${request.headers.origin} is not allowed (start the server with --allow-origin to allow it)`);
    }
    if (drainState.draining) return refuse(socket, 503, 'Service Unavailable', 'this server is draining (shutting down): connect again to be given another server');
    if (sockets.size >= options.maxConnections) {
      return refuse(socket, 503, 'Service Unavailable', `the server holds its maximum of ${options.maxConnections} connections`);
    }
    const address = request.socket.remoteAddress ?? '?';
    const held = perAddress.get(address) ?? 0;
    if (held >= options.maxConnectionsPerAddress) {
      return refuse(socket, 429, 'Too Many Requests', `${address} holds its maximum of ${options.maxConnectionsPerAddress} connections (--max-connections-per-address)`);
    }
    perAddress.set(address, held + 1);
    let counted = true;
    const release = (): void => {
      if (!counted) return;
      counted = false;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    };
    socket.once('close', release); // also when the handshake itself fails
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      const connection = new Connection(ws, context, socket);
      connections.add(connection);
      ws.on('close', () => {
        sockets.delete(ws);
        connections.delete(connection);
        release();
        if (drainState.draining) drainProgress?.();
      });
    });
  };

  // One timer for every connection's heartbeat: a peer that did not answer the last round's ping is dropped
  // (WebSocket clients answer pings by themselves as they read, so every live one does).
  const alive = new WeakSet<WebSocket>();
  const heartbeat = options.heartbeat > 0 ? setInterval(() => {
    for (const ws of sockets) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, options.heartbeat) : undefined;
  heartbeat?.unref();

  let closing: Promise<void> | undefined;
  const close = (code: number = CloseCode.GOING_AWAY): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      if (heartbeat) clearInterval(heartbeat);
      for (const ws of sockets) ws.close(code, drainState.draining ? 'server draining: connect again to be given another server' : 'server shutting down');
      // sockets that do not finish the closing handshake in time are cut
      const timer = setTimeout(() => {
        for (const ws of sockets) ws.terminate();
      }, 1000);
      timer.unref();
      wss.close();
      http.close(() => {
        clearTimeout(timer);
        resolve();
      });
      http.closeAllConnections?.();
    });
    return closing;
  };

  /** Set while draining: called whenever a connection closes, it ends the drain once no agent is left. */
  let drainProgress: (() => void) | undefined;
  let drained: Promise<void> | undefined;
  const drain = (timeoutMs: number = options.drainTimeout): Promise<void> => {
    drained ??= new Promise<void>((resolve) => {
      drainState.draining = true;
      const deadline = Date.now() + timeoutMs;
      const finish = (): void => {
        clearTimeout(timer);
        drainProgress = undefined;
        void close(CloseCode.GOING_AWAY).then(resolve);
      };
      const timer = setTimeout(finish, timeoutMs);
      drainProgress = () => {
        for (const connection of connections) if (connection.isAgent) return;
        finish();
      };
      const notice = encode({ type: 'draining', deadline });
      for (const connection of [...connections]) connection.startDrain(notice);
      drainProgress();
    });
    return drained;
  };

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  listening.hosts = new HostPolicy(options.host, address.port, options.allowHosts, isLoopback(options.host));
  const hostForUrl = address.family === 'IPv6' || options.host.includes(':') ? `[${options.host.replace(/^\[|\]$/g, '')}]` : options.host;

  return {
    url: `ws://${hostForUrl}:${address.port}/ws`,
    httpUrl: `http://${hostForUrl}:${address.port}/`,
    host: options.host,
    port: address.port,
    options,
    health,
    readiness,
    get draining() {
      return drainState.draining;
    },
    drain,
    close,
  };
}

function handleHttp(request: IncomingMessage, response: ServerResponse, options: ServerOptions, hosts: HostPolicy, health: () => Health, readiness: () => Readiness): void {
  if (!hosts.allows(request.headers.host)) return plain(response, 403, `${hostRefusal(request.headers.host)}\n`);
  const path = requestPath(request.url);
  const readOnly = request.method === 'GET' || request.method === 'HEAD';
  if (path === undefined || !readOnly) return plain(response, 404, 'not found\n');
  if (path === '/healthz') {
    const body = JSON.stringify(health());
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
    return;
  }
  if (path === '/readyz') {
    const ready = readiness();
    const status = ready.draining || ready.sessions >= ready.capacity ? 503 : 200;
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : JSON.stringify(ready));
    return;
  }
  if (options.staticDir && serveStatic(options.staticDir, path, request, response)) return;
  if (isPagePath(path)) {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : notBuiltPage(path));
    return;
  }
  plain(response, 404, 'not found\n');
}

/** What `/` and `/play` answer until the viewer is built: what this is and how to build it. */
function notBuiltPage(path: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${SERVER_NAME}: viewer not built</title></head><body>
<h1>The viewer is not built yet</h1>
<p>${path === '/' ? 'The viewer' : 'The play page'} is served here once it is built. From the repository, run
<code>npm run build</code> (or <code>npm run build -w @rlfs/viewer</code>), then reload this page: the server need not restart.</p>
<p>This is the ${SERVER_NAME} environment server: the WebSocket is at <code>/ws</code>, health at <a href="/healthz"><code>/healthz</code></a>.</p>
</body></html>
`;
}

function hostRefusal(host: string | undefined): string {
  return `Host ${JSON.stringify(host ?? '')} does not name this server (start it with --allow-host NAME to accept that name)`;
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}

function refuse(socket: Duplex, status: number, text: string, why: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(why) + 1}\r\nConnection: close\r\n\r\n${why}\n`);
}

/**
 * ws closes with 1009 by itself when a message is larger than maxPayload; the contract wants `error TOO_LARGE`
 * (without id) first. ws calls the socket's `close(1009)` while it is still open, so the error goes out just before.
 */
function tooLargeSocketClass(maxPayload: number): typeof WebSocket {
  const frame = encode({ type: 'error', code: ErrorCode.TOO_LARGE, message: `a message was larger than the server's maximum payload of ${maxPayload} bytes (--max-payload)` });
  return class TooLargeAwareSocket extends WebSocketClass {
    override close(code?: number, reason?: string | Buffer): void {
      if (code === CloseCode.MESSAGE_TOO_BIG && this.readyState === this.OPEN) this.send(frame);
      super.close(code, reason);
    }
  };
}
