/**
 * The spectator events of a step, encoded once by hand and framed as WebSocket messages: each event's bytes are
 * exactly what the codec's `encode` wrote for it before (the old path, one `encode` of an event object per event),
 * for real sessions of every kind, and the framing is what a WebSocket client reads.
 */
import { unpack } from 'msgpackr';
import { encode } from '@rlfs/protocol';
import { getEnv } from '@rlfs/envs';
import { AgentSession } from '../src/server/agent-session';
import type { Encoding, SessionObserver } from '../src/server/agent-session';
import { SpectatorEvents } from '../src/server/spectator-events';
import { SessionHistory } from '../src/server/session-history';

/** An observer that records each event twice: as the old path's event object, and into a batch. */
function recorder(session: string): { observer: SessionObserver; objects: Array<Record<string, unknown>>; events: SpectatorEvents } {
  const objects: Array<Record<string, unknown>> = [];
  const events = new SpectatorEvents(session);
  const observer: SessionObserver = {
    history: new SessionHistory(),
    watching: true,
    wantsFrames: true,
    frame(_s, index, step, action, reward, terminated, truncated, state, draw) {
      const event: Record<string, unknown> = { type: 'frame', session, index, step, action, reward, terminated, truncated, state };
      if (draw !== undefined) event.draw = draw;
      objects.push(event);
      events.frame(index, step, action, reward, terminated, truncated, state, draw);
    },
    episode(s, index, episode, ret, length, terminated, shortestPath) {
      const event: Record<string, unknown> = { type: 'episode', session, index, episode, return: ret, length, terminated, step: s.steps };
      if (shortestPath !== undefined) event.shortestPath = shortestPath;
      objects.push(event);
      events.episode(index, episode, ret, length, terminated, s.steps, shortestPath);
    },
  };
  return { observer, objects, events };
}

/** The WebSocket messages in `bytes`: each a FIN binary frame, unmasked, with its length in the shortest form. */
function readMessages(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at < bytes.length) {
    expect(bytes[at]).toBe(0x82);
    const second = bytes[at + 1]!;
    expect(second & 0x80).toBe(0); // not masked
    let length = second & 0x7f;
    let header = 2;
    if (length === 126) {
      length = view.getUint16(at + 2);
      expect(length).toBeGreaterThanOrEqual(126);
      header = 4;
    } else if (length === 127) {
      length = Number(view.getBigUint64(at + 2));
      expect(length).toBeGreaterThanOrEqual(0x10000);
      header = 10;
    }
    out.push(bytes.subarray(at + header, at + header + length));
    at += header + length;
  }
  expect(at).toBe(bytes.length);
  return out;
}

/** Every event of the batch: the same bytes as `encode` of the old event object, decoding to that object. */
function expectSameAsOldPath(objects: Array<Record<string, unknown>>, events: SpectatorEvents): void {
  expect(events.count).toBe(objects.length);
  const messages = readMessages(events.messages());
  expect(messages.length).toBe(objects.length);
  // compared without Jest's matchers inside the loop (thousands of events), the first difference shown in full
  const first = objects.findIndex((object, i) => {
    const bytes = Buffer.from(messages[i]!);
    return (
      !bytes.equals(Buffer.from(encode(object))) ||
      !bytes.equals(Buffer.from(events.payload(i))) ||
      events.kind(i) !== object.type ||
      events.index(i) !== object.index
    );
  });
  if (first >= 0) {
    const object = objects[first]!;
    expect({ bytes: Buffer.from(messages[first]!), decoded: unpack(messages[first]!), kind: events.kind(first), index: events.index(first) }).toEqual({
      bytes: Buffer.from(encode(object)),
      decoded: definedOnly(object),
      kind: object.type,
      index: object.index,
    });
  }
  expect(first).toBe(-1);
  expect(messages.map((m) => unpack(m) as unknown)).toEqual(objects.map(definedOnly));
}

