/** Every error code of protocol 1 and their order of precedence, over a real socket; ids echoed; pipelining. */
import { startServer } from '../src';
import type { RunningServer } from '../src';
import { encodeRaw, F64, RawMap, RawSocket } from '../src/checker';
import type { Message } from '@rlfs/protocol';
import { encode } from '@rlfs/protocol';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', maxNumEnvs: 64 });
});
afterAll(() => server.close());

const GOAL_RIGHT = ['AG', '..']; // agent (0,0), goal (0,1): action 3 reaches the goal
const FAR_GOAL = ['A.', '.G'];

function isError(reply: Message, code: string, id?: number): void {
  expect(reply.type).toBe('error');
  expect(reply.code).toBe(code);
  expect(typeof reply.message).toBe('string');
  expect((reply.message as string).length).toBeGreaterThan(0);
  if (id === undefined) expect('id' in reply).toBe(false);
  else expect(reply.id).toBe(id);
}

async function agent(): Promise<RawSocket> {
  return RawSocket.hello(server.url, 'agent');
}

async function madeAgent(make: Record<string, unknown> = {}): Promise<RawSocket> {
  const raw = await agent();
  const made = await raw.request({ type: 'make', id: 0, env: 'GridWorld-v0', ...make });
  expect(made.type).toBe('made');
  return raw;
}

/** After an error the connection is open and answers. */
async function stillAnswers(raw: RawSocket): Promise<void> {
  expect(raw.isOpen).toBe(true);
  const reply = await raw.request({ type: 'render', id: 999_999, mode: 'nonsense' });
  isError(reply, 'BAD_REQUEST', 999_999);
}

describe('BAD_FRAME (no id: nothing could be read), the connection stays open', () => {
  const frames: Array<[string, Uint8Array | string]> = [
    ['a text frame', JSON.stringify({ type: 'hello', protocol: 1, role: 'agent' })],
    ['bytes that are not MessagePack', Uint8Array.from([0xc1])],
    ['truncated MessagePack', encode({ type: 'make', id: 1, env: 'GridWorld-v0' }).subarray(0, 10)],
    ['bytes after the map', Uint8Array.from([...encode({ type: 'sessions', id: 1 }), 0x01])],
    ['a second map after the first', Uint8Array.from([...encode({ type: 'sessions', id: 1 }), ...encode({ type: 'sessions', id: 2 })])],
    ['an array', encodeRaw(['make', 1])],
    ['a string', encodeRaw('make')],
    ['nil', encodeRaw(null)],
    ['an empty frame', new Uint8Array(0)],
    ['a map with an integer key', encodeRaw(new RawMap([['type', 'make'], [1, 'x']]))],
    ['a map with a nested non-string key', encodeRaw({ type: 'make', id: 1, env: 'GridWorld-v0', options: new RawMap([[true, 1]]) })],
    ['a map without type', encodeRaw({ id: 1, env: 'GridWorld-v0' })],
    ['a type that is a number', encodeRaw({ type: 5, id: 1 })],
    ['a type that is nil', encodeRaw({ type: null, id: 1 })],
    ['a type that is bytes', encodeRaw({ type: new TextEncoder().encode('make'), id: 1 })],
  ];
  it.each(frames)('before hello: %s', async (_what, frame) => {
    const raw = await RawSocket.open(server.url);
    isError(await raw.request(frame), 'BAD_FRAME');
    expect((await raw.request({ type: 'hello', id: 1, protocol: 1, role: 'agent' })).type).toBe('welcome');
    await raw.close();
  });
  it('after hello, in a live session, each of them, the session unchanged', async () => {
    const raw = await madeAgent({ options: { layout: FAR_GOAL } });
    await raw.request({ type: 'reset', id: 1, seed: 3 });
    const before = await raw.request({ type: 'render', id: 2, mode: 'state' });
    for (const [, frame] of frames) isError(await raw.request(frame), 'BAD_FRAME');
    expect(await raw.request({ type: 'render', id: 3, mode: 'state' })).toEqual({ ...before, id: 3 });
    await raw.close();
  });
});

