/**
 * One learner's N sub-environments spread over several servers: one vector session per server, stepped concurrently,
 * read back as one batch in sub-env order. Sub-env i keeps its place and its seed (`seed + i`), so the results equal
 * a single session of N on one server with the same seed, whatever the split.
 */
import { Client } from './client';
import type { ClientOptions, MakeArgs } from './client';
import type { EndedEpisodeInfo, ResetArgs, VectorEnv } from './env-contract';
import { ErrorCode, RemoteError } from './errors';
import type { EnvSpec, GridState, RenderMode, StepInfo } from './messages';
import type { TypedArray } from './packed';
import { RemoteVectorEnv, spaceSize } from './remote-env';

/** One server's share: its URL (for messages) and an agent connection without a session. */
export interface VectorPart {
  url: string;
  client: Client;
}

/** Opens one agent connection (Client.connect by default; `@rlfs/protocol/node` passes its `ws` one). */
export type Connector = (url: string, options: ClientOptions) => Promise<Client>;

/**
 * Sizes of `parts` shares of `numEnvs` sub-envs, as even as possible, larger shares first: 10 over 3 is [4, 3, 3].
 * Fewer sub-envs than parts is an error: a server with nothing to run would only hold a connection open.
 */
export function splitSizes(numEnvs: number, parts: number): number[] {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`expected at least one server, got ${parts}`);
  if (!Number.isInteger(numEnvs) || numEnvs < parts) {
    throw new RangeError(`numEnvs ${numEnvs} cannot be split over ${parts} servers: give at least one sub-env per server`);
  }
  const base = Math.floor(numEnvs / parts);
  return Array.from({ length: parts }, (_, k) => base + (k < numEnvs % parts ? 1 : 0));
}

export class SplitVectorEnv implements VectorEnv {
  readonly spec: EnvSpec;
  readonly numEnvs: number;
  readonly observations: TypedArray;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  ended: EndedEpisodeInfo[] = [];
  /** First sub-env index of each part: part k holds sub-envs offsets[k] .. offsets[k] + parts[k].numEnvs - 1. */
  readonly offsets: readonly number[];
  private readonly obsSize: number;

  private constructor(
    readonly parts: readonly RemoteVectorEnv[],
    readonly urls: readonly string[],
    /** Close the connections too on close() (true when this object opened them). */
    private readonly ownsClients: boolean,
  ) {
    const offsets: number[] = [];
    let total = 0;
    for (const part of parts) {
      offsets.push(total);
      total += part.numEnvs;
    }
    this.offsets = offsets;
    this.numEnvs = total;
    this.spec = { ...parts[0]!.spec, numEnvs: total };
    this.obsSize = spaceSize(this.spec.observationSpace);
    const first = parts[0]!.observations;
    this.observations = new (first.constructor as new (n: number) => TypedArray)(total * this.obsSize);
    this.rewards = new Float64Array(total);
    this.terminated = new Uint8Array(total);
    this.truncated = new Uint8Array(total);
  }

  /**
   * Makes one vector session per part, `splitSizes(args.numEnvs, parts.length)` sub-envs each; with `args.seed`, the
   * part holding sub-envs from offset k is made with `seed + k`. On any failure the sessions already made are closed
   * and the error names the server's URL.
   */
  static async make(parts: readonly VectorPart[], args: MakeArgs & { numEnvs: number }, ownsClients = false): Promise<SplitVectorEnv> {
    const sizes = splitSizes(args.numEnvs, parts.length);
    let offset = 0;
    const made = await settleAll(
      parts.map((part, k) => {
        const at = offset;
        offset += sizes[k]!;
        const seed = args.seed === undefined ? {} : { seed: args.seed + at };
        return RemoteVectorEnv.make(part.client, { ...args, ...seed, numEnvs: sizes[k]! });
      }),
      parts.map((p) => p.url),
      (env) => env.close(),
    );
    const first = made[0]!.spec;
    for (let k = 1; k < made.length; k++) {
      const spec = made[k]!.spec;
      for (const key of ['id', 'observationSpace', 'actionSpace', 'encoding'] as const) {
        if (JSON.stringify(spec[key]) !== JSON.stringify(first[key])) {
          await Promise.allSettled(made.map((env) => env.close()));
          throw new RemoteError(ErrorCode.INVALID_OPTIONS, `${parts[k]!.url}: its ${key} ${JSON.stringify(spec[key])} differs from ${parts[0]!.url}'s ${JSON.stringify(first[key])}; every server of a split vector env must serve the same environment`);
        }
      }
    }
    return new SplitVectorEnv(made, parts.map((p) => p.url), ownsClients);
  }

