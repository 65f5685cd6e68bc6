/**
 * A connection that keeps itself alive: connects, and after a drop reconnects with backoff; when the server
 * answers UNAUTHORIZED it stops and asks for a token. Talks only through the protocol client.
 */
import { Client, ErrorCode, isRemoteError } from '@rlfs/protocol';
import type { Role, WebSocketFactory } from '@rlfs/protocol';
import type { BackoffOptions } from './backoff';
import { backoffDelay } from './backoff';
import type { ConnectionState } from './status';

export interface KeepAliveOptions {
  url: string;
  role: Role;
  name?: string;
  token?: string;
  backoff?: Partial<BackoffOptions>;
  /** Opens the socket (default: the browser's WebSocket); a fleet's socket merges several servers (fleet-socket.ts). */
  createSocket?: WebSocketFactory;
  onState(state: ConnectionState): void;
  /** Called with every new connected client (after reconnects too). */
  onConnected(client: Client): void | Promise<void>;
  /** The server wants a token: resolve with one to retry, or undefined to stay stopped. */
  askToken(wrong: boolean): Promise<string | undefined>;
}

export class KeepAlive {
  client: Client | undefined;
  private attempt = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private token: string | undefined;

  constructor(private readonly options: KeepAliveOptions) {
    this.token = options.token;
  }

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    void this.client?.close();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.options.onState({ kind: 'connecting' });
    let client: Client;
    try {
      client = await Client.connect(this.options.url, { role: this.options.role, name: this.options.name, token: this.token, connectTimeoutMs: 5000, ...(this.options.createSocket ? { createSocket: this.options.createSocket } : {}) });
    } catch (err) {
      if (isRemoteError(err, ErrorCode.UNAUTHORIZED)) {
        this.options.onState({ kind: 'unauthorized' });
        const token = await this.options.askToken(this.token !== undefined);
        if (token === undefined) return;
        this.token = token;
        this.attempt = 0;
        return this.connect();
      }
      return this.retry(shortReason(err));
    }
    this.client = client;
    this.attempt = 0;
    this.options.onState({ kind: 'live', server: client.welcome.server });
    client.onClose((info) => {
      if (this.client === client) this.client = undefined;
      this.retry(info.code === 1001 ? 'server going away' : `closed ${info.code}`);
    });
    try {
      await this.options.onConnected(client);
    } catch {
      // the close handler retries
    }
  }

  private retry(reason: string): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.options.backoff);
    this.attempt++;
    let left = delay;
    const tick = (): void => {
      this.options.onState({ kind: 'reconnecting', attempt: this.attempt, inMs: left, reason });
      if (left <= 0) return void this.connect();
      const step = Math.min(1000, left);
      left -= step;
      this.timer = setTimeout(tick, step);
    };
    tick();
  }
}

function shortReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/close 1006|could not connect/.test(text)) return 'no answer';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
