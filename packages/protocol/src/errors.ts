/**
 * Error codes and WebSocket close codes of protocol 1, as the contract names them.
 * `as const` objects with derived unions, so that both values and types come from one place.
 */
export const ErrorCode = {
  BAD_FRAME: 'BAD_FRAME',
  HELLO_REQUIRED: 'HELLO_REQUIRED',
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  WRONG_ROLE: 'WRONG_ROLE',
  BAD_REQUEST: 'BAD_REQUEST',
  NOT_MADE: 'NOT_MADE',
  RESET_NEEDED: 'RESET_NEEDED',
  PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
  UNAUTHORIZED: 'UNAUTHORIZED',
  TOO_LARGE: 'TOO_LARGE',
  UNKNOWN_ENV: 'UNKNOWN_ENV',
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  ALREADY_MADE: 'ALREADY_MADE',
  INVALID_ACTION: 'INVALID_ACTION',
  UNKNOWN_SESSION: 'UNKNOWN_SESSION',
  /**
   * This server's addition to the contract (docs/protocol.md): it takes no new session now, because it is full
   * (`--max-sessions`) or draining. Not fatal; another server, or this one later, may take it.
   */
  UNAVAILABLE: 'UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes the client itself raises; they never travel on the wire. */
export const ClientErrorCode = {
  CONNECTION_CLOSED: 'CONNECTION_CLOSED',
  CONNECT_FAILED: 'CONNECT_FAILED',
  TIMEOUT: 'TIMEOUT',
  UNEXPECTED_REPLY: 'UNEXPECTED_REPLY',
  /** A request id beyond 2^53-1 (the contract's largest): never sent. */
  BAD_ID: 'BAD_ID',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  TRY_AGAIN_LATER: 1013,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Errors after which the server closes the connection; after any other the session is unchanged. */
export const FATAL_ERROR_CODES: ReadonlySet<string> = new Set([
  ErrorCode.PROTOCOL_MISMATCH,
  ErrorCode.UNAUTHORIZED,
  ErrorCode.TOO_LARGE,
]);

/** Base error of the protocol package: `code` mirrors the contract's error codes. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A frame that is not one MessagePack map with string keys and a string `type`. */
export class BadFrameError extends ProtocolError {
  override name = 'BadFrameError';
  constructor(message: string) {
    super(ErrorCode.BAD_FRAME, message);
  }
}

/** The server answered a request with an `error` message. */
export class RemoteError extends ProtocolError {
  override name = 'RemoteError';
  constructor(
    code: ErrorCode,
    message: string,
    readonly requestType?: string,
  ) {
    super(code, message);
  }
}

/** The connection ended (or could not be opened) before the reply came. */
export class ConnectionClosedError extends ProtocolError {
  override name = 'ConnectionClosedError';
  constructor(
    message: string,
    readonly closeCode?: number,
    readonly closeReason?: string,
  ) {
    super(ClientErrorCode.CONNECTION_CLOSED, message);
  }
}
