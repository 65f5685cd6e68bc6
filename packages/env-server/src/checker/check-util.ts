/**
 * What every wire check shares: the run's context (server, seed, the environment under test) and small helpers
 * that turn a wrong reply into a CheckFailure saying what was expected and what came.
 */
import { ConnectionClosedError, isRemoteError, RemoteError, unpack } from '@rlfs/protocol';
import type { Client, Message, PackedArray } from '@rlfs/protocol';
import { connect } from '@rlfs/protocol/node';
import { CheckFailure, firstDifference } from '@rlfs/envs';

/** The environment the protocol checks use; every server speaking protocol 1 serves it. */
export const GRIDWORLD = 'GridWorld-v0';

export interface Ctx {
  url: string;
  token: string | undefined;
  seed: number;
  steps: number;
  /** The environment the environment checks run on (default GridWorld-v0). */
  env: string;
  /** Its options; undefined: each check's own GridWorld options, or the defaults for another environment. */
  options: Record<string, unknown> | undefined;
}

/** The options a check uses: the run's own, else the check's GridWorld options on GridWorld, else the defaults. */
export function optionsFor(ctx: Ctx, gridWorld: Record<string, unknown>): Record<string, unknown> {
  return ctx.options ?? (ctx.env === GRIDWORLD ? gridWorld : {});
}

export function hello(ctx: Ctx, fields: Record<string, unknown>): Record<string, unknown> {
  return { type: 'hello', protocol: 1, ...(ctx.token === undefined ? {} : { token: ctx.token }), ...fields };
}

export function agent(ctx: Ctx): Promise<Client> {
  return connect(ctx.url, { role: 'agent', ...(ctx.token ? { token: ctx.token } : {}) });
}

export function expectError(reply: Message, code: string, id: number | undefined, what: string): void {
  ensure(reply.type === 'error' && reply.code === code, `${what}: expected error ${code}, got ${show(reply)}`);
  ensure(typeof reply.message === 'string' && reply.message.length > 0, `${what}: the error needs a non-empty message`);
  ensure(id === undefined ? !('id' in reply) : reply.id === id, `${what}: expected ${id === undefined ? 'no id' : `id ${id}`}, got ${show(reply.id)}`);
}

export async function expectRejected(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (isRemoteError(error) && error.code === code) return;
    if (error instanceof RemoteError || error instanceof ConnectionClosedError) throw new CheckFailure(`${what}: expected ${code}, got ${error.code}: ${error.message}`);
    throw error;
  }
  throw new CheckFailure(`${what}: expected ${code}, but it succeeded`);
}

export function packedValues(value: unknown, dtype: string, shape: number[]): number[] {
  const p = value as PackedArray;
  ensure(typeof p === 'object' && p !== null && p.dtype === dtype && firstDifference(p.shape, shape) === undefined, `expected a packed ${dtype} array of shape [${shape}], got ${show({ ...p, data: p?.data instanceof Uint8Array ? `${p.data.byteLength} bytes` : p?.data })}`);
  try {
    return Array.from(unpack(p));
  } catch (error) {
    throw new CheckFailure(`a packed array: ${(error as Error).message}`);
  }
}

export function strip(reply: object): unknown {
  const { id: _id, ...rest } = reply as { id?: number };
  return rest;
}

export function same(a: unknown, b: unknown, what: string): void {
  const d = firstDifference(a, b);
  if (d) throw new CheckFailure(`${what}: differs at ${d}`);
}

export function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}

export function show(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.byteLength} bytes>` : v)) ?? String(value);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  } catch {
    return String(value);
  }
}
