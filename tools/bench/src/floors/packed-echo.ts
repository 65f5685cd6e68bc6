/**
 * The loopback floor of the packed vector rows (`loopback-packed-echo-floor`): bare `ws` + msgpackr, one round trip
 * per step, carrying the same bytes as a real packed `step_result` and the same request as `RemoteVectorEnv`.
 *
 * Server side (in the bench's server process, beside the real server): a `WebSocketServer` whose first message
 * from a client is the reply template (a real `step_result` frame the client captured from the real server); every
 * later message is a request, decoded with msgpackr, answered with the template, its id patched in place. No
 * environment, no session, no validation: what is left is the socket, the framing and the decode.
 *
 * Client side (in the bench's client process): `captureReply` takes the template from the real server (a packed
 * session stepped with random actions; the frame with the median count of ended episodes); `PackedEchoFloor.step`
 * does the agent's part of a round trip as plainly as it can: the actions copied into a reused uint8 array, the
 * request packed with msgpackr and sent with a zero mask key (as the real Node client sends large frames), the reply
 * decoded with msgpackr and its observation, rewards and flags copied into the agent's typed arrays, each ended
 * episode's final observation viewed as a typed array.
 */
import type { AddressInfo } from 'node:net';
import { Packr, Unpackr } from 'msgpackr';
import { WebSocket, WebSocketServer } from 'ws';
import { decode, encode } from '@rlfs/protocol';

/** Request ids of captured and floor steps start here so that every id is a msgpack uint32 (0xce + 4 bytes). */
const ID_BASE = 0x10000;
const CAPTURE_STEPS = 101;

const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

/** Starts the floor's server on 127.0.0.1 (port 0); returns its url and a close function. */
export function startPackedEchoFloor(): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 64 << 20 });
  wss.on('connection', (socket) => {
    let template: Buffer | undefined;
    socket.on('message', (data: Buffer) => {
      if (!template) {
        template = Buffer.from(data);
        socket.send(Buffer.from([1]));
        return;
      }
      const request = unpackr.unpack(data) as { id: number };
      template.writeUInt32BE(request.id >>> 0, template.length - 4);
      socket.send(template);
      // if the socket could not take the whole frame, later patches must not touch the queued bytes
      if (socket.bufferedAmount > 0) template = Buffer.from(template);
    });
  });
  return new Promise((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () =>
      resolve({
        url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
        close: () => new Promise<void>((done) => {
          for (const client of wss.clients) client.terminate();
          wss.close(() => done());
        }),
      }),
    );
  });
}

/** A real packed `step_result` frame of `env` at `numEnvs`, from the server at `url`, ending in a uint32 id. */
export async function captureReply(url: string, env: string, numEnvs: number, numActions: number): Promise<Buffer> {
  const ws = await open(url);
  const frames: Buffer[] = [];
  let wake: ((frame: Buffer) => void) | undefined;
  ws.on('message', (data: Buffer) => wake?.(data));
  const request = (message: Record<string, unknown>): Promise<Buffer> =>
    new Promise((resolve) => {
      wake = resolve;
      ws.send(encode(message as never));
    });
  try {
    const expect = async (message: Record<string, unknown>, type: string): Promise<Buffer> => {
      const frame = await request(message);
      const reply = decode(frame) as unknown as Record<string, unknown>;
      if (reply.type !== type) throw new Error(`${String(message.type)} was answered with ${JSON.stringify(reply).slice(0, 300)}`);
      return frame;
    };
    await expect({ type: 'hello', id: 1, protocol: 1, role: 'agent', name: 'bench-capture' }, 'welcome');
    await expect({ type: 'make', id: 2, env, numEnvs, encoding: 'packed', seed: 1 }, 'made');
    await expect({ type: 'reset', id: 3 }, 'reset_result');
    const actions = new Uint8Array(numEnvs);
    let x = 2463534242;
    for (let k = 0; k < CAPTURE_STEPS; k++) {
      for (let i = 0; i < numEnvs; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        actions[i] = (x >>> 0) % numActions;
      }
      frames.push(Buffer.from(await expect({ type: 'step', id: ID_BASE + k, action: { dtype: 'uint8', shape: [numEnvs], data: actions } }, 'step_result')));
    }
  } finally {
    ws.terminate();
  }
  const byEnded = frames.map((f) => ({ f, ended: (unpackr.unpack(f) as { ended: unknown[] }).ended.length })).sort((a, b) => a.ended - b.ended);
  const frame = byEnded[byEnded.length >> 1]!.f;
  if (frame[frame.length - 5] !== 0xce) throw new Error('the captured step_result does not end with a uint32 id');
  return frame;
}

