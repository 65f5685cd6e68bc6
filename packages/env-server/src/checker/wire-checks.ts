/**
 * The environment checker over the wire: checks that need a server speaking protocol 1, ours or another's.
 * They use only the protocol client (and a raw socket for frames no client sends), never server internals,
 * and reuse the in-process checker's `check*` functions on a remote environment.
 */
import { ConnectionClosedError, isRemoteError, pack, RemoteEnv, RemoteError, unpack } from '@rlfs/protocol';
import type { Client, GridState, Message, PackedArray, StepInfo, StepResult } from '@rlfs/protocol';
import { connect } from '@rlfs/protocol/node';
import type { CheckedEnv, CheckResult } from '@rlfs/envs';
import { CheckFailure, checkInvalidActions, checkObservationsInSpace, checkResetNeeded, checkSeedDeterminism, checkSpec, checkStepDeterminism, firstDifference } from '@rlfs/envs';
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
}

type Ctx = Required<Omit<WireCheckOptions, 'token'>> & { token: string | undefined };
const ENV = 'GridWorld-v0';

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
  ['spectators', checkSpectators],
  ['healthz', checkHealthz],
];

/** Runs every wire check (or those named in `only`), reporting each result as it comes. */
export async function runWireChecks(options: WireCheckOptions, onResult?: (result: CheckResult) => void, only?: string[]): Promise<CheckResult[]> {
  const ctx: Ctx = { url: options.url, token: options.token, seed: options.seed ?? 0, steps: options.steps ?? 200 };
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
    ensure(Array.isArray(welcome.envs) && welcome.envs.includes(ENV), `welcome.envs: expected a list with ${ENV}, got ${show(welcome.envs)}`);
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

// ---- environment checks over the wire ----

async function checkMakeSeed(ctx: Ctx): Promise<void> {
  const [a, b] = await Promise.all([agent(ctx), agent(ctx)]);
  try {
    await a.make({ env: ENV, seed: ctx.seed + 17, options: { obstacles: 3 } });
    await b.make({ env: ENV, options: { obstacles: 3 } });
    same(strip(await a.reset()), strip(await b.reset({ seed: ctx.seed + 17 })), 'make.seed: the first reset without a seed equals reset {seed}');
    same(strip(await a.reset()), strip(await b.reset()), 'make.seed: the next unseeded reset continues the stream');
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

async function checkVectorEqualsScalar(ctx: Ctx): Promise<void> {
  const N = 3;
  const options = { size: 4, obstacles: 2, maxEpisodeSteps: 12 };
  const vector = await agent(ctx);
  const scalars = await Promise.all(Array.from({ length: N }, () => agent(ctx)));
  try {
    await vector.make({ env: ENV, numEnvs: N, options });
    for (const s of scalars) await s.make({ env: ENV, options });
    const vr = await vector.reset({ seed: ctx.seed });
    for (let i = 0; i < N; i++) same((vr.observation as unknown[])[i], (await scalars[i]!.reset({ seed: ctx.seed + i })).observation, `sub-env ${i} reset with seed + i`);
    for (let t = 0; t < ctx.steps; t++) {
      const actions = Array.from({ length: N }, (_, i) => (t * 7 + i * 3 + (t >> 2)) % 4);
      const v = await vector.step(actions);
      const infos = v.info as StepInfo[];
      for (let i = 0; i < N; i++) {
        const s = await scalars[i]!.step(actions[i]!);
        const where = `step ${t}, sub-env ${i}`;
        same([(v.reward as number[])[i], (v.terminated as boolean[])[i], (v.truncated as boolean[])[i], infos[i]!.hitWall], [s.reward, s.terminated, s.truncated, (s.info as StepInfo).hitWall], `${where}: reward, terminated, truncated, hitWall`);
        if (!s.terminated && !s.truncated) {
          same((v.observation as unknown[])[i], s.observation, `${where}: observation`);
          continue;
        }
        same(infos[i]!.finalObservation, s.observation, `${where}: info.finalObservation`);
        same(infos[i]!.episode, (s.info as StepInfo).episode, `${where}: info.episode`);
        const again = await scalars[i]!.reset();
        same((v.observation as unknown[])[i], again.observation, `${where}: the autoreset observation`);
        same([infos[i]!.agent, infos[i]!.goal, infos[i]!.shortestPath], [(again.info as StepInfo).agent, (again.info as StepInfo).goal, (again.info as StepInfo).shortestPath], `${where}: the autoreset info`);
      }
    }
  } finally {
    await Promise.all([vector, ...scalars].map((c) => c.close()));
  }
}

async function checkPackedEqualsPlain(ctx: Ctx): Promise<void> {
  const N = 3;
  const options = { size: 4, observation: 'onehot', maxEpisodeSteps: 10 };
  const clients = await Promise.all([agent(ctx), agent(ctx), agent(ctx), agent(ctx)]);
  const [packedScalar, plainScalar, packedVector, plainVector] = clients as [Client, Client, Client, Client];
  try {
    const made = await packedScalar.make({ env: ENV, options, encoding: 'packed' });
    ensure(made.spec.encoding === 'packed', `spec.encoding: expected "packed", got ${show(made.spec.encoding)}`);
    await plainScalar.make({ env: ENV, options });
    await packedVector.make({ env: ENV, options, numEnvs: N, encoding: 'packed' });
    await plainVector.make({ env: ENV, options, numEnvs: N });
    same(packedValues((await packedScalar.reset({ seed: ctx.seed })).observation, 'uint8', [48]), (await plainScalar.reset({ seed: ctx.seed })).observation, 'scalar reset observation');
    same(packedValues((await packedVector.reset({ seed: ctx.seed })).observation, 'uint8', [N, 48]), ((await plainVector.reset({ seed: ctx.seed })).observation as number[][]).flat(), 'vector reset observation');
    for (let t = 0; t < Math.min(ctx.steps, 60); t++) {
      const action = (t * 5 + (t >> 1)) % 4;
      const ps = await packedScalar.step(action);
      const ls = await plainScalar.step(action);
      same(packedValues(ps.observation, 'uint8', [48]), ls.observation, `scalar step ${t}: observation`);
      same([ps.reward, ps.terminated, ps.truncated, ps.info], [ls.reward, ls.terminated, ls.truncated, ls.info], `scalar step ${t}: the plain fields`);
      if (ls.terminated || ls.truncated) await Promise.all([packedScalar.reset(), plainScalar.reset()]);
      const actions = Array.from({ length: N }, (_, i) => (action + i) % 4);
      const pv = await packedVector.step(t % 2 === 0 ? pack(Int32Array.from(actions)) : actions);
      const lv = await plainVector.step(actions);
      comparePackedVector(pv, lv, N, `vector step ${t}`);
    }
    const before = (await packedVector.render('state')).frame;
    for (const bad of [pack(new Float32Array(N)), pack(new Int32Array(N + 1)), pack(Int32Array.from({ length: N }, () => 4)), { dtype: 'int32', shape: [N], data: new Uint8Array(4 * N - 1) }]) {
      await expectRejected(packedVector.step(bad), 'INVALID_ACTION', `a bad packed action ${show({ ...(bad as PackedArray), data: `${(bad as PackedArray).data.byteLength} bytes` })}`);
    }
    same((await packedVector.render('state')).frame, before, 'the state after refused packed actions');
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

async function checkRender(ctx: Ctx): Promise<void> {
  const client = await agent(ctx);
  try {
    await client.make({ env: ENV, options: { size: 5, obstacles: 4 } });
    let info = (await client.reset({ seed: ctx.seed })).info as StepInfo;
    for (let t = 0; t < 20; t++) {
      const state = (await client.render('state')).frame as GridState;
      const ansi = (await client.render('ansi')).frame as string;
      same([state.size, state.agent, state.goal], [5, info.agent, info.goal], `render state at step ${t}`);
      const rows = ansi.split('\n');
      ensure(rows.length === 5 && rows.every((r) => r.length === 5 && /^[AG#.]+$/.test(r)), `render ansi: expected 5 lines of 5 characters of A G # ., got ${show(ansi)}`);
      const [ar, ac] = state.agent;
      ensure(rows[ar]![ac] === 'A', `render ansi: no A at the agent's cell [${ar}, ${ac}]`);
      ensure(state.obstacles.length === 4 && state.obstacles.every(([r, c]) => rows[r]![c] === '#'), 'render: ansi and state disagree on obstacles');
      const step: StepResult = await client.step(t % 4);
      info = step.info as StepInfo;
      if (step.terminated || step.truncated) info = (await client.reset()).info as StepInfo;
    }
  } finally {
    await client.close();
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
    spectator.onEvent((e) => events.push(e.type === 'frame' ? `frame ${e.step}` : e.type === 'episode' ? `episode ${e.episode}` : e.type));
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

function hello(ctx: Ctx, fields: Record<string, unknown>): Record<string, unknown> {
  return { type: 'hello', protocol: 1, ...(ctx.token === undefined ? {} : { token: ctx.token }), ...fields };
}

function agent(ctx: Ctx): Promise<Client> {
  return connect(ctx.url, { role: 'agent', ...(ctx.token ? { token: ctx.token } : {}) });
}

/** A fresh remote GridWorld per call, on its own connection that `close()` ends. */
function factory(ctx: Ctx): () => Promise<CheckedEnv> {
  return async () => {
    const client = await agent(ctx);
    const env = await RemoteEnv.make(client, { env: ENV, options: { size: 5, obstacles: 3, maxEpisodeSteps: 30 } });
    return {
      spec: env.spec,
      reset: (args) => env.reset(args),
      step: (action) => env.step(action),
      close: async () => void (await client.close()),
    };
  };
}

async function withRemote(ctx: Ctx, body: (env: CheckedEnv) => Promise<void>): Promise<void> {
  const env = await factory(ctx)();
  try {
    await body(env);
  } finally {
    await env.close?.();
  }
}

async function expectFatal(ctx: Ctx, message: Record<string, unknown>, code: string, closeCode: number): Promise<void> {
  const raw = await RawSocket.open(ctx.url);
  expectError(await raw.request(message), code, message.id as number, `hello ${show(message)}`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closed = await Promise.race([raw.closed, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 3000)))]);
  clearTimeout(timer);
  if (!closed) await raw.close();
  ensure(closed?.code === closeCode, `after ${code} the server should close with ${closeCode}, got ${closed ? closed.code : 'no close'}`);
}

function expectError(reply: Message, code: string, id: number | undefined, what: string): void {
  ensure(reply.type === 'error' && reply.code === code, `${what}: expected error ${code}, got ${show(reply)}`);
  ensure(typeof reply.message === 'string' && reply.message.length > 0, `${what}: the error needs a non-empty message`);
  ensure(id === undefined ? !('id' in reply) : reply.id === id, `${what}: expected ${id === undefined ? 'no id' : `id ${id}`}, got ${show(reply.id)}`);
}

async function expectRejected(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (isRemoteError(error) && error.code === code) return;
    if (error instanceof RemoteError || error instanceof ConnectionClosedError) throw new CheckFailure(`${what}: expected ${code}, got ${error.code}: ${error.message}`);
    throw error;
  }
  throw new CheckFailure(`${what}: expected ${code}, but it succeeded`);
}

function comparePackedVector(packed: StepResult, plain: StepResult, n: number, where: string): void {
  const keys = Object.keys(packed).filter((k) => k !== 'id' && k !== 'type').sort().join(',');
  ensure(keys === 'ended,observation,reward,terminated,truncated', `${where}: a packed vector step_result has observation, reward, terminated, truncated, ended; got ${keys}`);
  same(packedValues(packed.observation, 'uint8', [n, 48]), (plain.observation as number[][]).flat(), `${where}: observation`);
  same(packedValues(packed.reward, 'float64', [n]), plain.reward, `${where}: reward`);
  same(packedValues(packed.terminated, 'uint8', [n]), (plain.terminated as boolean[]).map(Number), `${where}: terminated`);
  same(packedValues(packed.truncated, 'uint8', [n]), (plain.truncated as boolean[]).map(Number), `${where}: truncated`);
  const expected = (plain.info as StepInfo[]).flatMap((info, index) => (info.episode ? [{ index, finalObservation: info.finalObservation, episode: info.episode }] : []));
  const ended = (packed.ended ?? []).map((e) => ({ index: e.index, finalObservation: packedValues(e.finalObservation, 'uint8', [48]), episode: e.episode }));
  same(ended, expected, `${where}: ended`);
}

function packedValues(value: unknown, dtype: string, shape: number[]): number[] {
  const p = value as PackedArray;
  ensure(typeof p === 'object' && p !== null && p.dtype === dtype && firstDifference(p.shape, shape) === undefined, `expected a packed ${dtype} array of shape [${shape}], got ${show({ ...p, data: p?.data instanceof Uint8Array ? `${p.data.byteLength} bytes` : p?.data })}`);
  try {
    return Array.from(unpack(p));
  } catch (error) {
    throw new CheckFailure(`a packed array: ${(error as Error).message}`);
  }
}

function strip(reply: object): unknown {
  const { id: _id, ...rest } = reply as { id?: number };
  return rest;
}

function same(a: unknown, b: unknown, what: string): void {
  const d = firstDifference(a, b);
  if (d) throw new CheckFailure(`${what}: differs at ${d}`);
}

function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}

function show(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.byteLength} bytes>` : v)) ?? String(value);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  } catch {
    return String(value);
  }
}
