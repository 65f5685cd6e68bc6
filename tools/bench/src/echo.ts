/**
 * The raw TCP echo that measures the loopback floor: `net` with Nagle off, one 200-byte reply (about the size of a
 * scalar `step_result`) per 32-byte request (about a `step` request).
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

export const ECHO_REQUEST_BYTES = 32;
export const ECHO_REPLY_BYTES = 200;

/** Listens on 127.0.0.1 (port 0) and answers each whole request with the reply. */
export function startEcho(): Promise<Server> {
  const reply = Buffer.alloc(ECHO_REPLY_BYTES, 7);
  const echo = createServer((socket: Socket) => {
    socket.setNoDelay(true);
    let pending = 0;
    socket.on('data', (chunk) => {
      // Requests may arrive split or coalesced: one reply per whole request.
      pending += chunk.length;
      while (pending >= ECHO_REQUEST_BYTES) {
        pending -= ECHO_REQUEST_BYTES;
        socket.write(reply);
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve, reject) => {
    echo.once('error', reject);
    echo.listen(0, '127.0.0.1', () => resolve(echo));
  });
}