  /** Connects to every URL (concurrently), then makes the split session; close() then closes the connections too. */
  static async connect(urls: readonly string[], options: ClientOptions, args: MakeArgs & { numEnvs: number }, connector: Connector = Client.connect): Promise<SplitVectorEnv> {
    if (urls.length === 0) throw new RangeError('expected at least one server URL');
    splitSizes(args.numEnvs, urls.length); // before opening any connection
    const clients = await settleAll(urls.map((url) => connector(url, options)), urls, (client) => client.close());
    try {
      return await SplitVectorEnv.make(urls.map((url, k) => ({ url, client: clients[k]! })), args, true);
    } catch (err) {
      for (const client of clients) client.close();
      throw err;
    }
  }

  get packed(): boolean {
    return this.spec.encoding === 'packed';
  }

  /** Resets every part; `seed` seeds sub-env i with `seed + i` across the split, as one session would. */
  async reset(args: ResetArgs = {}): Promise<void> {
    await this.each((part, k) => part.reset(args.seed === undefined ? args : { ...args, seed: args.seed + this.offsets[k]! }));
    this.gather();
  }

  /**
   * Steps every part at once with its slice of `actions`. A wrong length or, for a Discrete space, an action out of
   * range is refused here before anything is sent, so that no part steps when the batch is invalid.
   */
  async step(actions: ArrayLike<number>): Promise<void> {
    this.checkActions(actions);
    await this.each((part, k) => {
      const from = this.offsets[k]!;
      return part.step(Array.prototype.slice.call(actions, from, from + part.numEnvs) as number[]);
    });
    this.gather();
  }

  infoAt(index: number): StepInfo {
    const k = this.partOf(index);
    return this.parts[k]!.infoAt(index - this.offsets[k]!);
  }

  async render(mode: RenderMode): Promise<Array<string | GridState>> {
    const frames = await this.each((part) => part.render(mode));
    return frames.flat();
  }

  /** Ends every part's session (and the connections this object opened); never leaves one open after a failure. */
  async close(): Promise<void> {
    await Promise.allSettled(this.parts.map((part) => part.close()));
    if (this.ownsClients) for (const part of this.parts) part.client.close();
  }

  /** Which part holds sub-env `index`. */
  private partOf(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.numEnvs) throw new RangeError(`sub-env index ${index} out of 0..${this.numEnvs - 1}`);
    let k = this.offsets.length - 1;
    while (this.offsets[k]! > index) k--;
    return k;
  }

  /** Runs `fn` on every part concurrently; waits for all, then throws the first failure, prefixed with its URL. */
  private each<T>(fn: (part: RemoteVectorEnv, k: number) => Promise<T>): Promise<T[]> {
    return settleAll(this.parts.map(fn), this.urls);
  }

  /** Copies the parts' results into the batch, in sub-env order. */
  private gather(): void {
    const ended: EndedEpisodeInfo[] = [];
    this.parts.forEach((part, k) => {
      const at = this.offsets[k]!;
      this.observations.set(part.observations, at * this.obsSize);
      this.rewards.set(part.rewards, at);
      this.terminated.set(part.terminated, at);
      this.truncated.set(part.truncated, at);
      for (const item of part.ended) ended.push({ ...item, index: item.index + at });
    });
    this.ended = ended;
  }

  private checkActions(actions: ArrayLike<number>): void {
    if (actions.length !== this.numEnvs) throw new RemoteError(ErrorCode.INVALID_ACTION, `expected ${this.numEnvs} actions, got ${actions.length}`);
    const space = this.spec.actionSpace;
    if (space.type !== 'Discrete') return;
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i]!;
      if (!Number.isInteger(a) || a < 0 || a >= space.n) throw new RemoteError(ErrorCode.INVALID_ACTION, `action ${i}: expected an integer in 0..${space.n - 1}, got ${String(a)}`);
    }
  }
}

/**
 * Awaits every promise (so none is left running unobserved); if any failed, undoes the successes with `undo` and
 * throws the first failure with its URL in front of the message (the error keeps its class and code).
 */
async function settleAll<T>(promises: Promise<T>[], urls: readonly string[], undo?: (value: T) => unknown): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.findIndex((r) => r.status === 'rejected');
  if (failed < 0) return results.map((r) => (r as PromiseFulfilledResult<T>).value);
  if (undo) await Promise.allSettled(results.flatMap((r) => (r.status === 'fulfilled' ? [Promise.resolve().then(() => undo(r.value))] : [])));
  const reason = (results[failed] as PromiseRejectedResult).reason as unknown;
  throw withUrl(reason, urls[failed]!);
}

function withUrl(reason: unknown, url: string): Error {
  if (reason instanceof Error) {
    if (!reason.message.startsWith(url)) reason.message = `${url}: ${reason.message}`;
    return reason;
  }
  return new Error(`${url}: ${String(reason)}`);
}
