/**
 * One session's spectator events of one step (or of one turn of the event loop), encoded once for all its
 * spectators: each event is one MessagePack map framed as its own WebSocket binary message (unmasked, as a server
 * sends), and the messages lie back to back in one buffer, so that a spectator that keeps up gets the whole step
 * in one socket write instead of one `ws.send` per event. The contract holds: every event is still exactly one
 * message of one map.
 *
 * `frame` and `episode` events are written by hand from their fields, byte for byte what the codec's `encode`
 * writes for the same event object (the same rules as `@rlfs/protocol`'s small-frame encoder: the smallest integer
 * form, float64 otherwise, fixmaps, ASCII fixstr keys). Anything the hand path does not know (a state with a long
 * or non-ASCII string, a typed array, a map of 16 keys or more, an event above 4 KiB) is encoded by `encode` and
 * copied in, so the bytes are always the codec's.
 */
import { encode } from '@rlfs/protocol';

export type EventKind = 'frame' | 'telemetry' | 'episode' | 'session_closed' | 'history';

const FRAME = 0;
const EPISODE = 1;
const KINDS: readonly EventKind[] = ['frame', 'episode'];

/** Smallest buffer allocated; a new one holds several batches the size of the last one. */
const MIN_SLAB = 16 * 1024;
/** Largest buffer allocated ahead of need. */
const MAX_SLAB = 1024 * 1024;
/** Largest event the hand path writes (as the codec's small-frame encoder); larger ones go through `encode`. */
const MAX_EVENT = 4096;
const MAX_DEPTH = 8;

/** fixstr bytes of a short ASCII key. */
function key(name: string): Uint8Array {
  return Uint8Array.from([0xa0 | name.length, ...Array.from(name, (c) => c.charCodeAt(0))]);
}

const K_INDEX = key('index');
const K_STEP = key('step');
const K_ACTION = key('action');
const K_REWARD = key('reward');
const K_TERMINATED = key('terminated');
const K_TRUNCATED = key('truncated');
const K_STATE = key('state');
const K_DRAW = key('draw');
const K_EPISODE = key('episode');
const K_RETURN = key('return');
const K_LENGTH = key('length');
const K_SHORTEST = key('shortestPath');
const NIL = Uint8Array.of(0xc0);
/** `terminated`, a boolean, `truncated`, a boolean, and the key `state`, in one run (the booleans are filled in). */
const ENDING = Uint8Array.from([...K_TERMINATED, 0xc2, ...K_TRUNCATED, 0xc2, ...K_STATE]);

/** Copies a few bytes with a loop (for a few bytes cheaper than `set`, a call into the runtime); returns the new position. */
function put(buf: Buffer, pos: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) buf[pos++] = bytes[i]!;
  return pos;
}

/** The codec's choice: the smallest uint or int of 32 bits or less for integers, else float64. */
function putNumber(buf: Buffer, view: DataView, pos: number, value: number): number {
  if (value >>> 0 === value) {
    if (value < 0x80) {
      buf[pos++] = value;
    } else if (value < 0x100) {
      buf[pos++] = 0xcc;
      buf[pos++] = value;
    } else if (value < 0x10000) {
      buf[pos++] = 0xcd;
      buf[pos++] = value >> 8;
      buf[pos++] = value & 0xff;
    } else {
      buf[pos++] = 0xce;
      view.setUint32(pos, value);
      pos += 4;
    }
  } else if (value >> 0 === value) {
    if (value >= -0x20) {
      buf[pos++] = 0x100 + value;
    } else if (value >= -0x80) {
      buf[pos++] = 0xd0;
      buf[pos++] = value + 0x100;
    } else if (value >= -0x8000) {
      buf[pos++] = 0xd1;
      view.setInt16(pos, value);
      pos += 2;
    } else {
      buf[pos++] = 0xd2;
      view.setInt32(pos, value);
      pos += 4;
    }
  } else {
    buf[pos++] = 0xcb;
    view.setFloat64(pos, value);
    pos += 8;
  }
  return pos;
}

/**
 * The pending events of one session. Buffers are written forward and never overwritten (a socket may still hold
 * the bytes of an earlier batch); a full one is left to the garbage collector.
 */
export class SpectatorEvents {
  private buf: Buffer = Buffer.allocUnsafeSlow(MIN_SLAB);
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  /** Where the pending batch starts in `buf`. */
  private start = 0;
  private pos = 0;
  private limit = 0;
  /** Bytes of the last batch, to size the next buffer. */
  private lastBatch = 0;
  /** `{type:"frame", session}` and `{type:"episode", session}` as the codec writes them, without the map's header. */
  private readonly framePrefix: Uint8Array;
  private readonly episodePrefix: Uint8Array;
  /** Per pending event, four numbers: its kind (in KINDS), its sub-env, where its payload (the map) starts and ends in `buf`. */
  private meta = new Float64Array(4 * 256);
  /** Events pending. */
  count = 0;

