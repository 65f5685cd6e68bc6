// The environment checker over the wire, and the raw-frame tools it is built on.
export { RawSocket } from './raw-socket';
export type { RawClose, RawSocketOptions } from './raw-socket';
export { encodeRaw, F64, RawMap } from './raw-msgpack';
export { runWireChecks, WIRE_CHECKS } from './wire-checks';
export { GRIDWORLD } from './check-util';
export type { WireCheckOptions } from './wire-checks';
