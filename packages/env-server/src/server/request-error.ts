/** An error answered to one request; `fatal` ones end the connection with `closeCode`. */
import type { ErrorCode } from '@rlfs/protocol';

export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly closeCode?: number,
  ) {
    super(message);
  }
}

/** True for a number with an integral value (5.0 counts as 5). */
export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** True for a plain map (an object that is not an array or bytes). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** A request value for an error message (JSON, bigints as digits). */
export function show(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