  constructor(readonly session: string) {
    this.framePrefix = Uint8Array.from(encode({ type: 'frame', session }).subarray(1));
    this.episodePrefix = Uint8Array.from(encode({ type: 'episode', session }).subarray(1));
  }

  /** The kind of pending event `i`. */
  kind(i: number): EventKind {
    return KINDS[this.meta[4 * i]!]!;
  }

  /** The sub-env of pending event `i`. */
  index(i: number): number {
    return this.meta[4 * i + 1]!;
  }

  frame(index: number, step: number, action: number | null, reward: number | null, terminated: boolean, truncated: boolean, state: unknown, draw?: unknown): void {
    const at = this.open();
    if (state !== undefined && (action === null || typeof action === 'number') && (reward === null || typeof reward === 'number')) {
      // the fixed fields with the position in a local (a few key runs copied, four numbers), then the state
      const buf = this.buf;
      let pos = this.pos;
      buf[pos++] = draw === undefined ? 0x89 : 0x8a;
      pos = put(buf, pos, this.framePrefix);
      pos = put(buf, pos, K_INDEX);
      pos = putNumber(buf, this.view, pos, index);
      pos = put(buf, pos, K_STEP);
      pos = putNumber(buf, this.view, pos, step);
      pos = put(buf, pos, K_ACTION);
      pos = action === null ? put(buf, pos, NIL) : putNumber(buf, this.view, pos, action);
      pos = put(buf, pos, K_REWARD);
      pos = reward === null ? put(buf, pos, NIL) : putNumber(buf, this.view, pos, reward);
      const flags = pos;
      pos = put(buf, pos, ENDING); // terminated, truncated, then the state's key
      buf[flags + K_TERMINATED.length] = terminated ? 0xc3 : 0xc2;
      buf[flags + K_TERMINATED.length + 1 + K_TRUNCATED.length] = truncated ? 0xc3 : 0xc2;
      this.pos = pos;
      if (this.value(state, 1) && (draw === undefined || this.field(K_DRAW, draw))) return this.close(at, FRAME, index);
    }
    const event: Record<string, unknown> = { type: 'frame', session: this.session, index, step, action, reward, terminated, truncated, state };
    if (draw !== undefined) event.draw = draw;
    this.copyIn(at, encode(event), FRAME, index);
  }

  episode(index: number, episode: number, ret: number, length: number, terminated: boolean, step: number, shortestPath: number | undefined): void {
    const at = this.open();
    const written =
      this.header(shortestPath === undefined ? 8 : 9, this.episodePrefix) &&
      this.number(K_INDEX, index) &&
      this.number(K_EPISODE, episode) &&
      this.number(K_RETURN, ret) &&
      this.number(K_LENGTH, length) &&
      this.boolean(K_TERMINATED, terminated) &&
      this.number(K_STEP, step) &&
      (shortestPath === undefined || this.number(K_SHORTEST, shortestPath));
    if (written) return this.close(at, EPISODE, index);
    const event: Record<string, unknown> = { type: 'episode', session: this.session, index, episode, return: ret, length, terminated, step };
    if (shortestPath !== undefined) event.shortestPath = shortestPath;
    this.copyIn(at, encode(event), EPISODE, index);
  }

  /** The pending events as WebSocket messages back to back: one buffer, never written again. */
  messages(): Buffer {
    return this.buf.subarray(this.start, this.pos);
  }

  /** The MessagePack map of pending event `i` (a view; copy it to keep it). */
  payload(i: number): Uint8Array {
    return this.buf.subarray(this.meta[4 * i + 2], this.meta[4 * i + 3]);
  }

  /** Forgets the pending events; their bytes stay as they are for sockets that still hold them. */
  clear(): void {
    this.lastBatch = this.pos - this.start;
    this.start = this.pos;
    this.count = 0;
  }

  /** Room for one more event; returns where its WebSocket header goes (the payload starts 2 bytes later). */
  private open(): number {
    this.reserve(MAX_EVENT + 16);
    const at = this.pos;
    this.pos = at + 2;
    this.limit = this.pos + MAX_EVENT - 64;
    return at;
  }