describe('codes after hello', () => {
  it('UNKNOWN_TYPE for a type no role has, with its id', async () => {
    const raw = await agent();
    isError(await raw.request({ type: 'dance', id: 3 }), 'UNKNOWN_TYPE', 3);
    isError(await raw.request({ type: 'welcome', id: 4 }), 'UNKNOWN_TYPE', 4);
    isError(await raw.request({ type: '', id: 5 }), 'UNKNOWN_TYPE', 5);
    await stillAnswers(raw);
    await raw.close();
  });

  it('WRONG_ROLE both ways', async () => {
    const a = await agent();
    for (const type of ['sessions', 'subscribe', 'unsubscribe']) isError(await a.request({ type, id: 1, session: 's1' }), 'WRONG_ROLE', 1);
    const s = await RawSocket.hello(server.url, 'spectator');
    for (const type of ['make', 'reset', 'step', 'render', 'close']) isError(await s.request({ type, id: 2, env: 'GridWorld-v0', action: 0, mode: 'ansi' }), 'WRONG_ROLE', 2);
    await Promise.all([a.close(), s.close()]);
  });

  it('BAD_REQUEST: make without env or with a non-string env, render with a bad mode, step without action, a bad id', async () => {
    const raw = await agent();
    isError(await raw.request({ type: 'make', id: 1 }), 'BAD_REQUEST', 1);
    isError(await raw.request({ type: 'make', id: 2, env: 7 }), 'BAD_REQUEST', 2);
    isError(await raw.request({ type: 'render', id: 3, mode: 'rgb' }), 'BAD_REQUEST', 3);
    isError(await raw.request({ type: 'render', id: 4 }), 'BAD_REQUEST', 4);
    isError(await raw.request({ type: 'step', id: 5 }), 'BAD_REQUEST', 5);
    isError(await raw.request({ type: 'render', id: -1, mode: 'ansi' }), 'BAD_REQUEST');
    isError(await raw.request({ type: 'render', id: 1.5, mode: 'ansi' }), 'BAD_REQUEST');
    isError(await raw.request({ type: 'render', id: 'one', mode: 'ansi' }), 'BAD_REQUEST');
    const s = await RawSocket.hello(server.url, 'spectator');
    isError(await s.request({ type: 'subscribe', id: 6 }), 'BAD_REQUEST', 6);
    isError(await s.request({ type: 'unsubscribe', id: 7, session: 1 }), 'BAD_REQUEST', 7);
    await Promise.all([raw.close(), s.close()]);
  });

  it('NOT_MADE for every agent request before make', async () => {
    const raw = await agent();
    isError(await raw.request({ type: 'reset', id: 1 }), 'NOT_MADE', 1);
    isError(await raw.request({ type: 'step', id: 2, action: 0 }), 'NOT_MADE', 2);
    isError(await raw.request({ type: 'render', id: 3, mode: 'ansi' }), 'NOT_MADE', 3);
    isError(await raw.request({ type: 'close', id: 4 }), 'NOT_MADE', 4);
    await raw.close();
  });

  it('RESET_NEEDED before the first reset (step and render, scalar and vector)', async () => {
    for (const make of [{}, { numEnvs: 2 }]) {
      const raw = await madeAgent(make);
      isError(await raw.request({ type: 'step', id: 1, action: make.numEnvs ? [0, 0] : 0 }), 'RESET_NEEDED', 1);
      isError(await raw.request({ type: 'render', id: 2, mode: 'ansi' }), 'RESET_NEEDED', 2);
      expect((await raw.request({ type: 'reset', id: 3 })).type).toBe('reset_result');
      expect((await raw.request({ type: 'render', id: 4, mode: 'ansi' })).type).toBe('render_result');
      await raw.close();
    }
  });

  it('RESET_NEEDED after terminated and after truncated in a scalar session, until reset', async () => {
    const raw = await madeAgent({ options: { layout: GOAL_RIGHT } });
    await raw.request({ type: 'reset', id: 1 });
    expect(await raw.request({ type: 'step', id: 2, action: 3 })).toMatchObject({ terminated: true, truncated: false });
    isError(await raw.request({ type: 'step', id: 3, action: 3 }), 'RESET_NEEDED', 3);
    expect((await raw.request({ type: 'render', id: 4, mode: 'ansi' })).frame).toBe('.A\n..');
    await raw.request({ type: 'close', id: 5 });
    await raw.request({ type: 'make', id: 6, env: 'GridWorld-v0', options: { layout: FAR_GOAL, maxEpisodeSteps: 2 } });
    await raw.request({ type: 'reset', id: 7 });
    expect(await raw.request({ type: 'step', id: 8, action: 0 })).toMatchObject({ terminated: false, truncated: false });
    expect(await raw.request({ type: 'step', id: 9, action: 0 })).toMatchObject({ terminated: false, truncated: true, info: { episode: { length: 2 } } });
    isError(await raw.request({ type: 'step', id: 10, action: 1 }), 'RESET_NEEDED', 10);
    await raw.request({ type: 'reset', id: 11 });
    expect((await raw.request({ type: 'step', id: 12, action: 1 })).type).toBe('step_result');
    await raw.close();
  });

  it('UNKNOWN_ENV', async () => {
    const raw = await agent();
    isError(await raw.request({ type: 'make', id: 1, env: 'MountainCar-v0' }), 'UNKNOWN_ENV', 1);
    await raw.close();
  });

  it.each([
    ['an unknown option', { options: { colour: 'red' } }, /colour/],
    ['a size out of range', { options: { size: 65 } }, /size/],
    ['a size of the wrong type', { options: { size: 'big' } }, /size/],
    ['an unknown boundary', { options: { boundary: 'bouncy' } }, /boundary/],
    ['an unknown reward key', { options: { rewards: { coin: 1 } } }, /rewards/],
    ['too many obstacles', { options: { size: 3, obstacles: 8 } }, /obstacles/],
    ['a layout that is not square', { options: { layout: ['A..', 'G.'] } }, /layout/],
    ['a layout with a size that disagrees', { options: { layout: GOAL_RIGHT, size: 3 } }, /size|layout/],
    ['options that are not a map', { options: [1, 2] }, /options/],
    ['numEnvs 0', { numEnvs: 0 }, /numEnvs/],
    ['numEnvs 1.5', { numEnvs: 1.5 }, /numEnvs/],
    ['numEnvs "2"', { numEnvs: '2' }, /numEnvs/],
    ['numEnvs above the limit', { numEnvs: 65 }, /numEnvs/],
    ['a negative seed', { seed: -1 }, /seed/],
    ['a fractional seed', { seed: 0.5 }, /seed/],
    ['a seed of 2^32', { seed: 2 ** 32 }, /seed/],
    ['seed + numEnvs - 1 = 2^32', { seed: 2 ** 32 - 3, numEnvs: 4 }, /seed/],
    ['an unknown encoding', { encoding: 'json' }, /encoding/],
  ])('INVALID_OPTIONS in make naming the option: %s', async (_what, fields, names) => {
    const raw = await agent();
    const reply = await raw.request({ type: 'make', id: 8, env: 'GridWorld-v0', ...fields });
    isError(reply, 'INVALID_OPTIONS', 8);
    expect(reply.message).toMatch(names);
    expect((await raw.request({ type: 'make', id: 9, env: 'GridWorld-v0' })).type).toBe('made'); // nothing was made before
    await raw.close();
  });

  it('the largest seeds that fit are accepted: 2^32-1 scalar, 2^32-4 with 4 envs', async () => {
    const raw = await agent();
    expect((await raw.request({ type: 'make', id: 1, env: 'GridWorld-v0', seed: 2 ** 32 - 1 })).type).toBe('made');
    expect((await raw.request({ type: 'reset', id: 2, seed: 2 ** 32 - 1 })).type).toBe('reset_result');
    await raw.request({ type: 'close', id: 3 });
    expect((await raw.request({ type: 'make', id: 4, env: 'GridWorld-v0', numEnvs: 4, seed: 2 ** 32 - 4 })).type).toBe('made');
    expect((await raw.request({ type: 'reset', id: 5 })).type).toBe('reset_result');
    await raw.close();
  });

  it('INVALID_OPTIONS in reset: bad seeds, seed overflow with numEnvs, any reset option; the session unchanged', async () => {
    const raw = await madeAgent({ numEnvs: 3, seed: 11 });
    for (const [id, fields] of [
      [1, { seed: -5 }],
      [2, { seed: 'x' }],
      [3, { seed: 2 ** 32 - 2 }],
      [4, { options: { start: [0, 0] } }],
      [5, { options: 'none' }],
    ] as const) {
      const reply = await raw.request({ type: 'reset', id, ...fields });
      isError(reply, 'INVALID_OPTIONS', id);
      expect(reply.message).toMatch('seed' in fields ? /seed/ : /options/);
    }
    isError(await raw.request({ type: 'step', id: 6, action: [0, 0, 0] }), 'RESET_NEEDED', 6); // no reset happened
    // make.seed is still pending: this reset equals a fresh session's reset {seed: 11}
    const first = await raw.request({ type: 'reset', id: 7, options: {} });
    const twin = await madeAgent({ numEnvs: 3 });
    expect(await twin.request({ type: 'reset', id: 7, seed: 11 })).toEqual(first);
    await Promise.all([raw.close(), twin.close()]);
  });

  it('ALREADY_MADE, the session untouched', async () => {
    const raw = await madeAgent({ options: { size: 4 } });
    isError(await raw.request({ type: 'make', id: 1, env: 'GridWorld-v0' }), 'ALREADY_MADE', 1);
    const reset = await raw.request({ type: 'reset', id: 2, seed: 0 });
    expect((reset.observation as number[]).length).toBe(16);
    await raw.close();
  });

  it('INVALID_ACTION leaves the state unchanged and the step uncounted', async () => {
    const raw = await madeAgent({ options: { size: 6 } });
    const twin = await madeAgent({ options: { size: 6 } });
    await raw.request({ type: 'reset', id: 1, seed: 5 });
    await twin.request({ type: 'reset', id: 1, seed: 5 });
    const spectator = await RawSocket.hello(server.url, 'spectator');
    const stepsOf = async (): Promise<number[]> => ((await spectator.request({ type: 'sessions', id: 0 })).sessions as Array<{ steps: number }>).map((s) => s.steps);
    const before = await raw.request({ type: 'render', id: 2, mode: 'state' });
    const counts = await stepsOf();
    for (const action of [-1, 4, 0.5, 'up', null, [1], { a: 1 }, true, Number.NaN, Infinity]) {
      isError(await raw.request({ type: 'step', id: 3, action }), 'INVALID_ACTION', 3);
    }
    expect(await raw.request({ type: 'render', id: 2, mode: 'state' })).toEqual(before);
    expect(await stepsOf()).toEqual(counts);
    for (let t = 0; t < 12; t++) {
      const action = (t * 7) % 4;
      expect(await raw.request({ type: 'step', id: 4, action })).toEqual(await twin.request({ type: 'step', id: 4, action }));
    }
    await Promise.all([raw.close(), twin.close(), spectator.close()]);
  });

  it('UNKNOWN_SESSION for subscribing to a session that does not exist or has ended', async () => {
    const s = await RawSocket.hello(server.url, 'spectator');
    isError(await s.request({ type: 'subscribe', id: 1, session: 'no-such-session' }), 'UNKNOWN_SESSION', 1);
    const a = await madeAgent();
    const list = (await s.request({ type: 'sessions', id: 3 })).sessions as Array<{ session: string }>;
    const live = list[list.length - 1]!.session;
    await a.request({ type: 'close', id: 4 });
    isError(await s.request({ type: 'subscribe', id: 5, session: live }), 'UNKNOWN_SESSION', 5);
    await Promise.all([a.close(), s.close()]);
  });
});

