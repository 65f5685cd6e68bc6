/**
 * Errors of the environment core. `code` mirrors the contract's error codes so that a server can answer
 * `{type:"error", code, message}` without a lookup table; callers test with `instanceof`.
 */
import { ErrorCode } from '@rlfs/protocol';

/** Base error of the environment core. */
export class EnvError extends Error {
  override name = 'EnvError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** `make` of an id the registry does not know. */
export class UnknownEnvError extends EnvError {
  override name = 'UnknownEnvError';
  constructor(
    readonly envId: string,
    known: readonly string[],
  ) {
    super(ErrorCode.UNKNOWN_ENV, `unknown environment ${describeValue(envId)}; known: ${known.join(', ') || '(none)'}`);
  }
}

/** A bad option (of `make`, or a bad `seed`/reset option). `option` names it, e.g. `rewards.goal` or `layout[2]`. */
export class InvalidOptionsError extends EnvError {
  override name = 'InvalidOptionsError';
  /**
   * @param option the option's path, e.g. `size`, `rewards.goal`, `layout[2]`
   * @param detail what was expected and what came, e.g. `expected an integer from 2 to 64, got 1.5`
   */
  constructor(
    readonly option: string,
    detail: string,
  ) {
    super(ErrorCode.INVALID_OPTIONS, `${option}: ${detail}`);
  }
}

/** An action outside the action space; the environment is unchanged. */
export class InvalidActionError extends EnvError {
  override name = 'InvalidActionError';
  constructor(message: string) {
    super(ErrorCode.INVALID_ACTION, message);
  }
}

/** `step` (or `render`) before the first reset, or `step` after the episode ended without autoreset. */
export class ResetNeededError extends EnvError {
  override name = 'ResetNeededError';
  constructor(message: string) {
    super(ErrorCode.RESET_NEEDED, message);
  }
}

/** A short human rendering of a value for "got ..." in messages: `1.5`, `"wrap"`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return 'a typed array';
  return `a ${typeof value}`;
}
