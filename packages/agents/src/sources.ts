/**
 * Where the runner gets its environment: in-process from the pure core, or over the socket from a server.
 * A source can be opened again after a dropped connection; each opening is a new session.
 */
import { makeEnv, makeVectorEnv } from '@rlfs/envs';
import { connect, connectVectorEnv } from '@rlfs/protocol/node';
import type { NodeClientOptions } from '@rlfs/protocol/node';
import { RemoteEnv, RemoteVectorEnv, splitSizes } from '@rlfs/protocol';
import type { Client, Encoding } from '@rlfs/protocol';
import type { EnvLike, VectorEnvLike } from './env-like';

/** An opened environment, with the side channel for telemetry where there is one. */
export interface OpenedEnv {
  env: EnvLike | VectorEnvLike;
  /**
   * Fire-and-forget metrics for spectators (remote sessions only); `extensions` go beside `metrics` in the same
   * telemetry request (the documented `valueMap`).
   */
  telemetry?(metrics: Record<string, number>, extensions?: Record<string, unknown>): void;
  /** Ends the session and the connection; never throws. */
  close(): Promise<void>;
}

export interface EnvSource {
  /** `in-process` or the server URL, for messages. */
  readonly where: string;
  open(): Promise<OpenedEnv>;
}

export interface EnvChoice {
  env: string;
  options?: Record<string, unknown>;
  /** Omitted or 0: a scalar environment; N >= 1: a vector of N sub-envs. */
  numEnvs?: number;
}

/** Environments built in this process by `@rlfs/envs`. */
export function inProcessSource(choice: EnvChoice): EnvSource {
  return {
    where: 'in-process',
    async open() {
      const env = choice.numEnvs ? makeVectorEnv(choice.env, choice.options, choice.numEnvs) : makeEnv(choice.env, choice.options);
      return { env, close: async () => env.close() };
    },
  };
}

export interface RemoteChoice extends EnvChoice {
  /** One server, or several: a vector env (numEnvs >= the number of URLs) is then split across them, one session each. */
  url: string | readonly string[];
  /** Shown to spectators. */
  name?: string;
  token?: string;
  encoding?: Encoding;
}

/** Sessions on an environment server: one connection per opening. */
export function remoteSource(choice: RemoteChoice): EnvSource {
  if (typeof choice.url !== 'string' && choice.url.length !== 1) return splitSource({ ...choice, url: choice.url });
  const url = typeof choice.url === 'string' ? choice.url : choice.url[0]!;
  return {
    where: url,
    async open() {
      const client: Client = await connect(url, clientOptions(choice));
      try {
        const args = { env: choice.env, ...(choice.options ? { options: choice.options } : {}), ...(choice.encoding ? { encoding: choice.encoding } : {}) };
        const env = choice.numEnvs ? await RemoteVectorEnv.make(client, { ...args, numEnvs: choice.numEnvs }) : await RemoteEnv.make(client, args);
        return {
          env,
          telemetry: (metrics, extensions) => {
            if (client.closed) return;
            if (extensions) client.send({ ...extensions, type: 'telemetry', metrics });
            else client.telemetry(metrics);
          },
          close: async () => {
            await env.close().catch(() => undefined);
            await Promise.resolve(client.close()).catch(() => undefined);
          },
        };
      } catch (err) {
        await Promise.resolve(client.close()).catch(() => undefined);
        throw err;
      }
    },
  };
}

function clientOptions(choice: RemoteChoice): NodeClientOptions {
  return { role: 'agent', ...(choice.name ? { name: choice.name } : {}), ...(choice.token ? { token: choice.token } : {}) };
}

/** A vector env split across several servers: one vector session on each, stepped together, one batch. */
function splitSource(choice: RemoteChoice & { url: readonly string[] }): EnvSource {
  const urls = choice.url;
  if (urls.length === 0) throw new RangeError('expected at least one server URL');
  if (!choice.numEnvs) throw new RangeError(`${urls.length} server URLs need a vector env to split (numEnvs >= ${urls.length}); a scalar env runs on one server`);
  splitSizes(choice.numEnvs, urls.length);
  return {
    where: urls.join(', '),
    async open() {
      const args = { env: choice.env, numEnvs: choice.numEnvs!, ...(choice.options ? { options: choice.options } : {}), ...(choice.encoding ? { encoding: choice.encoding } : {}) };
      const env = await connectVectorEnv(urls, clientOptions(choice), args);
      return {
        env,
        // each server's spectators watch their share of the sub-envs, so each gets the metrics
        telemetry: (metrics) => {
          for (const part of env.parts) if (!part.client.closed) part.client.telemetry(metrics);
        },
        close: () => env.close().catch(() => undefined),
      };
    },
  };
}
