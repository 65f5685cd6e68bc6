/**
 * The packed vector `step_result`, written straight into one reused buffer: the hot reply of a packed session.
 * Everything but the data bytes, the `ended` list and the id is the same at every step, so it is encoded once per
 * session; a step copies the typed arrays' bytes behind precomputed headers. No objects per step, no encoder
 * buffers to collect. The bytes are the MessagePack map the generic codec would produce (same keys, same order).
 */
import type { DType } from '@rlfs/protocol';
import type { EndedInfo, EndedRecords, Observation, VectorEnv } from '@rlfs/envs';

/** Worst-case bytes of one `ended` item beyond its observation bytes (headers, keys, index, return, length). */
const ENDED_ITEM_OVERHEAD = 96;

export class PackedStepWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private readonly obsHead: Uint8Array;
  private readonly rewardHead: Uint8Array;
  private readonly terminatedHead: Uint8Array;
  private readonly truncatedHead: Uint8Array;
  private readonly endedKey: Uint8Array;
  private readonly finalObsHead: Uint8Array;
  /** The fixed bytes of an `ended` item: its map header and `index` key; `episode` up to `return`; `length`. */
  private readonly indexHead: Uint8Array;
  private readonly returnHead: Uint8Array;
  private readonly lengthKey: Uint8Array;
  /** The bytes of `recordsSeen.finalObservations` (a session's env keeps one EndedRecords for its life). */
  private recordBytes: Uint8Array | undefined;
  private recordsSeen: EndedRecords | undefined;
  private readonly fixedBytes: number;
  private readonly obsBytesPerEnv: number;

  constructor(numEnvs: number, dtype: DType, shape: readonly number[], itemSize: number) {
    const perEnv = shape.reduce((a, b) => a * b, 1);
    this.obsBytesPerEnv = perEnv * itemSize;
    const w = new ByteWriter(256);
    // The map header's entry count is patched in finish(): 6 without id, 7 with.
    w.byte(0x86).str('type').str('step_result').str('observation');
    this.obsHead = w.packedHead(dtype, [numEnvs, ...shape], numEnvs * this.obsBytesPerEnv).take();
    this.rewardHead = w.str('reward').packedHead('float64', [numEnvs], numEnvs * 8).take();
    this.terminatedHead = w.str('terminated').packedHead('uint8', [numEnvs], numEnvs).take();
    this.truncatedHead = w.str('truncated').packedHead('uint8', [numEnvs], numEnvs).take();
    this.endedKey = w.str('ended').take();
    this.finalObsHead = w.str('finalObservation').packedHead(dtype, shape, this.obsBytesPerEnv).take();
    this.indexHead = w.byte(0x83).str('index').take();
    this.returnHead = w.str('episode').byte(0x82).str('return').take();
    this.lengthKey = w.str('length').take();
    this.fixedBytes = this.obsHead.length + this.rewardHead.length + this.terminatedHead.length + this.truncatedHead.length + this.endedKey.length
      + numEnvs * (this.obsBytesPerEnv + 8 + 2) + 16;
    this.buf = new Uint8Array(this.fixedBytes + 8 * (this.finalObsHead.length + this.obsBytesPerEnv + ENDED_ITEM_OVERHEAD));
    this.view = new DataView(this.buf.buffer);
  }

  /** Writes the reply of the step `vec` just took, up to the id; then call {@link finish}. */
  write(vec: VectorEnv): this {
    const records = vec.endedRecords;
    const ended = records ? undefined : vec.ended;
    const count = records ? records.count : ended!.length;
    this.ensure(this.fixedBytes + count * (this.finalObsHead.length + this.obsBytesPerEnv + ENDED_ITEM_OVERHEAD));
    this.pos = 0;
    this.copy(this.obsHead);
    this.copyArray(vec.observations);
    this.copy(this.rewardHead);
    this.copyArray(vec.rewards);
    this.copy(this.terminatedHead);
    this.copyArray(vec.terminated);
    this.copy(this.truncatedHead);
    this.copyArray(vec.truncated);
    this.copy(this.endedKey);
    this.arrayHead(count);
    if (records && this.recordsSeen !== records) {
      const obs = records.finalObservations;
      this.recordBytes = new Uint8Array(obs.buffer, obs.byteOffset, obs.byteLength);
      this.recordsSeen = records;
    }
    if (records) for (let k = 0; k < count; k++) this.endedRecord(records, k);
    else for (let k = 0; k < count; k++) this.endedItem(ended![k]!);
    return this;
  }

  /**
   * Appends `id` (when there is one) and returns the frame: a view of the writer's buffer, valid until the next
   * {@link write}, unless {@link detach} is called first.
   */
  finish(id: number | undefined): Uint8Array {
    if (id !== undefined) {
      this.buf[0] = 0x87;
      this.str('id');
      this.number(id);
    } else this.buf[0] = 0x86;
    return this.buf.subarray(0, this.pos);
  }

  /** The last frame is still in use (queued by the socket): the next write goes to a new buffer. */
  detach(): void {
    this.buf = new Uint8Array(this.buf.length);
    this.view = new DataView(this.buf.buffer);
  }

  private endedItem(e: EndedInfo): void {
    this.byte(0x83);
    this.str('index');
    this.number(e.index);
    this.copy(this.finalObsHead);
    this.copyArray(e.finalObservation);
    this.str('episode');
    this.byte(0x82);
    this.str('return');
    this.number(e.episode.return);
    this.str('length');
    this.number(e.episode.length);
  }

  /** The same item as {@link endedItem}, read from the env's columns (no object per ended episode). */
  private endedRecord(records: EndedRecords, k: number): void {
    this.copy(this.indexHead);
    this.number(records.index[k]!);
    this.copy(this.finalObsHead);
    const size = this.obsBytesPerEnv;
    const buf = this.buf;
    const src = this.recordBytes!;
    let p = this.pos;
    for (let j = k * size, end = j + size; j < end; j++) buf[p++] = src[j]!;
    this.pos = p;
    this.copy(this.returnHead);
    this.number(records.returns[k]!);
    this.copy(this.lengthKey);
    this.number(records.lengths[k]!);
  }

  private ensure(bytes: number): void {
    if (bytes <= this.buf.length) return;
    this.buf = new Uint8Array(Math.max(bytes, 2 * this.buf.length));
    this.view = new DataView(this.buf.buffer);
  }

  private byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  private copy(bytes: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < bytes.length; i++) buf[p++] = bytes[i]!;
    this.pos = p;
  }

  private copyArray(array: Observation | Float64Array | Uint8Array): void {
    const bytes = array.byteLength;
    if (bytes < 64) {
      const src = new Uint8Array(array.buffer, array.byteOffset, bytes);
      this.copy(src);
      return;
    }
    this.buf.set(new Uint8Array(array.buffer, array.byteOffset, bytes), this.pos);
    this.pos += bytes;
  }

  private arrayHead(length: number): void {
    if (length < 16) this.byte(0x90 | length);
    else {
      this.byte(0xdc);
      this.view.setUint16(this.pos, length);
      this.pos += 2;
    }
  }

  private str(s: string): void {
    // Keys here are short ASCII: fixstr.
    this.byte(0xa0 | s.length);
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
  }

  private number(v: number): void {
    this.pos = writeNumber(this.view, this.buf, this.pos, v);
  }
}

