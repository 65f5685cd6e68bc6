/** Who may connect: the token of `hello`, the Host of every request, and the Origin of browser upgrades. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** Compares tokens in constant time (hashing first so that lengths do not leak either). */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/**
 * The `Host` values a request may carry. A page on the web that rebinds its own name to this machine's address
 * reaches the port with `Host: its-name:PORT`; only names that mean this server are accepted, so such a page gets 403.
 */
export class HostPolicy {
  /** `host:port` strings accepted as they are (lower case). */
  private readonly exact = new Set<string>();
  /** Host names accepted with any port or none (from --allow-host). */
  private readonly names = new Set<string>();
  /** On a wildcard bind (0.0.0.0, ::) any IP literal names this machine; a rebinding page always sends a name. */
  private readonly anyIpLiteral: boolean;

  constructor(boundHost: string, port: number, allowHosts: readonly string[], loopback: boolean) {
    const bound = stripBrackets(boundHost.toLowerCase());
    this.anyIpLiteral = bound === '0.0.0.0' || bound === '::';
    const hosts = [bound];
    if (loopback) hosts.push('localhost', '127.0.0.1', '::1');
    for (const host of hosts) {
      const shown = isIP(host) === 6 ? `[${host}]` : host;
      this.exact.add(`${shown}:${port}`);
      if (port === 80) this.exact.add(shown);
    }
    for (const name of allowHosts) this.names.add(stripBrackets(name.toLowerCase()));
  }

  /** True when `host` (a Host header, or the host of an Origin) names this server. */
  allows(host: string | undefined): boolean {
    if (host === undefined || host === '') return false;
    const value = host.toLowerCase();
    if (this.exact.has(value)) return true;
    const name = hostnameOf(value);
    if (name === undefined) return false;
    if (this.names.has(name)) return true;
    return this.anyIpLiteral && isIP(name) !== 0;
  }

  /**
   * A browser page may open the socket only from an origin whose host is an allowed host, or one listed with
   * --allow-origin (`*` allows any). Clients that send no Origin (agents, tools) are allowed: a browser always sends it.
   */
  originAllowed(request: IncomingMessage, allowOrigins: readonly string[]): boolean {
    const origin = request.headers.origin;
    if (origin === undefined || origin === '') return true;
    if (allowOrigins.includes(origin) || allowOrigins.includes('*')) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return this.allows(url.host);
  }
}

/** The host name of `host[:port]` (brackets of an IPv6 literal removed), or undefined when it is malformed. */
function hostnameOf(value: string): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value);
  return match ? stripBrackets(match[1]!) : undefined;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