interface PackedArray {
  dtype: string;
  shape: number[];
  data: Uint8Array;
}
interface PackedReply {
  observation: PackedArray;
  reward: PackedArray;
  terminated: PackedArray;
  truncated: PackedArray;
  ended: Array<{ index: number; finalObservation: PackedArray }>;
}

/** The agent's side of the floor: one connection, one round trip per `step`. */
export class PackedEchoFloor {
  private readonly packr = new Packr({ useRecords: false });
  private readonly actions: Uint8Array;
  private readonly request: { type: string; id: number; action: { dtype: string; shape: number[]; data: Uint8Array } };
  private wake: ((data: Buffer) => void) | undefined;
  private nextId = ID_BASE;
  /** The agent's copies, as `RemoteVectorEnv` keeps them. */
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  ended: ArrayLike<number>[] = [];

  private constructor(
    private readonly ws: WebSocket,
    readonly numEnvs: number,
    readonly observations: Int8Array | Uint8Array | Float32Array,
  ) {
    this.actions = new Uint8Array(numEnvs);
    this.request = { type: 'step', id: 0, action: { dtype: 'uint8', shape: [numEnvs], data: this.actions } };
    this.rewards = new Float64Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    ws.on('message', (data: Buffer) => this.wake?.(data));
  }

  /** Connects to the floor's server and hands it the reply template. */
  static async open(url: string, template: Buffer, numEnvs: number): Promise<PackedEchoFloor> {
    const reply = unpackr.unpack(template) as PackedReply;
    const count = reply.observation.shape.reduce((a, b) => a * b, 1);
    const observations = reply.observation.dtype === 'float32' ? new Float32Array(count) : reply.observation.dtype === 'uint8' ? new Uint8Array(count) : new Int8Array(count);
    const ws = await open(url);
    const floor = new PackedEchoFloor(ws, numEnvs, observations);
    await new Promise<Buffer>((resolve) => {
      floor.wake = resolve;
      ws.send(template);
    });
    return floor;
  }

  async step(actions: ArrayLike<number>): Promise<void> {
    const out = this.actions;
    for (let i = 0; i < this.numEnvs; i++) out[i] = actions[i]!;
    this.request.id = this.nextId++;
    const data = await new Promise<Buffer>((resolve) => {
      this.wake = resolve;
      this.ws.send(this.packr.pack(this.request));
    });
    const reply = unpackr.unpack(data) as PackedReply;
    this.observations.set(view(reply.observation));
    this.rewards.set(view(reply.reward));
    this.terminated.set(reply.terminated.data);
    this.truncated.set(reply.truncated.data);
    this.ended = reply.ended.map((e) => view(e.finalObservation));
  }

  close(): void {
    this.ws.terminate();
  }
}

const TYPED = { int8: Int8Array, uint8: Uint8Array, float32: Float32Array, float64: Float64Array } as const;

/** The packed array's values as a typed array (a view, or a copy where the bytes are not aligned). */
function view(p: PackedArray): ArrayLike<number> {
  const Ctor = TYPED[p.dtype as keyof typeof TYPED];
  const size = Ctor.BYTES_PER_ELEMENT;
  const d = p.data;
  if (d.byteOffset % size === 0) return new Ctor(d.buffer as ArrayBuffer, d.byteOffset, d.byteLength / size);
  const copy = new Uint8Array(d.byteLength);
  copy.set(d);
  return new Ctor(copy.buffer);
}

/** A Node `ws` client as the real one is made: no compression, a zero mask key (large frames go unmasked). */
async function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 << 20, generateMask: (mask: Uint8Array) => mask.fill(0) });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}
