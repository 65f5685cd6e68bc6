/**
 * A raw WebSocket to a protocol 1 server for checks and tests that must send what no well-behaved client sends:
 * text frames, broken MessagePack, requests before `hello`. Every frame received is decoded and queued in order.
 */
import WebSocket from 'ws';
import { decode, encode } from '@rlfs/protocol';
import type { Message } from '@rlfs/protocol';

export interface RawSocketOptions {
  /** Sent as the Origin header (a browser would). */
  origin?: string;
  /** Largest message accepted from the server (default 64 MiB). */
  maxPayload?: number;
}

export interface RawClose {
  code: number;
  reason: string;
}

/** One raw connection; `next()` yields server messages in the order they came. */
export class RawSocket {
  /** Resolves when the connection ends. */
  readonly closed: Promise<RawClose>;
  /** Frames that did not decode (a protocol 1 server sends none). */
  readonly undecodable: Uint8Array[] = [];
  private readonly inbox: Message[] = [];
  private readonly waiters: Array<(message: Message | undefined) => void> = [];
  private ended = false;

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.ended = true;
        for (const waiter of this.waiters.splice(0)) waiter(undefined);
        resolve({ code, reason: reason.toString() });
      });
    });
    socket.on('message', (data) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      let message: Message;
      try {
        message = decode(bytes);
      } catch {
        this.undecodable.push(bytes);
        return;
      }
      const waiter = this.waiters.shift();
      if (waiter) waiter(message);
      else this.inbox.push(message);
    });
  }

  /** Opens `url`; rejects with the HTTP status (e.g. `Unexpected server response: 403`) when the upgrade is refused. */
  static open(url: string, options: RawSocketOptions = {}): Promise<RawSocket> {
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: options.maxPayload ?? 64 * 1024 * 1024, ...(options.origin ? { origin: options.origin } : {}) });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new RawSocket(socket)));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => {
        reject(new Error(`Unexpected server response: ${res.statusCode}`));
        socket.terminate();
      });
    });
  }

  /** Opens `url` and says hello; rejects unless the reply is `welcome`. */
  static async hello(url: string, role: 'agent' | 'spectator', token?: string): Promise<RawSocket> {
    const raw = await RawSocket.open(url);
    const reply = await raw.request({ type: 'hello', protocol: 1, role, ...(token === undefined ? {} : { token }) });
    if (reply.type !== 'welcome') throw new Error(`hello was answered with ${JSON.stringify(reply)}`);
    return raw;
  }

  /** Messages received and not yet taken. */
  get pending(): number {
    return this.inbox.length;
  }

  get isOpen(): boolean {
    return !this.ended && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a message (encoded with the protocol codec), raw bytes as a binary frame, or a string as a text frame. */
  send(data: Record<string, unknown> | Uint8Array | string): void {
    if (typeof data === 'string') this.socket.send(data, { binary: false });
    else if (data instanceof Uint8Array) this.socket.send(data, { binary: true });
    else this.socket.send(encode(data), { binary: true });
  }

  /** The next message; rejects after `timeoutMs` or when the connection ends first. */
  async next(timeoutMs = 5000): Promise<Message> {
    const message = await this.nextWithin(timeoutMs);
    if (!message) throw new Error(this.ended ? 'the connection closed before a reply came' : `no message within ${timeoutMs} ms`);
    return message;
  }

  /** The next message, or undefined when none comes within `ms` (or the connection ends). */
  nextWithin(ms: number): Promise<Message | undefined> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      }, ms);
      const waiter = (message: Message | undefined): void => {
        clearTimeout(timer);
        resolve(message);
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends and waits for the next message. */
  async request(data: Record<string, unknown> | Uint8Array | string, timeoutMs?: number): Promise<Message> {
    this.send(data);
    return this.next(timeoutMs);
  }

  /** Closes (code 1000) and waits for the end. */
  async close(): Promise<RawClose> {
    if (!this.ended) this.socket.close(1000);
    return this.closed;
  }
}