/** A small growable MessagePack writer for the fixed parts, used once per session. */
class ByteWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }

  byte(b: number): this {
    this.room(1);
    this.buf[this.pos++] = b;
    return this;
  }

  str(s: string): this {
    if (s.length > 31) throw new Error(`key too long for fixstr: ${s}`);
    this.byte(0xa0 | s.length);
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
    return this;
  }

  /** `{dtype, shape, data: bin header}`: the packed array up to its data bytes. */
  packedHead(dtype: DType, shape: readonly number[], dataBytes: number): this {
    this.byte(0x83).str('dtype').str(dtype).str('shape');
    if (shape.length >= 16) throw new Error('shape has too many dimensions');
    this.byte(0x90 | shape.length);
    for (const d of shape) {
      this.room(9);
      this.pos = writeNumber(new DataView(this.buf.buffer), this.buf, this.pos, d);
    }
    this.str('data');
    this.room(5);
    if (dataBytes < 256) this.byte(0xc4).byte(dataBytes);
    else if (dataBytes < 65536) this.byte(0xc5).byte(dataBytes >>> 8).byte(dataBytes & 0xff);
    else this.byte(0xc6).byte(dataBytes >>> 24).byte((dataBytes >>> 16) & 0xff).byte((dataBytes >>> 8) & 0xff).byte(dataBytes & 0xff);
    return this;
  }

  /** The bytes written since the last take. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(2 * (this.pos + n));
    next.set(this.buf);
    this.buf = next;
  }
}

/** A number as MessagePack: the smallest integer form when integral (as msgpackr does), else float64. */
function writeNumber(view: DataView, buf: Uint8Array, pos: number, v: number): number {
  if (Number.isInteger(v)) {
    if (v >= 0) {
      if (v < 128) {
        buf[pos] = v;
        return pos + 1;
      }
      if (v < 256) {
        buf[pos] = 0xcc;
        buf[pos + 1] = v;
        return pos + 2;
      }
      if (v < 65536) {
        buf[pos] = 0xcd;
        view.setUint16(pos + 1, v);
        return pos + 3;
      }
      if (v < 4294967296) {
        buf[pos] = 0xce;
        view.setUint32(pos + 1, v);
        return pos + 5;
      }
    } else if (v >= -2147483648) {
      if (v >= -32) {
        buf[pos] = v & 0xff;
        return pos + 1;
      }
      if (v >= -128) {
        buf[pos] = 0xd0;
        view.setInt8(pos + 1, v);
        return pos + 2;
      }
      if (v >= -32768) {
        buf[pos] = 0xd1;
        view.setInt16(pos + 1, v);
        return pos + 3;
      }
      buf[pos] = 0xd2;
      view.setInt32(pos + 1, v);
      return pos + 5;
    }
  }
  buf[pos] = 0xcb;
  view.setFloat64(pos + 1, v);
  return pos + 9;
}