/** The object without its undefined values (the codec leaves them out). */
function definedOnly(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

function session(env: string, options: Record<string, unknown>, numEnvs: number | undefined, encoding: Encoding, observer: SessionObserver): AgentSession {
  return new AgentSession({ id: 's7', name: 'test', entry: getEnv(env), options: getEnv(env).resolveOptions(options), numEnvs, seed: 11, encoding }, observer);
}

describe.each([
  ['GridWorld-v0', { size: 6, obstacles: 5, maxEpisodeSteps: 12 }, 4],
  ['GridWorld-v0', { size: 3, boundary: 'wrap', maxEpisodeSteps: 10, rewards: { goal: 7.25 } }, 4],
  ['CartPole-v1', {}, 2],
] as const)('%s %j', (env, options, numActions) => {
  it.each([
    ['plain', undefined],
    ['packed', undefined],
    ['plain', 5],
    ['packed', 5],
  ] as const)('%s session, numEnvs %s: every frame and episode as the old path encoded it', (encoding, numEnvs) => {
    const { observer, objects, events } = recorder('s7');
    const s = session(env, options, numEnvs, encoding, observer);
    s.reset(undefined, undefined);
    let episodes = 0;
    for (let t = 0; t < 60; t++) {
      const action = numEnvs === undefined ? (t % 3 === 0 ? 1 : 0) : Array.from({ length: numEnvs }, (_, i) => (t + i * 3) % numActions);
      try {
        s.step(action);
      } catch {
        s.reset(undefined, undefined); // a scalar episode ended: reset as an agent would
      }
      episodes = objects.filter((o) => o.type === 'episode').length;
    }
    expect(episodes).toBeGreaterThan(0); // the runs above end episodes, so episode events are covered
    expect(objects.some((o) => o.type === 'frame' && o.action === null)).toBe(true); // reset frames too
    expectSameAsOldPath(objects, events);
    s.close();
  });
});

it('what the hand path does not write (long or non-ASCII strings, typed arrays, 16 keys, large events) is the codec\'s encoding', () => {
  const longSession = `session-with-a-rather-long-name-${'x'.repeat(40)}`;
  const { observer, objects, events } = recorder(longSession);
  const frame = (state: unknown, draw?: unknown): void => observer.frame(undefined as never, 3, 2, 1, -0.5, false, true, state, draw as never);
  frame({ label: 'a label of more than thirty-one characters' });
  frame({ name: 'é' });
  frame({ bins: new Uint8Array([1, 2, 3]) });
  frame(Object.fromEntries(Array.from({ length: 16 }, (_, k) => [`k${k}`, k])));
  frame({ cells: Array.from({ length: 2000 }, (_, k) => [k % 64, (k * 7) % 64]) }); // about 10 KB: above the hand path's 4 KiB
  frame(undefined); // no state: the key is left out, as the codec leaves out undefined values
  frame({ nested: [[[[[[[[[1]]]]]]]]] });
  frame({ ok: [1, -1, 200, -200, 70000, -70000, 2 ** 32, -(2 ** 31) - 1, 0.1, NaN, Infinity] }, [{ kind: 'circle' }]);
  observer.episode({ steps: 2 ** 40 } as never, 70000, 123456, -2.5, 300, true, undefined);
  observer.episode({ steps: 7 } as never, 0, 1, 100, 1, false, 0);
  expectSameAsOldPath(objects, events);
  expect(readMessages(events.messages()).some((m) => m.length >= 0x10000 || m.length >= 126)).toBe(true);
});

it('a batch that outgrows its buffer moves whole; bytes already handed out are never written again', () => {
  const { observer, objects, events } = recorder('s1');
  const state = { size: 8, agent: [1, 2], goal: [3, 4], obstacles: [[0, 0], [5, 5]] };
  observer.frame(undefined as never, 0, 1, 2, -1, false, false, state);
  const first = events.messages();
  const copy = Buffer.from(first);
  events.clear();
  objects.length = 0;
  // about 400 KB of frames in one batch: several moves to larger buffers
  for (let i = 0; i < 5000; i++) observer.frame(undefined as never, i, i % 100, i % 4, i / 3, false, false, state);
  expectSameAsOldPath(objects, events);
  expect(first).toEqual(copy);
  events.clear();
  expect(events.count).toBe(0);
  expect(events.messages().length).toBe(0);
});
