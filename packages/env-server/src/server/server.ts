/**
 * The environment server: one port for the WebSocket at /ws, GET /healthz, and the viewer's pages.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { CloseCode } from '@rlfs/protocol';
import { getEnv, listEnvs } from '@rlfs/envs';
import { originAllowed } from './auth';
import { Connection } from './connection';
import type { ServerOptions } from './options';
import { isLoopback, resolveServerOptions, SERVER_NAME, SERVER_VERSION } from './options';
import { SpectatorHub } from './spectator-hub';
import { serveStatic } from './static-files';

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
  /** Closes every connection with `code` (1001 by default) and stops listening. */
  close(code?: number): Promise<void>;
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
  let sessionCounter = 0;
  let clientCounter = 0;
  const context = {
    options,
    hub,
    envIds: listEnvs,
    getEnv,
    nextSessionId: () => `s${++sessionCounter}`,
    nextClientNumber: () => ++clientCounter,
  };

  const health = (): Health => ({
    status: 'ok',
    server: `${SERVER_NAME}/${SERVER_VERSION}`,
    connections: sockets.size,
    sessions: hub.sessions.size,
    spectators: hub.spectatorCount,
    uptime: Math.round((Date.now() - startedAt) / 1000),
  });

  const http = createServer((request, response) => handleHttp(request, response, options, health));
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload, perMessageDeflate: false });

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/ws') return refuse(socket, 404, 'Not Found', 'the WebSocket is at /ws');
    if (!originAllowed(request, options.allowOrigins)) {
      return refuse(socket, 403, 'Forbidden', `origin ${request.headers.origin} is not allowed (start the server with --allow-origin to allow it)`);
    }
    if (sockets.size >= options.maxConnections) {
      return refuse(socket, 503, 'Service Unavailable', `the server holds its maximum of ${options.maxConnections} connections`);
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      new Connection(ws, context);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' || options.host.includes(':') ? `[${options.host.replace(/^\[|\]$/g, '')}]` : options.host;

  return {
    url: `ws://${hostForUrl}:${address.port}/ws`,
    httpUrl: `http://${hostForUrl}:${address.port}/`,
    host: options.host,
    port: address.port,
    options,
    health,
    close: (code: number = CloseCode.GOING_AWAY) =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.close(code, 'server shutting down');
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
      }),
  };
}

function handleHttp(request: IncomingMessage, response: ServerResponse, options: ServerOptions, health: () => Health): void {
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
    const body = JSON.stringify(health());
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
    return;
  }
  if ((request.method === 'GET' || request.method === 'HEAD') && options.staticDir && serveStatic(options.staticDir, request, response)) return;
  if (path === '/' && request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`${SERVER_NAME} environment server. The WebSocket is at /ws, health at /healthz. The viewer is not built: run npm run build.\n`);
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  response.end('not found\n');
}

function refuse(socket: Duplex, status: number, text: string, why: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(why) + 1}\r\nConnection: close\r\n\r\n${why}\n`);
}
