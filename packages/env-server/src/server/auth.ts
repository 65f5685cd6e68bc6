/** Who may connect: the token of `hello`, and the Origin of browser upgrades. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Compares tokens in constant time (hashing first so that lengths do not leak either). */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/**
 * A browser page may open the socket only from the server's own origin or a listed one, so that a web page a user
 * happens to visit cannot drive their local server. Clients that send no Origin (agents, tools) are allowed.
 */
export function originAllowed(request: IncomingMessage, allowOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || origin === '') return true;
  if (allowOrigins.includes(origin) || allowOrigins.includes('*')) return true;
  const host = request.headers.host;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