  /** Fills in the WebSocket header of the event whose payload ends at `pos`, moving the payload up for a longer header. */
  private close(at: number, kind: number, index: number): void {
    const length = this.pos - at - 2;
    let extra = 0;
    if (length >= 0x10000) extra = 8;
    else if (length >= 126) extra = 2;
    if (extra > 0) {
      this.buf.copyWithin(at + 2 + extra, at + 2, this.pos);
      this.pos += extra;
    }
    const buf = this.buf;
    buf[at] = 0x82; // FIN, binary
    if (extra === 0) {
      buf[at + 1] = length;
    } else if (extra === 2) {
      buf[at + 1] = 126;
      buf.writeUInt16BE(length, at + 2);
    } else {
      buf[at + 1] = 127;
      buf.writeUInt32BE(0, at + 2);
      buf.writeUInt32BE(length, at + 6);
    }
    if (4 * this.count === this.meta.length) {
      const more = new Float64Array(2 * this.meta.length);
      more.set(this.meta);
      this.meta = more;
    }
    const m = 4 * this.count++;
    this.meta[m] = kind;
    this.meta[m + 1] = index;
    this.meta[m + 2] = at + 2 + extra;
    this.meta[m + 3] = this.pos;
  }

  /** An event the hand path gave up on, as `encode` wrote it. */
  private copyIn(at: number, bytes: Uint8Array, kind: number, index: number): void {
    this.pos = at;
    this.reserve(bytes.byteLength + 16);
    at = this.pos;
    this.buf.set(bytes, at + 2);
    this.pos = at + 2 + bytes.byteLength;
    this.close(at, kind, index);
  }

  /** At least `bytes` free after `pos`; the pending batch moves to a new buffer when it would not fit. */
  private reserve(bytes: number): void {
    if (this.buf.length - this.pos >= bytes) return;
    const pending = this.pos - this.start;
    const next = Buffer.allocUnsafeSlow(Math.max(MIN_SLAB, 2 * (pending + bytes), Math.min(8 * this.lastBatch, MAX_SLAB)));
    this.buf.copy(next, 0, this.start, this.pos);
    const shift = this.start;
    for (let m = 0; m < 4 * this.count; m += 4) {
      this.meta[m + 2] = this.meta[m + 2]! - shift;
      this.meta[m + 3] = this.meta[m + 3]! - shift;
    }
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    this.start = 0;
    this.pos = pending;
  }

  private header(size: number, prefix: Uint8Array): boolean {
    this.buf[this.pos++] = 0x80 | size;
    this.bytes(prefix);
    return true;
  }

  private bytes(k: Uint8Array): void {
    this.pos = put(this.buf, this.pos, k);
  }

  private number(k: Uint8Array, value: number): boolean {
    this.bytes(k);
    this.writeNumber(value);
    return true;
  }

  private boolean(k: Uint8Array, value: boolean): boolean {
    this.bytes(k);
    this.buf[this.pos++] = value ? 0xc3 : 0xc2;
    return true;
  }

  private field(k: Uint8Array, value: unknown): boolean {
    this.bytes(k);
    return this.value(value, 1);
  }

  private value(value: unknown, depth: number): boolean {
    if (this.pos > this.limit) return false;
    switch (typeof value) {
      case 'number':
        this.writeNumber(value);
        return true;
      case 'boolean':
        this.buf[this.pos++] = value ? 0xc3 : 0xc2;
        return true;
      case 'undefined':
        this.buf[this.pos++] = 0xc0;
        return true;
      case 'string':
        return this.string(value);
      case 'object':
        if (value === null) {
          this.buf[this.pos++] = 0xc0;
          return true;
        }
        if (depth >= MAX_DEPTH) return false;
        if (value.constructor === Object) return this.object(value as Record<string, unknown>, depth);
        if (value.constructor === Array) return this.array(value as unknown[], depth);
        return false;
      default:
        return false;
    }
  }

  private writeNumber(value: number): void {
    this.pos = putNumber(this.buf, this.view, this.pos, value);
  }

  /** ASCII strings of fewer than 32 characters only (a fixstr). */
  private string(value: string): boolean {
    const length = value.length;
    if (length >= 0x20) return false;
    const buf = this.buf;
    buf[this.pos++] = 0xa0 | length;
    for (let i = 0; i < length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) return false;
      buf[this.pos++] = c;
    }
    return true;
  }

  private object(object: Record<string, unknown>, depth: number): boolean {
    const header = this.pos++;
    let size = 0;
    // own enumerable keys in for-in order (the codec's for-in with an own-property check), undefined values skipped
    const names = Object.keys(object);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const item = object[name];
      if (item === undefined) continue;
      if (++size >= 0x10 || !this.string(name) || !this.value(item, depth + 1)) return false;
    }
    this.buf[header] = 0x80 | size;
    return true;
  }

  private array(array: unknown[], depth: number): boolean {
    const length = array.length;
    const buf = this.buf;
    if (length < 0x10) {
      buf[this.pos++] = 0x90 | length;
    } else if (length < 0x10000) {
      buf[this.pos++] = 0xdc;
      buf[this.pos++] = length >> 8;
      buf[this.pos++] = length & 0xff;
    } else {
      return false;
    }
    for (let i = 0; i < length; i++) {
      if (!this.value(array[i], depth + 1)) return false;
    }
    return true;
  }
}
