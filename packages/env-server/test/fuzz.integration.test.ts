/**
 * Fuzz: thousands of random and malformed frames over an agent connection with a live session, from a seeded
 * generator (FUZZ_SEED to vary it). Afterwards the server is up and answering, the session is unchanged, and every
 * frame got exactly one reply in order (telemetry none), carrying the frame's id when it had a valid one.
 */
import { decode, encode } from '@rlfs/protocol';
import type { Message } from '@rlfs/protocol';
import { startServer } from '../src';
import type { RunningServer } from '../src';
import { encodeRaw, F64, RawMap, RawSocket } from '../src/checker';
import { Rng } from '@rlfs/envs';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const FRAMES = 4000;

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1' });
});
afterAll(() => server.close());

function generator(seed: number) {
  const rng = new Rng(seed); // the env core's own seeded generator: a failure names its seed
  const random = (): number => rng.float();
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256));
  /** Values of every MessagePack kind, none of them a valid action. */
  const junk = (): unknown => pick<() => unknown>([
    () => null, () => true, () => false, () => -1 - int(1000), () => 4 + int(1e6), () => random() - 0.5, () => new F64(0.5),
    () => Number.NaN, () => Infinity, () => -Infinity, () => 2 ** 60, () => '', () => 'x'.repeat(int(300)), () => '0', () => 'GridWorld-v0',
    () => bytes(int(40)), () => [], () => [int(4), 'a'], () => ({}), () => ({ a: 1, b: [1, 2] }), () => new RawMap([[1, 2]]),
    () => ({ dtype: pick(['int8', 'int32', 'float32', 'x']), shape: pick([[1], [2, 2], 'x', [-1]]), data: bytes(int(20)) }),
  ])();
  const types = ['hello', 'make', 'reset', 'step', 'render', 'close', 'telemetry', 'sessions', 'subscribe', 'unsubscribe', 'welcome', 'error', 'made', 'STEP', ' step', 'stepp'];
  const fields = ['env', 'options', 'numEnvs', 'seed', 'encoding', 'action', 'mode', 'session', 'metrics', 'protocol', 'role', 'token', 'name', 'id'];
  let nextId = 1;

  /** A request map with wrong types in its fields; never one that could change the session. */
  const request = (): Record<string, unknown> => {
    const type = pick(types);
    const message: Record<string, unknown> = { type };
    const idKind = int(10);
    if (idKind < 7) message.id = nextId++;
    else if (idKind === 7) message.id = pick<unknown>([-1, 0.5, 'one', null, [], 2 ** 64]);
    for (const field of fields) if (field !== 'id' && random() < 0.3) message[field] = junk();
    if (type === 'reset') message.seed = pick<unknown>([-1, 0.5, 'seed', 2 ** 32, [], null, new F64(-2)]); // a bad seed: never a reset
    if (type === 'step') {
      if (random() < 0.2) delete message.action;
      else message.action = junk();
    }
    if (type === 'close') message.id = pick<unknown>([-1, 'close', 1.5, null]); // only a bad id keeps a close from ending the session
    if (type === 'hello' && random() < 0.5) Object.assign(message, { protocol: 1, role: 'agent' }); // a second hello is BAD_REQUEST
    return message;
  };

  /** `depth` nested one-element arrays, or maps {"a": ...}, around a nil. */
  const deep = (depth: number, maps: boolean): Uint8Array => {
    const unit = maps ? [0x81, 0xa1, 0x61] : [0x91];
    const out = new Uint8Array(depth * unit.length + 1);
    for (let i = 0; i < depth; i++) out.set(unit, i * unit.length);
    out[out.length - 1] = 0xc0;
    return out;
  };
  const big = (n: number): Uint8Array => new Uint8Array(n).fill(int(256));

  return (): Uint8Array | string => {
    const kind = int(1000);
    if (kind < 150) return bytes(int(64));
    if (kind < 250) {
      const full = encode(request());
      return full.subarray(0, int(full.byteLength)); // truncated MessagePack
    }
    if (kind < 300) return Uint8Array.from([...encode(request()), ...bytes(1 + int(8))]); // bytes after the map
    if (kind < 330) return JSON.stringify(request()); // a text frame
    if (kind < 360) return encodeRaw(junk()); // not a map
    if (kind < 390) return encodeRaw(new RawMap([[pick<unknown>([1, -7, null, true, 0.5, [], {}, bytes(3)]), junk()], ['type', pick(types)], ['id', nextId++]])); // a key that is not a string
    if (kind < 410) return encodeRaw({ id: nextId++, action: junk() }); // no type
    if (kind < 430) return encodeRaw({ type: junk(), id: nextId++ }); // a type that is not a string
    if (kind < 445) return deep(65 + int(2000), int(2) === 0); // deeper than the codec allows
    if (kind < 447) return deep(50_000 + int(200_000), int(2) === 0); // deep enough to overflow a recursive decoder
    if (kind < 450) return encode({ type: 'make', id: nextId++, env: 'GridWorld-v0', options: { size: 5, nested: JSON.parse('['.repeat(40) + ']'.repeat(40)) } });
    if (kind < 453) return encodeRaw({ type: 'step', id: nextId++, action: new Array(100_000 + int(150_000)).fill(int(4)) }); // huge arrays, under 1 MiB
    if (kind < 456) return encodeRaw({ type: pick(types.filter((t) => t !== 'close')), id: nextId++, options: { pad: big(200_000 + int(800_000)) } });
    if (kind < 470) return Uint8Array.from([0x82, 0xa4, 0x74, 0x79, 0x70, 0x65, 0xa4, 0x6d, 0x61, 0x6b, 0x65, 0xa2, 0x69, 0x64, 0xd4, int(128), int(256)]); // an extension value as id
    return encode(request());
  };
}