describe('precedence: BAD_FRAME, HELLO_REQUIRED, UNKNOWN_TYPE, WRONG_ROLE, BAD_REQUEST, NOT_MADE, RESET_NEEDED, then the request own', () => {
  it('BAD_FRAME before HELLO_REQUIRED', async () => {
    const raw = await RawSocket.open(server.url);
    isError(await raw.request(encodeRaw({ type: 7, id: 1 })), 'BAD_FRAME');
    await raw.close();
  });
  it('HELLO_REQUIRED before UNKNOWN_TYPE and before a bad id', async () => {
    const raw = await RawSocket.open(server.url);
    isError(await raw.request({ type: 'dance', id: 1 }), 'HELLO_REQUIRED', 1);
    isError(await raw.request({ type: 'make', id: -4 }), 'HELLO_REQUIRED');
    await raw.close();
  });
  it('UNKNOWN_TYPE before BAD_REQUEST (a bad id)', async () => {
    const raw = await agent();
    isError(await raw.request({ type: 'dance', id: 'x' }), 'UNKNOWN_TYPE');
    await raw.close();
  });
  it('WRONG_ROLE before BAD_REQUEST', async () => {
    const a = await agent();
    isError(await a.request({ type: 'subscribe', id: 1 }), 'WRONG_ROLE', 1);
    const s = await RawSocket.hello(server.url, 'spectator');
    isError(await s.request({ type: 'step', id: 2 }), 'WRONG_ROLE', 2);
    isError(await s.request({ type: 'make', id: 3 }), 'WRONG_ROLE', 3);
    await Promise.all([a.close(), s.close()]);
  });
  it('BAD_REQUEST before NOT_MADE', async () => {
    const raw = await agent();
    isError(await raw.request({ type: 'step', id: 1 }), 'BAD_REQUEST', 1);
    isError(await raw.request({ type: 'render', id: 2, mode: 'gif' }), 'BAD_REQUEST', 2);
    await raw.close();
  });
  it('NOT_MADE before RESET_NEEDED and the request own codes', async () => {
    const raw = await agent();
    isError(await raw.request({ type: 'step', id: 1, action: 99 }), 'NOT_MADE', 1);
    isError(await raw.request({ type: 'reset', id: 2, seed: -1, options: { x: 1 } }), 'NOT_MADE', 2);
    await raw.close();
  });
  it('BAD_REQUEST before RESET_NEEDED, RESET_NEEDED before INVALID_ACTION', async () => {
    const raw = await madeAgent();
    isError(await raw.request({ type: 'step', id: 1 }), 'BAD_REQUEST', 1);
    isError(await raw.request({ type: 'render', id: 2, mode: 1 }), 'BAD_REQUEST', 2);
    isError(await raw.request({ type: 'step', id: 3, action: 99 }), 'RESET_NEEDED', 3);
    await raw.close();
  });
  it('BAD_REQUEST (make without env) before ALREADY_MADE', async () => {
    const raw = await madeAgent();
    isError(await raw.request({ type: 'make', id: 1 }), 'BAD_REQUEST', 1);
    await raw.close();
  });
});

