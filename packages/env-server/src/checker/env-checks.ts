/**
 * The environment checks over the wire, for any environment the server serves (`--env`, default GridWorld-v0):
 * the in-process checker's `check*` functions on a remote env, make.seed, vector equals scalar, packed equals
 * plain, render. Observation dtype, shape and action count come from the spec; GridWorld's own info keys and
 * render pictures are checked only on GridWorld.
 */
import { pack, RemoteEnv } from '@rlfs/protocol';
import type { Client, EnvSpec, GridState, PackedArray, StepInfo, StepResult } from '@rlfs/protocol';
import type { CheckedEnv } from '@rlfs/envs';
import { whyNotDrawList } from '@rlfs/envs';
import { agent, type Ctx, ensure, expectRejected, GRIDWORLD, optionsFor, packedValues, same, show, strip } from './check-util';

/** A fresh remote env per call, on its own connection that `close()` ends. */
export function factory(ctx: Ctx): () => Promise<CheckedEnv> {
  return async () => {
    const client = await agent(ctx);
    const env = await RemoteEnv.make(client, { env: ctx.env, options: optionsFor(ctx, { size: 5, obstacles: 3, maxEpisodeSteps: 30 }) });
    return {
      spec: env.spec,
      reset: (args) => env.reset(args),
      step: (action) => env.step(action),
      close: async () => void (await client.close()),
    };
  };
}

export async function withRemote(ctx: Ctx, body: (env: CheckedEnv) => Promise<void>): Promise<void> {
  const env = await factory(ctx)();
  try {
    await body(env);
  } finally {
    await env.close?.();
  }
}

