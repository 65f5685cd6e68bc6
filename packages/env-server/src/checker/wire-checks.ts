/**
 * The environment checker over the wire: checks that need a server speaking protocol 1, ours or another's.
 * They use only the protocol client (and a raw socket for frames no client sends), never server internals,
 * and reuse the in-process checker's `check*` functions on a remote environment.
 */
import type { Message } from '@rlfs/protocol';
import { connect } from '@rlfs/protocol/node';
import type { CheckResult } from '@rlfs/envs';
import { checkInvalidActions, checkObservationsInSpace, checkResetNeeded, checkSeedDeterminism, checkSpec, checkStepDeterminism } from '@rlfs/envs';
import { agent, type Ctx, ensure, expectError, expectRejected, GRIDWORLD as ENV, hello, same, show } from './check-util';
import { checkDraw, checkMakeSeed, checkPackedEqualsPlain, checkRender, checkVectorEqualsScalar, factory, withRemote } from './env-checks';
import { encodeRaw, RawMap } from './raw-msgpack';
import { RawSocket } from './raw-socket';

export interface WireCheckOptions {
  /** `ws://HOST:PORT/ws`. */
  url: string;
  token?: string;
  /** Seed of the environments and of the random actions (default 0). */
  seed?: number;
  /** Steps each stepping check takes (default 200). */
  steps?: number;
  /** The environment the environment checks run on (default GridWorld-v0; the protocol checks use GridWorld-v0). */
  env?: string;
  /** Its options (default: each check's GridWorld options on GridWorld-v0, the environment's defaults otherwise). */
  options?: Record<string, unknown>;
}

/** Every wire check by name, in the order they run. */
export const WIRE_CHECKS: ReadonlyArray<[string, (ctx: Ctx) => Promise<void>]> = [
  ['handshake', checkHandshake],
  ['badFrames', checkBadFrames],
  ['errorCodes', checkErrorCodes],
  ['precedence', checkPrecedence],
  ['pipelining', checkPipelining],
  ['spec', (ctx) => withRemote(ctx, (env) => checkSpec(env))],
  ['resetNeeded', (ctx) => checkResetNeeded(factory(ctx))],
  ['observationsInSpace', (ctx) => withRemote(ctx, (env) => checkObservationsInSpace(env, ctx))],
  ['seedDeterminism', (ctx) => checkSeedDeterminism(factory(ctx), ctx)],
  ['stepDeterminism', (ctx) => checkStepDeterminism(factory(ctx), ctx)],
  ['invalidActions', (ctx) => checkInvalidActions(factory(ctx), ctx)],
  ['makeSeed', checkMakeSeed],
  ['vectorEqualsScalar', checkVectorEqualsScalar],
  ['packedEqualsPlain', checkPackedEqualsPlain],
  ['render', checkRender],
  ['draw', checkDraw],
  ['spectators', checkSpectators],
  ['healthz', checkHealthz],
];