/** What the server must answer to a frame: nothing (telemetry), or one reply with this id or without one. */
function expectation(frame: Uint8Array | string): { reply: false } | { reply: true; id: number | undefined } {
  if (typeof frame === 'string') return { reply: true, id: undefined };
  let message: Message;
  try {
    message = decode(frame);
  } catch {
    return { reply: true, id: undefined };
  }
  if (message.type === 'telemetry') return { reply: false };
  const id = message.id;
  // ids stop at 2^53-1: a larger one (2^64 here) is answered without id, never rounded into a valid one
  return { reply: true, id: typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= Number.MAX_SAFE_INTEGER ? id : undefined };
}

it(`survives ${FRAMES} random and malformed frames with the session unchanged (seed ${SEED})`, async () => {
  const agent = await RawSocket.hello(server.url, 'agent');
  const made = await agent.request({ type: 'make', id: 0, env: 'GridWorld-v0', options: { size: 6, obstacles: 4 } });
  const session = made.session as string;
  await agent.request({ type: 'reset', id: 0, seed: 99 });
  for (const action of [1, 3, 1]) await agent.request({ type: 'step', id: 0, action });
  const spectator = await RawSocket.hello(server.url, 'spectator');
  const countsOf = async (): Promise<unknown> => ((await spectator.request({ type: 'sessions', id: 0 })).sessions as Array<{ session: string }>).find((s) => s.session === session);
  const stateBefore = (await agent.request({ type: 'render', id: 0, mode: 'state' })).frame;
  const countsBefore = await countsOf();

  const next = generator(SEED);
  const expected: Array<number | undefined> = [];
  for (let i = 0; i < FRAMES; i++) {
    const frame = next();
    const e = expectation(frame);
    if (e.reply) expected.push(e.id);
    agent.send(frame);
  }
  const replies: Message[] = [];
  for (let i = 0; i < expected.length; i++) replies.push(await agent.next(10_000));
  expect(await agent.nextWithin(100)).toBeUndefined(); // no reply to telemetry, nothing extra
  expect(agent.undecodable).toHaveLength(0);

  const mismatches = replies
    .map((reply, i) => ({ i, reply, id: expected[i] }))
    .filter(({ reply, id }) => reply.type !== 'error' || reply.id !== id || typeof reply.message !== 'string' || (reply.message as string).length === 0);
  expect(mismatches.slice(0, 5)).toEqual([]);
  const codes = new Set(replies.map((r) => r.code));
  for (const code of ['BAD_FRAME', 'UNKNOWN_TYPE', 'WRONG_ROLE', 'BAD_REQUEST', 'INVALID_ACTION', 'ALREADY_MADE', 'INVALID_OPTIONS']) expect(codes).toContain(code);

  expect(agent.isOpen).toBe(true);
  expect((await agent.request({ type: 'render', id: 1, mode: 'state' })).frame).toEqual(stateBefore);
  expect(await countsOf()).toEqual(countsBefore);
  expect((await agent.request({ type: 'step', id: 2, action: 0 })).type).toBe('step_result');
  const fresh = await RawSocket.hello(server.url, 'agent');
  expect((await fresh.request({ type: 'make', id: 1, env: 'GridWorld-v0' })).type).toBe('made');
  await Promise.all([agent.close(), spectator.close(), fresh.close()]);
});
