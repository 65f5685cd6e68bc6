/**
 * Request ids are integers from 0 to 2^53-1. A larger one, whether MessagePack carries it as a uint64, an int64 or
 * a float64, is BAD_REQUEST answered without id: never rounded into another, valid id.
 */
import { connect } from '@rlfs/protocol/node';
import { RawSocket } from '../src/checker';
import { useLiveServer } from './live-server';

const live = useLiveServer();

/** `{type: "sessions", id}` with the id's MessagePack bytes given as they are. */
function sessionsWithId(idBytes: number[]): Uint8Array {
  return Uint8Array.from([0x82, 0xa4, ...Buffer.from('type'), 0xa8, ...Buffer.from('sessions'), 0xa2, ...Buffer.from('id'), ...idBytes]);
}

function uint64(value: bigint): number[] {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(value);
  return [0xcf, ...b];
}

function float64(value: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(value);
  return [0xcb, ...b];
}

it('echoes 2^53-1, the largest id, in every encoding of it', async () => {
  const raw = await RawSocket.hello(live.server.url, 'spectator');
  for (const bytes of [uint64(2n ** 53n - 1n), float64(2 ** 53 - 1)]) {
    expect(await raw.request(sessionsWithId(bytes))).toEqual({ type: 'sessions_result', id: 2 ** 53 - 1, sessions: expect.any(Array) });
  }
  await raw.close();
});

it('answers ids of 2^53 and above with BAD_REQUEST without id (2^53+1 used to come back as 9007199254740992)', async () => {
  const raw = await RawSocket.hello(live.server.url, 'spectator');
  const cases: Array<[string, number[]]> = [
    ['uint64 2^53', uint64(2n ** 53n)],
    ['uint64 2^53+1', uint64(2n ** 53n + 1n)],
    ['uint64 2^64-1', uint64(2n ** 64n - 1n)],
    ['int64 2^53+1', [0xd3, ...Buffer.from('0020000000000001', 'hex')]],
    ['float64 2^53+2', float64(2 ** 53 + 2)],
    ['float64 1e300', float64(1e300)],
  ];
  for (const [name, bytes] of cases) {
    const reply = await raw.request(sessionsWithId(bytes));
    expect({ name, reply }).toEqual({ name, reply: { type: 'error', code: 'BAD_REQUEST', message: expect.stringMatching(/^id: .*2\^53-1/) } });
  }
  expect(raw.isOpen).toBe(true);
  expect(await raw.request({ type: 'sessions', id: 7 })).toMatchObject({ type: 'sessions_result', id: 7 });
  await raw.close();
});

it('the client refuses to send an id beyond 2^53-1 and says so', async () => {
  // hello goes out with 2^53-1, the last id there is
  const client = await connect(live.server.url, { role: 'spectator', firstId: 2 ** 53 - 1 });
  await expect(client.sessions()).rejects.toMatchObject({ code: 'BAD_ID' });
  expect(() => client.send({ type: 'telemetry', id: 2 ** 53, metrics: {} })).toThrow(/2\^53-1/);
  await client.close();
});
