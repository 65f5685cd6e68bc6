/**
 * The typed client of protocol 1: handshake, requests with ids (pipelined, replies matched in order),
 * spectator events, telemetry. Browser-safe: it takes any WHATWG-style WebSocket constructor
 * (the browser's own, or `ws` in Node through `@rlfs/protocol/node`).
 */
import type { ResetArgs } from './env-contract';
import { decodeReply, encode } from './codec';
import { ClientErrorCode, ConnectionClosedError, ErrorCode, ProtocolError, RemoteError } from './errors';
import type {
  Closed,
  DrainingEvent,
  Encoding,
  ErrorMessage,
  Made,
  Message,
  RenderMode,
  RenderResult,
  Reply,
  ResetResult,
  Role,
  SessionSummary,
  SessionsResult,
  SpectatorEvent,
  ValueMap,
  StepResult,
  Subscribed,
  Unsubscribed,
  Welcome,
} from './messages';
import { PROTOCOL_VERSION } from './messages';

/** The part of the WebSocket API the client uses; both the browser's and `ws` provide it. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface ClientOptions {
  role: Role;
  /** Shown to spectators; without it the server names the client. */
  name?: string;
  /** Needed when the server was started with --token. */
  token?: string;
  /** Opens the socket (the browser's WebSocket by default). */
  createSocket?: WebSocketFactory;
  /** Milliseconds to wait for the socket and the welcome (default 10000). */
  connectTimeoutMs?: number;
  /** Milliseconds to wait for any reply before rejecting with TIMEOUT; 0 waits forever (default 60000). */
  requestTimeoutMs?: number;
  /** Id of the first request (default 1); ids count up from it and stop at 2^53-1, past which requests are refused (BAD_ID). */
  firstId?: number;
}

export const DEFAULT_CLIENT_OPTIONS = { connectTimeoutMs: 10_000, requestTimeoutMs: 60_000 } as const;

export interface MakeArgs {
  env: string;
  options?: Record<string, unknown>;
  numEnvs?: number;
  seed?: number;
  encoding?: Encoding;
}
export interface CloseInfo {
  code: number;
  reason: string;
}

interface Pending {
  id: number;
  type: string;
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  /** Date.now() after which the request times out; Infinity waits forever. */
  deadline: number;
  wait: number;
}

const OPEN = 1;

/** One connection to an environment server, as an agent or as a spectator. */
export class Client {
  /** The server's `welcome`: protocol, server name and version, environment ids. */
  welcome!: Welcome;
  private readonly pending = new Map<number, Pending>();
  private readonly eventHandlers = new Set<(event: SpectatorEvent) => void>();
  private readonly closeHandlers = new Set<(info: CloseInfo) => void>();
  private readonly drainingHandlers = new Set<(event: DrainingEvent) => void>();
  /** The server's `draining` notice, once it came (docs/protocol.md): no new session should be asked of this server. */
  draining: DrainingEvent | undefined;
  private nextId = 1;
  private closeInfo: CloseInfo | undefined;
  /** One timer for all pending requests (a timer per request costs a setTimeout and a clearTimeout per step). */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDeadline = Infinity;

  private constructor(
    private readonly socket: WebSocketLike,
    private readonly options: ClientOptions & { connectTimeoutMs: number; requestTimeoutMs: number },
  ) {
    const first = options.firstId ?? 1;
    if (!Number.isInteger(first) || first < 0) throw new ProtocolError(ClientErrorCode.BAD_ID, `firstId: expected a non-negative integer, got ${String(first)}`);
    this.nextId = first;
  }

  /**
   * Opens the socket and says `hello`. Rejects with a {@link RemoteError} (PROTOCOL_MISMATCH, UNAUTHORIZED, ...)
   * when the server refuses, or a {@link ConnectionClosedError} when it cannot be reached.
   */
  static async connect(url: string, options: ClientOptions): Promise<Client> {
    const opts = { ...DEFAULT_CLIENT_OPTIONS, ...options };
    const create = opts.createSocket ?? defaultSocketFactory;
    const socket = create(url);
    // Binary frames as bytes: `ws` already hands over Buffers (Uint8Array) unless asked for ArrayBuffers, which costs
    // a copy of every message; a browser's default is Blob.
    if (socket.binaryType !== 'nodebuffer') socket.binaryType = 'arraybuffer';
    const client = new Client(socket, opts);
    await client.open(url);
    const hello: Record<string, unknown> & { type: string } = { type: 'hello', protocol: PROTOCOL_VERSION, role: opts.role };
    if (opts.name !== undefined) hello.name = opts.name;
    if (opts.token !== undefined) hello.token = opts.token;
    try {
      client.welcome = await client.request<Welcome>(hello, opts.connectTimeoutMs);
    } catch (err) {
      client.close();
      throw err;
    }
    return client;
  }

