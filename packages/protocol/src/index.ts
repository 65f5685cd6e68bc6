export { PROTOCOL_VERSION, MessageType, Role, Encoding, RenderMode, DTYPES } from './messages';
export type * from './messages';
export { ErrorCode, ClientErrorCode, CloseCode, FATAL_ERROR_CODES, ProtocolError, BadFrameError, RemoteError, ConnectionClosedError } from './errors';
export { encode, decode, describe, DEFAULT_CODEC_LIMITS } from './codec';
export type { CodecLimits } from './codec';
export { pack, unpack, looksPacked, isDType, dtypeOf, ITEM_SIZE } from './packed';
export type { TypedArray } from './packed';
