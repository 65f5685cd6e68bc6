/**
 * Node entry of the protocol package: the same client, with `ws` as the socket.
 * `import { connect } from '@rlfs/protocol/node'`.
 */
import WebSocket from 'ws';
import { Client } from './client';
import type { ClientOptions, WebSocketLike } from './client';

export interface NodeClientOptions extends ClientOptions {
  /** Largest message accepted from the server, in bytes (default 64 MiB: vector replies can be large). */
  maxPayload?: number;
  /** Sent as the Origin header; leave unset for a non-browser client. */
  origin?: string;
}

/** Connects to `ws://HOST:PORT/ws` from Node and says hello. */
export function connect(url: string, options: NodeClientOptions): Promise<Client> {
  const { maxPayload = 64 * 1024 * 1024, origin, ...rest } = options;
  return Client.connect(url, {
    ...rest,
    createSocket: rest.createSocket ?? ((target) => {
      // A zero mask key: ws then sends the payload as is instead of copying it into a masked buffer. Masking guards
      // proxies against scripts in browsers (RFC 6455 section 10.3); a Node agent is not one. Still a valid frame.
      const socket = new WebSocket(target, { maxPayload, perMessageDeflate: false, generateMask: zeroMask, ...(origin ? { origin } : {}) });
      return socket as unknown as WebSocketLike;
    }),
  });
}

function zeroMask(mask: Uint8Array): void {
  mask.fill(0);
}

export { Client };
export * from './index';
