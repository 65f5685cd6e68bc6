/**
 * The checks of a `make` request after its `env` is known to be a string: the environment exists, and its options,
 * `numEnvs`, `seed` and `encoding` are valid and within the server's limits (session memory, reply size). Each failure
 * is the contract's error naming what was wrong; nothing is allocated before every check has passed.
 */
import type { EnvEntry } from '@rlfs/envs';
import { InvalidOptionsError, UnknownEnvError } from '@rlfs/envs';
import { ErrorCode } from '@rlfs/protocol';
import type { Message } from '@rlfs/protocol';
import { checkSeed, plainReplyBytes } from './agent-session';
import type { Encoding } from './agent-session';
import type { ServerOptions } from './options';
import { RequestError, isInteger, isMap, show } from './request-error';

/** What a session is made of, once checked. */
export interface CheckedMake {
  entry: EnvEntry;
  options: Record<string, unknown>;
  numEnvs: number | undefined;
  seed: number | undefined;
  encoding: Encoding;
}

export function checkMake(env: string, message: Message, getEnv: (id: string) => EnvEntry, limits: ServerOptions): CheckedMake {
  const { options, numEnvs, seed, encoding } = message;
  let entry: EnvEntry;
  try {
    entry = getEnv(env);
  } catch (err) {
    if (err instanceof UnknownEnvError) throw new RequestError(ErrorCode.UNKNOWN_ENV, err.message);
    throw err;
  }
  if (options !== undefined && !isMap(options)) throw new RequestError(ErrorCode.INVALID_OPTIONS, 'options: expected a map of option names to values');
  if (numEnvs !== undefined && (!isInteger(numEnvs) || numEnvs < 1 || numEnvs > limits.maxNumEnvs)) {
    throw new RequestError(ErrorCode.INVALID_OPTIONS, `numEnvs: expected an integer from 1 to ${limits.maxNumEnvs} (the server's maxNumEnvs), got ${show(numEnvs)}`);
  }
  if (seed !== undefined) checkSeed(seed, (numEnvs as number | undefined) ?? 1);
  if (encoding !== undefined && encoding !== 'plain' && encoding !== 'packed') {
    throw new RequestError(ErrorCode.INVALID_OPTIONS, `encoding: expected "plain" or "packed", got ${show(encoding)}`);
  }
  let resolved: Record<string, unknown>;
  try {
    resolved = entry.resolveOptions(options as Record<string, unknown> | undefined);
  } catch (err) {
    if (err instanceof InvalidOptionsError) throw new RequestError(ErrorCode.INVALID_OPTIONS, err.message);
    throw err;
  }
  const count = (numEnvs as number | undefined) ?? 1;
  const bytes = entry.bytesPerEnv(resolved) * count;
  if (bytes > limits.maxSessionBytes) {
    throw new RequestError(
      ErrorCode.INVALID_OPTIONS,
      `numEnvs: ${count} envs of ${env} with these options need about ${mib(bytes)} MiB, above the server's maxSessionBytes limit of ${mib(limits.maxSessionBytes)} MiB (--max-session-bytes)`,
    );
  }
  const chosen: Encoding = (encoding as Encoding | undefined) ?? 'plain';
  const replyBytes = plainReplyBytes({ observationSpace: entry.observationSpace(resolved) }, numEnvs as number | undefined, chosen);
  if (replyBytes > limits.maxReplyBytes) {
    throw new RequestError(
      ErrorCode.INVALID_OPTIONS,
      `numEnvs: ${count} envs of ${env} with these options would send replies of up to ${mib(replyBytes)} MiB, above the server's maxReplyBytes limit of ${mib(limits.maxReplyBytes)} MiB (--max-reply-bytes)${chosen === 'plain' ? '; encoding "packed" sends far less' : ''}`,
    );
  }
  return { entry, options: resolved, numEnvs: numEnvs as number | undefined, seed: seed as number | undefined, encoding: chosen };
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}