/** Runs every wire check (or those named in `only`), reporting each result as it comes. */
export async function runWireChecks(options: WireCheckOptions, onResult?: (result: CheckResult) => void, only?: string[]): Promise<CheckResult[]> {
  const ctx: Ctx = { url: options.url, token: options.token, seed: options.seed ?? 0, steps: options.steps ?? 200, env: options.env ?? ENV, options: options.options };
  const report: CheckResult[] = [];
  for (const [name, check] of WIRE_CHECKS) {
    if (only && !only.includes(name)) continue;
    let result: CheckResult;
    try {
      await check(ctx);
      result = { name, ok: true, message: 'ok' };
    } catch (error) {
      result = { name, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    report.push(result);
    onResult?.(result);
  }
  return report;
}

// ---- protocol checks ----

async function checkHandshake(ctx: Ctx): Promise<void> {
  const raw = await RawSocket.open(ctx.url);
  try {
    raw.send({ type: 'telemetry', id: 1, metrics: { x: 1 } });
    expectError(await raw.request({ type: 'make', id: 2, env: ENV }), 'HELLO_REQUIRED', 2, 'make before hello');
    expectError(await raw.request({ type: 'no_such_type', id: 3 }), 'HELLO_REQUIRED', 3, 'an unknown type before hello');
    expectError(await raw.request(hello(ctx, { id: 4, role: 'referee' })), 'BAD_REQUEST', 4, 'hello with a bad role');
    const welcome = await raw.request(hello(ctx, { id: 5, role: 'agent' }));
    ensure(welcome.type === 'welcome' && welcome.id === 5, `hello: expected welcome with id 5, got ${show(welcome)}`);
    ensure(welcome.protocol === 1, `welcome.protocol: expected 1, got ${show(welcome.protocol)}`);
    ensure(typeof welcome.server === 'string' && /^[^/]+\/.+/.test(welcome.server), `welcome.server: expected NAME/VERSION, got ${show(welcome.server)}`);
    for (const id of new Set([ENV, ctx.env])) ensure(Array.isArray(welcome.envs) && welcome.envs.includes(id), `welcome.envs: expected a list with ${id}, got ${show(welcome.envs)}`);
    expectError(await raw.request(hello(ctx, { id: 6, role: 'agent' })), 'BAD_REQUEST', 6, 'a second hello');
  } finally {
    await raw.close();
  }
  await expectFatal(ctx, hello(ctx, { id: 7, role: 'agent', protocol: 2 }), 'PROTOCOL_MISMATCH', 1002);
  if (ctx.token !== undefined) await expectFatal(ctx, hello(ctx, { id: 8, role: 'agent', token: `${ctx.token}-wrong` }), 'UNAUTHORIZED', 1008);
}

async function checkBadFrames(ctx: Ctx): Promise<void> {
  const raw = await RawSocket.hello(ctx.url, 'agent', ctx.token);
  try {
    const frames: Array<[string, Uint8Array | string]> = [
      ['a text frame', '{"type":"sessions","id":1}'],
      ['bytes that are not MessagePack', Uint8Array.from([0xc1, 0x00])],
      ['bytes after the map', Uint8Array.from([...encodeRaw({ type: 'render', id: 1, mode: 'ansi' }), 0x00])],
      ['a frame that is not a map', encodeRaw(['render', 1])],
      ['a key that is not a string', encodeRaw(new RawMap([['type', 'render'], [1, 'ansi']]))],
      ['a map without type', encodeRaw({ id: 1, mode: 'ansi' })],
      ['a type that is not a string', encodeRaw({ type: 3, id: 1 })],
    ];
    for (const [what, frame] of frames) expectError(await raw.request(frame), 'BAD_FRAME', undefined, what);
    expectError(await raw.request({ type: 'render', id: 9, mode: 'ansi' }), 'NOT_MADE', 9, 'a request after the bad frames');
  } finally {
    await raw.close();
  }
}

async function checkErrorCodes(ctx: Ctx): Promise<void> {
  const agent = await RawSocket.hello(ctx.url, 'agent', ctx.token);
  const spectator = await RawSocket.hello(ctx.url, 'spectator', ctx.token);
  try {
    const a = (m: Record<string, unknown>): Promise<Message> => agent.request(m);
    expectError(await a({ type: 'no_such_type', id: 1 }), 'UNKNOWN_TYPE', 1, 'an unknown type');
    expectError(await a({ type: 'sessions', id: 2 }), 'WRONG_ROLE', 2, 'sessions from an agent');
    expectError(await spectator.request({ type: 'make', id: 3, env: ENV }), 'WRONG_ROLE', 3, 'make from a spectator');
    expectError(await a({ type: 'make', id: 4 }), 'BAD_REQUEST', 4, 'make without env');
    expectError(await a({ type: 'render', id: 5, mode: 'hologram' }), 'BAD_REQUEST', 5, 'render with an unknown mode');
    expectError(await a({ type: 'step', id: 6 }), 'BAD_REQUEST', 6, 'step without action');
    expectError(await a({ type: 'reset', id: 7 }), 'NOT_MADE', 7, 'reset before make');
    expectError(await a({ type: 'make', id: 8, env: 'NoSuchEnv-v9' }), 'UNKNOWN_ENV', 8, 'make of an unknown env');
    for (const [id, fields, option] of [
      [9, { options: { no_such_option: 1 } }, 'no_such_option'],
      [10, { numEnvs: 0 }, 'numEnvs'],
      [11, { seed: -1 }, 'seed'],
      [12, { seed: 2 ** 32 - 1, numEnvs: 2 }, 'seed'],
      [13, { encoding: 'yaml' }, 'encoding'],
    ] as const) {
      const reply = await a({ type: 'make', id, env: ENV, ...fields });
      expectError(reply, 'INVALID_OPTIONS', id, `make with ${JSON.stringify(fields)}`);
      ensure(String(reply.message).includes(option), `make with ${JSON.stringify(fields)}: the message should name ${option}, got ${show(reply.message)}`);
    }
    ensure((await a({ type: 'make', id: 14, env: ENV })).type === 'made', 'make: expected made');
    expectError(await a({ type: 'make', id: 15, env: ENV }), 'ALREADY_MADE', 15, 'a second make');
    expectError(await a({ type: 'step', id: 16, action: 0 }), 'RESET_NEEDED', 16, 'step before the first reset');
    expectError(await a({ type: 'render', id: 17, mode: 'ansi' }), 'RESET_NEEDED', 17, 'render before the first reset');
    expectError(await a({ type: 'reset', id: 18, options: { start: 1 } }), 'INVALID_OPTIONS', 18, 'reset with an option');
    expectError(await a({ type: 'reset', id: 19, seed: 0.5 }), 'INVALID_OPTIONS', 19, 'reset with a fractional seed');
    ensure((await a({ type: 'reset', id: 20 })).type === 'reset_result', 'reset: expected reset_result');
    expectError(await a({ type: 'step', id: 21, action: 99 }), 'INVALID_ACTION', 21, 'step with action 99');
    expectError(await spectator.request({ type: 'subscribe', id: 22, session: 'no-such-session' }), 'UNKNOWN_SESSION', 22, 'subscribe to an unknown session');
    const closed = await a({ type: 'close', id: 23 });
    ensure(closed.type === 'closed' && closed.id === 23, `close: expected closed with id 23, got ${show(closed)}`);
    expectError(await a({ type: 'step', id: 24, action: 0 }), 'NOT_MADE', 24, 'step after close');
    ensure((await a({ type: 'make', id: 25, env: ENV })).type === 'made', 'make after close: expected made');
  } finally {
    await Promise.all([agent.close(), spectator.close()]);
  }
}

async function checkPrecedence(ctx: Ctx): Promise<void> {
  const raw = await RawSocket.open(ctx.url);
  const spectator = await RawSocket.hello(ctx.url, 'spectator', ctx.token);
  try {
    expectError(await raw.request(encodeRaw({ type: 9, id: 1 })), 'BAD_FRAME', undefined, 'a bad type before hello');
    expectError(await raw.request({ type: 'no_such_type', id: 2 }), 'HELLO_REQUIRED', 2, 'an unknown type before hello');
    await raw.request(hello(ctx, { id: 3, role: 'agent' }));
    expectError(await raw.request({ type: 'subscribe', id: 4 }), 'WRONG_ROLE', 4, 'subscribe without session from an agent');
    expectError(await spectator.request({ type: 'step', id: 5 }), 'WRONG_ROLE', 5, 'step without action from a spectator');
    expectError(await raw.request({ type: 'step', id: 6 }), 'BAD_REQUEST', 6, 'step without action before make');
    expectError(await raw.request({ type: 'step', id: 7, action: 99 }), 'NOT_MADE', 7, 'a bad step before make');
    await raw.request({ type: 'make', id: 8, env: ENV });
    expectError(await raw.request({ type: 'step', id: 9, action: 99 }), 'RESET_NEEDED', 9, 'a bad step before reset');
  } finally {
    await Promise.all([raw.close(), spectator.close()]);
  }
}

async function checkPipelining(ctx: Ctx): Promise<void> {
  const raw = await RawSocket.hello(ctx.url, 'agent', ctx.token);
  try {
    await raw.request({ type: 'make', id: 0, env: ENV });
    await raw.request({ type: 'reset', id: 0, seed: ctx.seed });
    const ids = Array.from({ length: 300 }, (_, i) => 1000 + i);
    for (const id of ids) raw.send(id % 3 === 0 ? { type: 'step', id, action: 9 } : { type: 'render', id, mode: 'ansi' });
    for (const id of ids) {
      const reply = await raw.next(10_000);
      ensure(reply.id === id, `pipelined replies out of order: expected id ${id}, got ${show(reply.id)}`);
    }
  } finally {
    await raw.close();
  }
}

async function checkSpectators(ctx: Ctx): Promise<void> {
  const agentClient = await agent(ctx);
  const spectator = await connect(ctx.url, { role: 'spectator', ...(ctx.token ? { token: ctx.token } : {}) });
  try {
    const { session } = await agentClient.make({ env: ENV, options: { layout: ['A.', '.G'], maxEpisodeSteps: 3 } });
    const listed = (await spectator.sessions()).find((s) => s.session === session);
    ensure(listed?.env === ENV && listed.episodes === 0 && listed.steps === 0, `sessions: expected the new session with 0 episodes and 0 steps, got ${show(listed)}`);
    const events: string[] = [];
    // Event types beyond the contract's (this server's `history`) are additions a client may ignore.
    const contractEvents = new Set(['frame', 'episode', 'telemetry', 'session_closed']);
    spectator.onEvent((e) => {
      if (contractEvents.has(e.type)) events.push(e.type === 'frame' ? `frame ${e.step}` : e.type === 'episode' ? `episode ${e.episode}` : e.type);
    });
    await spectator.subscribe(session);
    await agentClient.reset();
    await agentClient.step(0);
    await agentClient.step(3);
    await agentClient.step(1); // the goal at the second move: episode 1 ends on step 2 unless a bump; layout fixes it
    await agentClient.closeSession();
    const deadline = Date.now() + 5000;
    while (!events.includes('session_closed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    same(events, ['frame 0', 'frame 1', 'frame 2', 'frame 3', 'episode 1', 'session_closed'], 'spectator events');
    await expectRejected(spectator.subscribe(session), 'UNKNOWN_SESSION', 'subscribe to a closed session');
    ensure((await spectator.unsubscribe(session)).type === 'unsubscribed', 'unsubscribe: expected unsubscribed');
  } finally {
    await Promise.all([agentClient.close(), spectator.close()]);
  }
}

async function checkHealthz(ctx: Ctx): Promise<void> {
  const url = new URL(ctx.url);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = '/healthz';
  const response = await fetch(url);
  ensure(response.status === 200, `GET /healthz: expected 200, got ${response.status}`);
  const body = (await response.json()) as Record<string, unknown>;
  ensure(body.status === 'ok', `GET /healthz: expected status "ok", got ${show(body)}`);
  for (const key of ['sessions', 'connections', 'uptime']) ensure(typeof body[key] === 'number', `GET /healthz: expected a number ${key}, got ${show(body)}`);
}

// ---- helpers ----

async function expectFatal(ctx: Ctx, message: Record<string, unknown>, code: string, closeCode: number): Promise<void> {
  const raw = await RawSocket.open(ctx.url);
  expectError(await raw.request(message), code, message.id as number, `hello ${show(message)}`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closed = await Promise.race([raw.closed, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 3000)))]);
  clearTimeout(timer);
  if (!closed) await raw.close();
  ensure(closed?.code === closeCode, `after ${code} the server should close with ${closeCode}, got ${closed ? closed.code : 'no close'}`);
}
