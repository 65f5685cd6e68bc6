/** Raw HTTP over TCP to 127.0.0.1, for requests no HTTP client would send (odd targets, Host headers, methods). */
import { connect } from 'node:net';

export interface RawHttpReply {
  /** The status code of the first line, or 0 when the server closed without one. */
  status: number;
  /** Everything the server sent. */
  text: string;
}

/**
 * Sends `request` as is and collects the answer until the server closes, or until a 101 head (an upgrade) or a
 * full response to a `Connection: close` request has come; never waits more than `timeoutMs`.
 */
export function rawHttp(port: number, request: string | Buffer, timeoutMs = 3000): Promise<RawHttpReply> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : 0, text });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (/^HTTP\/1\.1 101/.test(text) && text.includes('\r\n\r\n')) done();
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(request);
  });
}

/** A WebSocket upgrade request for `/ws` with the given Host and Origin (either may be left out). */
export function upgradeRequest(host: string | undefined, origin?: string, path = '/ws'): string {
  return [
    `GET ${path} HTTP/1.1`,
    ...(host === undefined ? [] : [`Host: ${host}`]),
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...(origin === undefined ? [] : [`Origin: ${origin}`]),
    '',
    '',
  ].join('\r\n');
}

/** A plain GET with the given Host, closing after the answer. */
export function getRequest(target: string, host: string | undefined, method = 'GET'): string {
  return [`${method} ${target} HTTP/1.1`, ...(host === undefined ? [] : [`Host: ${host}`]), 'Connection: close', '', ''].join('\r\n');
}