export async function checkMakeSeed(ctx: Ctx): Promise<void> {
  const [a, b] = await Promise.all([agent(ctx), agent(ctx)]);
  try {
    const options = optionsFor(ctx, { obstacles: 3 });
    await a.make({ env: ctx.env, seed: ctx.seed + 17, options });
    await b.make({ env: ctx.env, options });
    same(strip(await a.reset()), strip(await b.reset({ seed: ctx.seed + 17 })), 'make.seed: the first reset without a seed equals reset {seed}');
    same(strip(await a.reset()), strip(await b.reset()), 'make.seed: the next unseeded reset continues the stream');
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

/** Number of actions of a made spec (the checks drive Discrete actions only). */
function actionCount(spec: EnvSpec): number {
  ensure(spec.actionSpace.type === 'Discrete', `actionSpace: expected Discrete, got ${show(spec.actionSpace)}`);
  return spec.actionSpace.n;
}

/** Info keys that describe the step (not the new episode) in an autoreset sub-env's info: GridWorld's hitWall. */
const STEP_KEYS = new Set(['hitWall']);

function without(info: StepInfo | undefined, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(info ?? {}) };
  for (const k of keys) delete out[k];
  return out;
}

export async function checkVectorEqualsScalar(ctx: Ctx): Promise<void> {
  const N = 3;
  const options = optionsFor(ctx, { size: 4, obstacles: 2, maxEpisodeSteps: 12 });
  const vector = await agent(ctx);
  const scalars = await Promise.all(Array.from({ length: N }, () => agent(ctx)));
  try {
    const n = actionCount((await vector.make({ env: ctx.env, numEnvs: N, options })).spec);
    for (const s of scalars) await s.make({ env: ctx.env, options });
    const vr = await vector.reset({ seed: ctx.seed });
    for (let i = 0; i < N; i++) {
      const sr = await scalars[i]!.reset({ seed: ctx.seed + i });
      same([(vr.observation as unknown[])[i], (vr.info as StepInfo[])[i]], [sr.observation, sr.info], `sub-env ${i} reset with seed + i`);
    }
    for (let t = 0; t < ctx.steps; t++) {
      const actions = Array.from({ length: N }, (_, i) => (t * 7 + i * 3 + (t >> 2)) % n);
      const v = await vector.step(actions);
      const infos = v.info as StepInfo[];
      for (let i = 0; i < N; i++) {
        const s = await scalars[i]!.step(actions[i]!);
        const where = `step ${t}, sub-env ${i}`;
        const info = s.info as StepInfo;
        same([(v.reward as number[])[i], (v.terminated as boolean[])[i], (v.truncated as boolean[])[i]], [s.reward, s.terminated, s.truncated], `${where}: reward, terminated, truncated`);
        if (!s.terminated && !s.truncated) {
          same([(v.observation as unknown[])[i], infos[i]], [s.observation, info], `${where}: observation and info`);
          continue;
        }
        same(infos[i]!.finalObservation, s.observation, `${where}: info.finalObservation`);
        same(infos[i]!.episode, info.episode, `${where}: info.episode`);
        const again = await scalars[i]!.reset();
        same((v.observation as unknown[])[i], again.observation, `${where}: the autoreset observation`);
        // The rest of the info is the new episode's reset info, except keys that describe the step just taken.
        const stepKeys = Object.keys(infos[i]!).filter((k) => STEP_KEYS.has(k));
        same(without(infos[i], ['finalObservation', 'episode', ...stepKeys]), without(again.info as StepInfo, stepKeys), `${where}: the autoreset info`);
        for (const k of stepKeys) same(infos[i]![k], info[k], `${where}: info.${k} (the step's)`);
      }
    }
  } finally {
    await Promise.all([vector, ...scalars].map((c) => c.close()));
  }
}

export async function checkPackedEqualsPlain(ctx: Ctx): Promise<void> {
  const N = 3;
  const options = optionsFor(ctx, { size: 4, observation: 'onehot', maxEpisodeSteps: 10 });
  const clients = await Promise.all([agent(ctx), agent(ctx), agent(ctx), agent(ctx)]);
  const [packedScalar, plainScalar, packedVector, plainVector] = clients as [Client, Client, Client, Client];
  try {
    const made = await packedScalar.make({ env: ctx.env, options, encoding: 'packed' });
    ensure(made.spec.encoding === 'packed', `spec.encoding: expected "packed", got ${show(made.spec.encoding)}`);
    const space = made.spec.observationSpace;
    ensure(space.type === 'Box', `observationSpace: expected a Box, got ${show(space)}`);
    const { dtype, shape } = space;
    const n = actionCount(made.spec);
    await plainScalar.make({ env: ctx.env, options });
    await packedVector.make({ env: ctx.env, options, numEnvs: N, encoding: 'packed' });
    await plainVector.make({ env: ctx.env, options, numEnvs: N });
    same(packedValues((await packedScalar.reset({ seed: ctx.seed })).observation, dtype, shape), flat((await plainScalar.reset({ seed: ctx.seed })).observation), 'scalar reset observation');
    same(packedValues((await packedVector.reset({ seed: ctx.seed })).observation, dtype, [N, ...shape]), flat((await plainVector.reset({ seed: ctx.seed })).observation), 'vector reset observation');
    for (let t = 0; t < Math.min(ctx.steps, 60); t++) {
      const action = (t * 5 + (t >> 1)) % n;
      const ps = await packedScalar.step(action);
      const ls = await plainScalar.step(action);
      same(packedValues(ps.observation, dtype, shape), flat(ls.observation), `scalar step ${t}: observation`);
      same([ps.reward, ps.terminated, ps.truncated, ps.info], [ls.reward, ls.terminated, ls.truncated, ls.info], `scalar step ${t}: the plain fields`);
      if (ls.terminated || ls.truncated) await Promise.all([packedScalar.reset(), plainScalar.reset()]);
      const actions = Array.from({ length: N }, (_, i) => (action + i) % n);
      const pv = await packedVector.step(t % 2 === 0 ? pack(Int32Array.from(actions)) : actions);
      const lv = await plainVector.step(actions);
      comparePackedVector(pv, lv, N, dtype, shape, `vector step ${t}`);
    }
    const before = (await packedVector.render('state')).frame;
    for (const bad of [pack(new Float32Array(N)), pack(new Int32Array(N + 1)), pack(Int32Array.from({ length: N }, () => n)), { dtype: 'int32', shape: [N], data: new Uint8Array(4 * N - 1) }]) {
      await expectRejected(packedVector.step(bad), 'INVALID_ACTION', `a bad packed action ${show({ ...(bad as PackedArray), data: `${(bad as PackedArray).data.byteLength} bytes` })}`);
    }
    same((await packedVector.render('state')).frame, before, 'the state after refused packed actions');
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** A plain observation (possibly nested, one list per sub-env) as one flat list. */
function flat(observation: unknown): number[] {
  return (observation as unknown[]).flat(Infinity) as number[];
}

function comparePackedVector(packed: StepResult, plain: StepResult, n: number, dtype: string, shape: number[], where: string): void {
  const keys = Object.keys(packed).filter((k) => k !== 'id' && k !== 'type').sort().join(',');
  ensure(keys === 'ended,observation,reward,terminated,truncated', `${where}: a packed vector step_result has observation, reward, terminated, truncated, ended; got ${keys}`);
  same(packedValues(packed.observation, dtype, [n, ...shape]), flat(plain.observation), `${where}: observation`);
  same(packedValues(packed.reward, 'float64', [n]), plain.reward, `${where}: reward`);
  same(packedValues(packed.terminated, 'uint8', [n]), (plain.terminated as boolean[]).map(Number), `${where}: terminated`);
  same(packedValues(packed.truncated, 'uint8', [n]), (plain.truncated as boolean[]).map(Number), `${where}: truncated`);
  const expected = (plain.info as StepInfo[]).flatMap((info, index) => (info.episode ? [{ index, finalObservation: flat(info.finalObservation), episode: info.episode }] : []));
  const ended = (packed.ended ?? []).map((e) => ({ index: e.index, finalObservation: packedValues(e.finalObservation, dtype, shape), episode: e.episode }));
  same(ended, expected, `${where}: ended`);
}

export async function checkRender(ctx: Ctx): Promise<void> {
  if (ctx.env === GRIDWORLD && ctx.options === undefined) return checkGridWorldRender(ctx);
  const client = await agent(ctx);
  try {
    const n = actionCount((await client.make({ env: ctx.env, options: optionsFor(ctx, {}) })).spec);
    await client.reset({ seed: ctx.seed });
    for (let t = 0; t < 20; t++) {
      const state = (await client.render('state')).frame;
      ensure(typeof state === 'object' && state !== null && !Array.isArray(state), `render state at step ${t}: expected a map, got ${show(state)}`);
      const ansi = (await client.render('ansi')).frame;
      ensure(typeof ansi === 'string', `render ansi at step ${t}: expected a string, got ${show(ansi)}`);
      const step: StepResult = await client.step(t % n);
      if (step.terminated || step.truncated) await client.reset();
    }
  } finally {
    await client.close();
  }
}

/** `render {mode:"draw"}` returns a well-formed draw list, or BAD_REQUEST when the environment defines none. */
export async function checkDraw(ctx: Ctx): Promise<void> {
  const client = await agent(ctx);
  try {
    const n = actionCount((await client.make({ env: ctx.env, options: optionsFor(ctx, {}) })).spec);
    await client.reset({ seed: ctx.seed });
    for (let t = 0; t < 10; t++) {
      let frame: unknown;
      try {
        frame = (await client.render('draw')).frame;
      } catch (error) {
        if ((error as { code?: string }).code === 'BAD_REQUEST') return; // this environment has no draw list
        throw error;
      }
      const why = whyNotDrawList(frame);
      ensure(why === undefined, `render draw at step ${t}: ${why}`);
      const step: StepResult = await client.step(t % n);
      if (step.terminated || step.truncated) await client.reset();
    }
  } finally {
    await client.close();
  }
}

async function checkGridWorldRender(ctx: Ctx): Promise<void> {
  const client = await agent(ctx);
  try {
    await client.make({ env: GRIDWORLD, options: { size: 5, obstacles: 4 } });
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
