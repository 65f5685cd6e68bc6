/**
 * Node entry of the protocol package: the same client, with `ws` as the socket.
 * `import { connect } from '@rlfs/protocol/node'`.
 */
import { randomFillSync } from 'node:crypto';
import WebSocket from 'ws';
import { Client } from './client';
import type { ClientOptions, MakeArgs, WebSocketLike } from './client';
import { SplitVectorEnv } from './split-vector-env';

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
      // Large payloads get a zero mask key: ws then sends them as they are instead of copying each into a masked
      // buffer. Small ones (a scalar step) get a real key: ws then masks them into the buffer of the frame header and
      // writes header and payload in one write, cheaper than its cork and two writes. Masking guards proxies against
      // scripts in browsers (RFC 6455 section 10.3); a Node agent is not one. Both are valid frames.
      const key = randomFillSync(Buffer.alloc(4));
      key[0] |= 1;
      let small = false;
      const generateMask = (mask: Uint8Array): void => {
        if (small) mask.set(key);
        else mask.fill(0);
      };
      const socket = new WebSocket(target, { maxPayload, perMessageDeflate: false, generateMask, ...(origin ? { origin } : {}) });
      const send = socket.send.bind(socket) as (data: Uint8Array) => void;
      (socket as unknown as WebSocketLike).send = (data: Uint8Array) => {
        small = data.byteLength <= SMALL_FRAME;
        send(data);
      };
      return socket as unknown as WebSocketLike;
    }),
  });
}

/**
 * A vector env of `args.numEnvs` sub-envs over one server or split over several: one vector session on each, stepped
 * together, sub-env i seeded `seed + i` as on one server. Closing it closes the connections it opened.
 */
export function connectVectorEnv(urls: string | readonly string[], options: NodeClientOptions, args: MakeArgs & { numEnvs: number }): Promise<SplitVectorEnv> {
  return SplitVectorEnv.connect(typeof urls === 'string' ? [urls] : urls, options, args, (url) => connect(url, options));
}

/** Payloads up to this many bytes are masked into one write; larger ones go unmasked, header and payload apart. */
const SMALL_FRAME = 256;

// Named, not `export * from './index'`: an ES module (a user's `.mts` file) importing this CommonJS build sees only
// names it can read off the file, and a star re-export hides them ("does not provide an export named 'RemoteEnv'").
// test/node-entry.test.ts keeps this list equal to index.ts's.
export type * from './index';
export {
  PROTOCOL_VERSION, MessageType, Role, Encoding, RenderMode, DTYPES,
  ErrorCode, ClientErrorCode, CloseCode, FATAL_ERROR_CODES, ProtocolError, BadFrameError, RemoteError, ConnectionClosedError,
  encode, decode, describe, DEFAULT_CODEC_LIMITS,
  boundAt, boxRange, formatBound,
  pack, unpack, looksPacked, isDType, dtypeOf, ITEM_SIZE,
  Client, isRemoteError, DEFAULT_CLIENT_OPTIONS,
  RemoteEnv, RemoteVectorEnv, toObservation, spaceSize,
  valueMapProblem, isValueMap, MAX_VALUE_MAP_SIZE,
  SplitVectorEnv, splitSizes,
} from './index';