  /** True once the connection has ended. */
  get closed(): boolean {
    return this.closeInfo !== undefined;
  }

  /** Requests still waiting for their reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Sends any request and resolves with its reply; an `error` reply rejects with {@link RemoteError}.
   * Requests may be pipelined: replies come in request order.
   */
  request<T extends Reply = Reply>(message: Record<string, unknown> & { type: string }, timeoutMs?: number): Promise<T> {
    if (this.closeInfo) {
      return Promise.reject(new ConnectionClosedError(`connection closed (${this.closeInfo.code}) before ${message.type}`, this.closeInfo.code, this.closeInfo.reason));
    }
    const id = this.nextId++;
    if (id > Number.MAX_SAFE_INTEGER) {
      // The contract's ids stop at 2^53-1; past it a number can no longer tell two requests apart.
      return Promise.reject(new ProtocolError(ClientErrorCode.BAD_ID, `request id ${id} is above 2^53-1: open a new connection`));
    }
    return new Promise<T>((resolve, reject) => {
      const wait = timeoutMs ?? this.options.requestTimeoutMs;
      const deadline = wait > 0 ? Date.now() + wait : Infinity;
      const entry: Pending = { id, type: message.type, resolve: resolve as (r: Reply) => void, reject, deadline, wait };
      this.pending.set(id, entry);
      if (deadline < this.timerDeadline) this.armTimer(deadline);
      this.socket.send(encode({ ...message, id }));
    });
  }

  /** Sends a message that gets no reply (telemetry). */
  send(message: Record<string, unknown> & { type: string }): void {
    const id = message.id;
    if (id !== undefined && !(typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= Number.MAX_SAFE_INTEGER)) {
      throw new ProtocolError(ClientErrorCode.BAD_ID, `id: expected a non-negative integer of at most 2^53-1, got ${String(id)}`);
    }
    if (this.closeInfo || this.socket.readyState !== OPEN) return;
    this.socket.send(encode(message));
  }

  // ---- agent requests ----

  make(args: MakeArgs): Promise<Made> {
    return this.request<Made>({ type: 'make', ...args });
  }

  reset(args: ResetArgs = {}): Promise<ResetResult> {
    return this.request<ResetResult>({ type: 'reset', ...args });
  }

  step(action: unknown): Promise<StepResult> {
    return this.request<StepResult>({ type: 'step', action });
  }

  render(mode: RenderMode): Promise<RenderResult> {
    return this.request<RenderResult>({ type: 'render', mode });
  }

  /** Ends the agent session (the connection stays open and may `make` again). */
  closeSession(): Promise<Closed> {
    return this.request<Closed>({ type: 'close' });
  }

  /** Forwards metrics (and a GridWorld value map, docs/protocol.md "Value maps") to the session's spectators; never answered. */
  telemetry(metrics: Record<string, number>, extras: { valueMap?: ValueMap } = {}): void {
    this.send(extras.valueMap ? { type: 'telemetry', metrics, valueMap: extras.valueMap } : { type: 'telemetry', metrics });
  }

  // ---- spectator requests ----

  async sessions(): Promise<SessionSummary[]> {
    return (await this.request<SessionsResult>({ type: 'sessions' })).sessions;
  }

  subscribe(session: string): Promise<Subscribed> {
    return this.request<Subscribed>({ type: 'subscribe', session });
  }

  unsubscribe(session: string): Promise<Unsubscribed> {
    return this.request<Unsubscribed>({ type: 'unsubscribe', session });
  }

  /** Calls `handler` for every spectator event (frame, episode, telemetry, session_closed). Returns an unsubscriber. */
  onEvent(handler: (event: SpectatorEvent) => void): () => void {
    this.eventHandlers.add(handler);
    return () => this.eventHandlers.delete(handler);
  }

  /**
   * Calls `handler` when the server says it is draining (an agent's running episode may finish; then the server
   * closes with 1001). Not an {@link onEvent} event: it concerns the connection, not a session. Returns an unsubscriber.
   */
  onDraining(handler: (event: DrainingEvent) => void): () => void {
    this.drainingHandlers.add(handler);
    return () => this.drainingHandlers.delete(handler);
  }

