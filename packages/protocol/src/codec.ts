/**
 * The frame codec: one MessagePack map with string keys per frame. Pure: no sockets, no Node-only imports,
 * so the browser bundle uses the same code as the server.
 */
import { Packr, Unpackr } from 'msgpackr';
import { BadFrameError } from './errors';
import type { Message } from './messages';
import { decodeSmall, encodeSmall } from './small-frames';

export interface CodecLimits {
  /** Deepest nesting of maps and arrays a decoded frame may have (default 64); deeper is BAD_FRAME. */
  maxDepth: number;
}

export const DEFAULT_CODEC_LIMITS: CodecLimits = { maxDepth: 64 };

// One reusable encoder: plain maps (no msgpackr records), undefined fields left out so "no id" omits the key.
const packr = new Packr({ useRecords: false, encodeUndefinedAsNil: true, skipValues: [undefined] } as ConstructorParameters<typeof Packr>[0]);
// Maps come back as `Map` so that non-string keys can be refused instead of silently stringified. 64-bit integers
// beyond 2^53 come back as bigints, never rounded to a nearby number: an id of 2^53+1 must not pass for 2^53.
// ('auto' is in msgpackr's code and README but not yet in its typings.)
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: 'auto' } as unknown as ConstructorParameters<typeof Unpackr>[0]);
// Frames from a server go straight into plain objects (msgpackr's cached keys, no Map then copy): the strict key
// checks of `decode` guard a server against its clients; a client reading its server needs only the frame's form.
const replyUnpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

/** Encodes one message as a MessagePack map. Typed arrays become `bin` of their bytes. */
export function encode(message: object): Uint8Array {
  // Small frames of plain data (every request and reply of the scalar loop) by hand, the same bytes, else msgpackr.
  return encodeSmall(message) ?? packr.pack(message);
}

/**
 * Decodes one frame into a message, or throws {@link BadFrameError} saying what was wrong:
 * not MessagePack, bytes after the map, not a map, a key that is not a string, no `type` or a `type` that is not a string.
 */
export function decode(bytes: Uint8Array, limits: CodecLimits = DEFAULT_CODEC_LIMITS): Message {
  // Small flat requests (a scalar step) straight into an object; anything else, valid or not, takes the path below.
  const small = decodeSmall(bytes, limits.maxDepth);
  if (small !== undefined) return small as Message;
  let raw: unknown;
  try {
    raw = unpackr.unpack(bytes);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (/end of buffer not reached/.test(why)) throw new BadFrameError('bytes after the MessagePack map');
    throw new BadFrameError(`not valid MessagePack (${truncate(why)})`);
  }
  if (!(raw instanceof Map)) throw new BadFrameError(`a frame must be a MessagePack map, got ${describe(raw)}`);
  const message = toPlain(raw, 0, limits.maxDepth) as Record<string, unknown>;
  if (!('type' in message)) throw new BadFrameError('the map has no "type" key');
  if (typeof message.type !== 'string') throw new BadFrameError(`"type" must be a string, got ${describe(message.type)}`);
  return message as Message;
}

/**
 * Decodes a frame from a server (a reply or an event), about twice as fast as {@link decode} for small frames.
 * Throws {@link BadFrameError} when it is not MessagePack, not one map, or has no string `type`; keys are not checked
 * (a non-string key becomes a string, `__proto__` becomes `__proto_`, as msgpackr does).
 */
export function decodeReply(bytes: Uint8Array): Message {
  let raw: unknown;
  try {
    raw = replyUnpackr.unpack(bytes);
  } catch (err) {
    throw new BadFrameError(`not valid MessagePack (${truncate(err instanceof Error ? err.message : String(err))})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array) {
    throw new BadFrameError(`a frame must be a MessagePack map, got ${describe(raw)}`);
  }
  if (typeof (raw as { type?: unknown }).type !== 'string') throw new BadFrameError('the map has no string "type"');
  return raw as Message;
}

/** A short name for a value's MessagePack kind, for error messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (value instanceof Uint8Array) return 'bin';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map) return 'map';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (typeof value === 'object') return 'an extension value';
  return typeof value;
}

function toPlain(value: unknown, depth: number, maxDepth: number): unknown {
  if (value instanceof Map) {
    if (depth >= maxDepth) throw new BadFrameError(`nesting deeper than ${maxDepth} levels`);
    const out: Record<string, unknown> = {};
    for (const [key, item] of value) {
      if (typeof key !== 'string') throw new BadFrameError(`map keys must be strings, got ${describe(key)} key`);
      const plain = toPlain(item, depth + 1, maxDepth);
      // A "__proto__" key is an ordinary string key on the wire: keep it as an own property, never as a prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value: plain, enumerable: true, writable: true, configurable: true });
      else out[key] = plain;
    }
    return out;
  }
  if (Array.isArray(value)) {
    if (depth >= maxDepth) throw new BadFrameError(`nesting deeper than ${maxDepth} levels`);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object' && !(item instanceof Uint8Array)) {
        value[i] = toPlain(item, depth + 1, maxDepth);
      }
    }
    return value;
  }
  return value;
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