describe('ids and integers', () => {
  it('echoes every id, up to 2^53-1, on replies and errors', async () => {
    const raw = await agent();
    for (const id of [0, 1, 127, 128, 65535, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) {
      expect((await raw.request({ type: 'render', id, mode: 'ansi' })).id).toBe(id);
      expect((await raw.request({ type: 'make', id, env: 'Nope' })).id).toBe(id);
    }
    await raw.close();
  });

  it('accepts integral floats as ids, seeds, numEnvs, options and actions', async () => {
    const raw = await agent();
    const made = await raw.request(encodeRaw({ type: 'make', id: new F64(5), env: 'GridWorld-v0', seed: new F64(42), numEnvs: new F64(2), options: { size: new F64(4) } }));
    expect(made).toMatchObject({ type: 'made', id: 5, spec: { numEnvs: 2, options: { size: 4 } } });
    const reset = await raw.request(encodeRaw({ type: 'reset', id: new F64(6), seed: new F64(42) }));
    expect(reset).toMatchObject({ type: 'reset_result', id: 6 });
    const step = await raw.request(encodeRaw({ type: 'step', id: new F64(7), action: [new F64(1), new F64(3)] }));
    expect(step).toMatchObject({ type: 'step_result', id: 7 });
    await raw.request({ type: 'close', id: 8 });
    await raw.request({ type: 'make', id: 9, env: 'GridWorld-v0' });
    await raw.request({ type: 'reset', id: 10 });
    expect(await raw.request(encodeRaw({ type: 'step', id: 11, action: new F64(2) }))).toMatchObject({ type: 'step_result', id: 11 });
    await raw.close();
  });

  it('answers 1000 pipelined requests in request order, errors included', async () => {
    const raw = await madeAgent({ options: { size: 8 } });
    await raw.request({ type: 'reset', id: 0, seed: 1 });
    const frames: Uint8Array[] = [];
    const expected: Array<[number, string]> = [];
    for (let id = 1; id <= 1000; id++) {
      const kind = id % 5;
      if (kind === 0) {
        frames.push(encode({ type: 'render', id, mode: 'state' }));
        expected.push([id, 'render_result']);
      } else if (kind === 1) {
        frames.push(encode({ type: 'step', id, action: 9 }));
        expected.push([id, 'error']);
      } else {
        frames.push(encode({ type: 'reset', id }));
        expected.push([id, 'reset_result']);
      }
    }
    for (const frame of frames) raw.send(frame);
    const got: Array<[number, string]> = [];
    for (let i = 0; i < 1000; i++) {
      const reply = await raw.next();
      got.push([reply.id as number, reply.type]);
    }
    expect(got).toEqual(expected);
    await raw.close();
  });
});

describe('close', () => {
  it('answers closed; then agent requests get NOT_MADE and make works again', async () => {
    const raw = await madeAgent();
    await raw.request({ type: 'reset', id: 1 });
    expect(await raw.request({ type: 'close', id: 2 })).toEqual({ type: 'closed', id: 2 });
    isError(await raw.request({ type: 'step', id: 3, action: 0 }), 'NOT_MADE', 3);
    isError(await raw.request({ type: 'reset', id: 4 }), 'NOT_MADE', 4);
    isError(await raw.request({ type: 'render', id: 5, mode: 'ansi' }), 'NOT_MADE', 5);
    isError(await raw.request({ type: 'close', id: 6 }), 'NOT_MADE', 6);
    const made = await raw.request({ type: 'make', id: 7, env: 'GridWorld-v0', numEnvs: 2 });
    expect(made).toMatchObject({ type: 'made', id: 7, spec: { numEnvs: 2 } });
    expect((await raw.request({ type: 'reset', id: 8 })).type).toBe('reset_result');
    await raw.close();
  });
});