  /** Calls `handler` once the connection ends, whoever ended it. Returns an unsubscriber. */
  onClose(handler: (info: CloseInfo) => void): () => void {
    if (this.closeInfo) {
      handler(this.closeInfo);
      return () => undefined;
    }
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  /** Closes the connection (code 1000); pending requests reject with CONNECTION_CLOSED. */
  close(code = 1000, reason = ''): Promise<CloseInfo> {
    return new Promise((resolve) => {
      this.onClose(resolve);
      if (!this.closeInfo) this.socket.close(code, reason);
    });
  }

  // ---- internals ----

  private open(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new ProtocolError(ClientErrorCode.CONNECT_FAILED, `could not connect to ${url} within ${this.options.connectTimeoutMs} ms`));
        this.socket.close();
      }, this.options.connectTimeoutMs);
      this.socket.onopen = () => {
        clearTimeout(timer);
        resolve();
      };
      this.socket.onerror = () => undefined;
      this.socket.onclose = (event) => {
        clearTimeout(timer);
        reject(new ConnectionClosedError(`could not connect to ${url} (close ${event.code}${event.reason ? `: ${event.reason}` : ''})`, event.code, event.reason));
        this.handleClose(event);
      };
      this.socket.onmessage = (event) => this.handleMessage(event.data);
    });
  }

  private handleMessage(data: unknown): void {
    let message: Message;
    try {
      message = decodeReply(toBytes(data));
    } catch {
      return; // a server that speaks protocol 1 never sends this; nothing to match it to
    }
    const id = message.id;
    if (typeof id === 'number') {
      const entry = this.pending.get(id);
      if (!entry) return; // its request timed out
      this.pending.delete(id);
      if (message.type === 'error') {
        const err = message as unknown as ErrorMessage;
        entry.reject(new RemoteError(err.code, `${entry.type}: ${err.code}: ${err.message}`, entry.type));
      } else {
        entry.resolve(message as unknown as Reply);
      }
      return;
    }
    if (message.type === 'error') {
      // An error without id is fatal (TOO_LARGE before a close): it fails whatever is waiting.
      const err = message as unknown as ErrorMessage;
      this.failAll(new RemoteError(err.code, `${err.code}: ${err.message}`));
      return;
    }
    if (message.type === 'draining') {
      this.draining = message as unknown as DrainingEvent;
      for (const handler of this.drainingHandlers) handler(this.draining);
      return;
    }
    for (const handler of this.eventHandlers) handler(message as unknown as SpectatorEvent);
  }

  private handleClose(event: { code: number; reason: string }): void {
    if (this.closeInfo) return;
    this.closeInfo = { code: event.code, reason: event.reason };
    this.failAll(new ConnectionClosedError(`connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`, event.code, event.reason));
    for (const handler of this.closeHandlers) handler(this.closeInfo);
    this.closeHandlers.clear();
  }

  private failAll(error: Error): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    if (this.closeInfo) this.disarmTimer();
    for (const entry of entries) entry.reject(error);
  }

  /**
   * Sets the connection's one timer for `deadline`. It is left running when replies come (most requests are answered
   * long before it fires); when it fires it fails the requests whose deadline has passed and waits for the next one.
   */
  private armTimer(deadline: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerDeadline = deadline;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, deadline - Date.now()));
  }

  private disarmTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDeadline = Infinity;
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerDeadline = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const entry of [...this.pending.values()]) {
      if (entry.deadline <= now) {
        this.pending.delete(entry.id);
        entry.reject(new ProtocolError(ClientErrorCode.TIMEOUT, `no reply to ${entry.type} (id ${entry.id}) within ${entry.wait} ms`));
      } else if (entry.deadline < next) {
        next = entry.deadline;
      }
    }
    if (next < Infinity && this.timer === undefined) this.armTimer(next);
  }
}

/** True when `err` is a server error with that code. */
export function isRemoteError(err: unknown, code?: ErrorCode): err is RemoteError {
  return err instanceof RemoteError && (code === undefined || err.code === code);
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) {
    // `ws` may hand over fragments when binaryType is "fragments"
    const parts = data as Uint8Array[];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.byteLength;
    }
    return out;
  }
  throw new ProtocolError(ErrorCode.BAD_FRAME, 'text frame');
}

function defaultSocketFactory(url: string): WebSocketLike {
  const Ctor = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (!Ctor) throw new ProtocolError(ClientErrorCode.CONNECT_FAILED, 'no global WebSocket here: in Node import { connect } from "@rlfs/protocol/node"');
  return new Ctor(url);
}
