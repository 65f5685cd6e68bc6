/** The client's decoder of server frames: the same messages as the strict decode, and BAD_FRAME for what is not one. */
import { pack as msgpack } from 'msgpackr';
import { BadFrameError, decode, encode, pack } from '../src';
import { decodeReply } from '../src/codec';

describe('decodeReply', () => {
  it.each([
    { type: 'step_result', id: 7, observation: [0, 1, 2, -1], reward: -1.25, terminated: false, truncated: true, info: { agent: [1, 2], goal: [0, 0], hitWall: false } },
    { type: 'step_result', id: 8, observation: pack(new Int8Array([1, -1, 2])), reward: pack(new Float64Array([0.5])), ended: [{ index: 0, episode: { return: 3, length: 9 } }] },
    { type: 'frame', session: 's1', index: 0, step: 0, action: null, reward: null, state: { size: 2, agent: [0, 0], goal: [1, 1], obstacles: [] } },
  ])('decodes what the codec encodes, as plain objects: %j', (message) => {
    const bytes = encode(message);
    expect(decodeReply(bytes)).toEqual(decode(bytes));
    expect(Object.getPrototypeOf(decodeReply(bytes))).toBe(Object.prototype);
  });

  it.each([
    ['not MessagePack', new Uint8Array([0xc1])],
    ['not a map', msgpack([1, 2])],
    ['no type', msgpack({ id: 1 })],
    ['a type that is not a string', msgpack({ type: 3 })],
    ['bin', msgpack(new Uint8Array([1, 2]))],
  ])('refuses a frame that is %s', (_what, bytes) => {
    expect(() => decodeReply(bytes)).toThrow(BadFrameError);
  });
});
