/**
 * One WebSocket connection: the handshake, then requests dispatched by role, each answered in order with a reply
 * or an error carrying the request's id. Errors are checked in the contract's order of precedence:
 * BAD_FRAME, HELLO_REQUIRED, UNKNOWN_TYPE, WRONG_ROLE, BAD_REQUEST, NOT_MADE, RESET_NEEDED, then the request's own.
 */
import type { WebSocket } from 'ws';
import { BadFrameError, CloseCode, ErrorCode, PROTOCOL_VERSION, decode, encode, isValueMap } from '@rlfs/protocol';
import type { Message, ReplyBody, ValueMap } from '@rlfs/protocol';
import type { EnvEntry } from '@rlfs/envs';
import type { Duplex } from 'node:stream';
import { AgentSession } from './agent-session';
import { checkMake } from './make-request';
import { PackedStepWriter } from './packed-reply';
import { writeSmallFramesOnce } from './one-write';
import { tokenMatches } from './auth';
import type { ServerOptions } from './options';
import { SERVER_NAME, SERVER_VERSION } from './options';
import { RequestError, isInteger, isMap, show } from './request-error';
import { SpectatorOutbox } from './spectator-hub';
import type { SpectatorHub } from './spectator-hub';

const AGENT_TYPES = new Set(['make', 'reset', 'step', 'render', 'close']);
const SPECTATOR_TYPES = new Set(['sessions', 'subscribe', 'unsubscribe']);

/** What a connection needs from the server around it. */
export interface ConnectionContext {
  options: ServerOptions;
  hub: SpectatorHub;
  envIds: () => string[];
  getEnv: (id: string) => EnvEntry;
  nextSessionId: () => string;
  nextClientNumber: () => number;
  /** Set while the server drains: `make` and `reset` are refused with UNAVAILABLE, agents are closed once their episode ends. */
  readonly drain: { draining: boolean };
}

/** The close reason of a connection ended by a drain. */
const DRAIN_REASON = 'server draining: connect again to be given another server';

export class Connection {
  private role: 'agent' | 'spectator' | undefined;
  private name = '';
  private session: AgentSession | undefined;
  private outbox: SpectatorOutbox | undefined;
  private readonly subscriptions = new Set<string>();
  /**
   * Requests received while an earlier one's reply is still held back: processed one at a time, in order. A message
   * kept as a string stands for a text frame (answered BAD_FRAME in its turn).
   */
  private readonly waiting: Array<Buffer | string> = [];
  /** True while requests wait: for the outgoing buffer to drain, or for the next turn of the event loop. */
  private held = false;
  /** True while the socket is not read. */
  private paused = false;
  /** Bytes sent in answer to the request just handled. */
  private lastReplyBytes = 0;
  private helloTimer: ReturnType<typeof setTimeout> | undefined;
  /** The server drains and this connection was told so. */
  private draining = false;
  /** While draining, the agent asked for a new episode (refused): nothing of its episode is left to finish here. */
  private abandoned = false;

  /**
   * @param transport the TCP socket under the WebSocket, whose `drain` says when held replies have gone out
   */
  constructor(
    private readonly socket: WebSocket,
    private readonly ctx: ConnectionContext,
    private readonly transport: Duplex,
  ) {
    writeSmallFramesOnce(socket);
    socket.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    socket.on('close', () => this.dispose());
    socket.on('error', () => undefined); // 'close' follows; a protocol error from ws is already answered by its close code
    this.helloTimer = setTimeout(() => {
      this.helloTimer = undefined;
      if (this.role === undefined) this.socket.close(CloseCode.POLICY_VIOLATION, `no hello within ${ctx.options.helloTimeout} ms (--hello-timeout)`);
    }, ctx.options.helloTimeout);
  }

  /**
   * Requests run as they arrive while nothing is held back (the hot path: no queue, no timer). Once a reply fills
   * the outgoing buffer past its high-water mark, the socket is no longer read and later requests wait until it
   * drains; after a large reply the next request waits for the event loop's next turn, so that other connections
   * are served between two large replies of one.
   */
  private onMessage(data: Buffer | Buffer[], isBinary: boolean): void {
    // ws still reads while the closing handshake runs: a request after a drain's close is not run
    if (this.socket.readyState !== this.socket.OPEN) return;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data;
    if (this.held) {
      if (this.waiting.length >= this.ctx.options.maxQueuedRequests) return this.overflow();
      this.waiting.push(isBinary ? bytes : '');
      return;
    }
    this.handle(bytes, isBinary);
    this.afterRequest();
  }

  private afterRequest(): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.ctx.options.agentHighWater) {
      this.held = true;
      this.pauseUntilDrained();
    } else if (this.lastReplyBytes > LARGE_REPLY) {
      // Requests that came in the same read as this one wait for the next turn; a lone request costs no timer.
      this.held = true;
      process.nextTick(this.release);
    }
  }

  private readonly release = (): void => {
    if (this.waiting.length > 0) setImmediate(this.next);
    else this.held = false;
  };

  /** Runs the next waiting request, or reads the socket again when none waits. */
  private readonly next = (): void => {
    this.held = false;
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.ctx.options.agentHighWater) {
      this.held = true;
      this.pauseUntilDrained();
      return;
    }
    const item = this.waiting.shift();
    if (item === undefined) {
      if (this.paused) {
        this.paused = false;
        this.socket.resume();
      }
      return;
    }
    if (typeof item === 'string') this.handle(Buffer.alloc(0), false);
    else this.handle(item, true);
    if (this.waiting.length > 0 || this.socket.bufferedAmount > this.ctx.options.agentHighWater || this.lastReplyBytes > LARGE_REPLY) {
      this.held = true;
      setImmediate(this.next);
    } else if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
  };

  private pauseUntilDrained(): void {
    if (!this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    // The TCP socket says 'drain' once it has written what it held; below its own small high-water mark it never
    // asked for one, so look again shortly instead.
    if ((this.transport as Duplex & { writableNeedDrain?: boolean }).writableNeedDrain) this.transport.once('drain', this.next);
    else setTimeout(this.next, 5);
  }

  private overflow(): void {
    this.waiting.length = 0;
    this.socket.close(CloseCode.POLICY_VIOLATION, `more than ${this.ctx.options.maxQueuedRequests} requests waiting: read your replies (--max-queued-requests)`);
  }

  /** True for a connection that said hello as an agent. */
  get isAgent(): boolean {
    return this.role === 'agent';
  }

  /**
   * The server starts draining: the connection gets `notice` (the `draining` event) and, if it is an agent with no
   * episode to finish, is closed with 1001; a connection that has not said hello is closed at once.
   */
  startDrain(notice: Uint8Array): void {
    this.draining = true;
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.role === undefined) return this.socket.close(CloseCode.GOING_AWAY, DRAIN_REASON);
    this.send(notice);
    this.session?.beginDrain();
    this.closeIfDrained();
  }

  /** An agent whose episode (every sub-env's, for a vector session) running when the drain began has ended goes. */
  private closeIfDrained(): void {
    if (this.role !== 'agent' || this.socket.readyState !== this.socket.OPEN) return;
    if (this.session && !this.session.drained && !this.abandoned) return;
    this.socket.close(CloseCode.GOING_AWAY, DRAIN_REASON);
  }

  private handle(data: Buffer, isBinary: boolean): void {
    this.lastReplyBytes = 0;
    this.run(data, isBinary);
    if (this.draining) this.closeIfDrained();
  }

  private run(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.sendError(undefined, ErrorCode.BAD_FRAME, 'text frames are not part of protocol 1: send each message as a binary MessagePack frame');
      return;
    }
    let message: Message;
    try {
      message = decode(data);
    } catch (err) {
      if (err instanceof BadFrameError) this.sendError(undefined, ErrorCode.BAD_FRAME, err.message);
      else this.sendError(undefined, ErrorCode.BAD_FRAME, 'the frame could not be decoded');
      return;
    }
    if (message.type === 'telemetry') return this.onTelemetry(message); // never answered, whatever comes with it
    const rawId = message.id;
    const id = isInteger(rawId) && rawId >= 0 && rawId <= Number.MAX_SAFE_INTEGER ? rawId : undefined;
    try {
      const body = this.dispatch(message, rawId !== undefined && id === undefined);
      this.reply(id, body);
      if (!(body instanceof PackedStepWriter) && body.type === 'subscribed') this.ctx.hub.sendHistory(body.session, this.outbox!);
    } catch (err) {
      if (err instanceof RequestError) {
        this.sendError(id, err.code, err.message);
        if (err.closeCode !== undefined) this.socket.close(err.closeCode, err.code);
        return;
      }
      this.sendError(id, ErrorCode.BAD_REQUEST, `the server could not handle ${message.type}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** `badId`: the request has an id that is not a non-negative integer, a BAD_REQUEST in its place in the precedence. */
  private dispatch(message: Message, badId: boolean): ReplyBody | PackedStepWriter {
    const type = message.type;
    if (this.role === undefined) {
      if (type !== 'hello') throw new RequestError(ErrorCode.HELLO_REQUIRED, `the first request must be hello {protocol: 1, role}, got ${JSON.stringify(type)}`);
      return this.hello(message, badId);
    }
    if (type === 'hello') throw new RequestError(ErrorCode.BAD_REQUEST, 'hello was already accepted on this connection');
    const isAgent = AGENT_TYPES.has(type);
    const isSpectator = SPECTATOR_TYPES.has(type);
    if (!isAgent && !isSpectator) throw new RequestError(ErrorCode.UNKNOWN_TYPE, `unknown message type ${JSON.stringify(type)}`);
    if (isAgent && this.role !== 'agent') throw new RequestError(ErrorCode.WRONG_ROLE, `${type} is an agent request; this connection said hello as a spectator`);
    if (isSpectator && this.role !== 'spectator') throw new RequestError(ErrorCode.WRONG_ROLE, `${type} is a spectator request; this connection said hello as an agent`);
    if (badId) throw badIdError(message.id);
    switch (type) {
      case 'make':
        return this.make(message);
      case 'reset': {
        const session = this.requireSession('reset');
        if (this.draining) {
          this.abandoned = true;
          throw unavailable('reset: no new episode here');
        }
        return { type: 'reset_result', ...session.reset(message.seed, message.options) };
      }
      case 'step': {
        if (!('action' in message) || message.action === undefined) throw new RequestError(ErrorCode.BAD_REQUEST, 'step: missing "action"');
        return this.requireSession('step').step(message.action);
      }
      case 'render': {
        const mode = message.mode;
        if (mode !== 'ansi' && mode !== 'state' && mode !== 'draw') throw new RequestError(ErrorCode.BAD_REQUEST, `render: mode must be "ansi", "state" or "draw", got ${JSON.stringify(mode) ?? 'nothing'}`);
        return { type: 'render_result', frame: this.requireSession('render').render(mode, this.ctx.options.maxReplyBytes) };
      }
      case 'close':
        this.requireSession('close');
        this.endSession();
        return { type: 'closed' };
      case 'sessions':
        return { type: 'sessions_result', sessions: this.ctx.hub.list() };
      case 'subscribe':
        return this.subscribe(message);
      default:
        return this.unsubscribe(message);
    }
  }

  private hello(message: Message, badId: boolean): ReplyBody {
    if (message.protocol !== PROTOCOL_VERSION) {
      throw new RequestError(ErrorCode.PROTOCOL_MISMATCH, `this server speaks protocol ${PROTOCOL_VERSION}, the client asked for ${JSON.stringify(message.protocol) ?? 'none'}`, CloseCode.PROTOCOL_ERROR);
    }
    const expected = this.ctx.options.token;
    if (expected !== undefined && !tokenMatches(expected, message.token)) {
      throw new RequestError(ErrorCode.UNAUTHORIZED, message.token === undefined ? 'this server needs a token: send hello {token}' : 'wrong token', CloseCode.POLICY_VIOLATION);
    }
    if (badId) throw badIdError(message.id);
    if (message.role !== 'agent' && message.role !== 'spectator') {
      throw new RequestError(ErrorCode.BAD_REQUEST, `hello: role must be "agent" or "spectator", got ${JSON.stringify(message.role) ?? 'nothing'}`);
    }
    if (message.name !== undefined && (typeof message.name !== 'string' || message.name.length > 200)) {
      throw new RequestError(ErrorCode.BAD_REQUEST, 'hello: name must be a string of at most 200 characters');
    }
    this.role = message.role;
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = undefined;
    this.name = (message.name as string | undefined) || `${message.role}-${this.ctx.nextClientNumber()}`;
    if (this.role === 'spectator') this.outbox = new SpectatorOutbox(this.socket, {
        highWater: this.ctx.options.spectatorHighWater,
        maxQueue: this.ctx.options.maxSpectatorQueue,
        maxQueueBytes: this.ctx.options.maxSpectatorQueueBytes,
        stallMs: this.ctx.options.spectatorStall,
        readWindow: this.ctx.options.spectatorReadWindow,
      }, this.transport);
    return { type: 'welcome', protocol: PROTOCOL_VERSION, server: `${SERVER_NAME}/${SERVER_VERSION}`, envs: this.ctx.envIds() };
  }

  private make(message: Message): ReplyBody {
    const env = message.env;
    if (env === undefined) throw new RequestError(ErrorCode.BAD_REQUEST, 'make: missing "env" (an environment id such as "GridWorld-v0")');
    if (typeof env !== 'string') throw new RequestError(ErrorCode.BAD_REQUEST, `make: "env" must be a string, got ${typeof env}`);
    if (this.draining) throw unavailable('make: no new session here');
    if (this.session) throw new RequestError(ErrorCode.ALREADY_MADE, `this connection already has session ${this.session.id}: close it first`);
    const limits = this.ctx.options;
    const args = checkMake(env, message, this.ctx.getEnv, limits);
    if (this.ctx.hub.sessions.size >= limits.maxSessions) {
      throw new RequestError(ErrorCode.UNAVAILABLE, `make: this server holds its maximum of ${limits.maxSessions} sessions (--max-sessions); connect again to be given another server, or try later`);
    }
    const id = this.ctx.nextSessionId();
    const session = new AgentSession(
      { id, name: this.name, ...args },
      this.ctx.hub.observerFor(id),
    );
    this.session = session;
    this.ctx.hub.add(session);
    return { type: 'made', session: id, spec: session.spec };
  }

  private subscribe(message: Message): ReplyBody {
    const session = message.session;
    if (typeof session !== 'string') throw new RequestError(ErrorCode.BAD_REQUEST, 'subscribe: "session" must be a session id string');
    if (!this.ctx.hub.subscribe(session, this.outbox!)) throw new RequestError(ErrorCode.UNKNOWN_SESSION, `no live session ${JSON.stringify(session)}; send sessions for the list`);
    this.subscriptions.add(session);
    return { type: 'subscribed', session };
  }

  private unsubscribe(message: Message): ReplyBody {
    const session = message.session;
    if (typeof session !== 'string') throw new RequestError(ErrorCode.BAD_REQUEST, 'unsubscribe: "session" must be a session id string');
    this.ctx.hub.unsubscribe(session, this.outbox!);
    this.subscriptions.delete(session);
    return { type: 'unsubscribed', session };
  }

  private onTelemetry(message: Message): void {
    if (this.role !== 'agent' || !this.session) return;
    const metrics = message.metrics;
    if (!isMap(metrics)) return;
    const clean: Record<string, number> = {};
    let count = 0;
    for (const [key, value] of Object.entries(metrics)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || key.length > 200) return; // malformed: dropped whole
      clean[key] = value;
      if (++count > 256) return;
    }
    const valueMap = message.valueMap === undefined ? undefined : cleanValueMap(message.valueMap);
    if (valueMap === null) return; // a malformed value map drops the telemetry with it
    this.ctx.hub.telemetry(this.session.id, clean, this.session.steps, valueMap);
  }

  private requireSession(type: string): AgentSession {
    if (!this.session) throw new RequestError(ErrorCode.NOT_MADE, `${type}: no session on this connection: send make first`);
    return this.session;
  }

  private endSession(): void {
    if (!this.session) return;
    const session = this.session;
    this.session = undefined;
    session.close();
    this.ctx.hub.remove(session.id);
  }

  private reply(id: number | undefined, body: ReplyBody | PackedStepWriter): void {
    if (body instanceof PackedStepWriter) {
      this.send(body.finish(id));
      // The frame is a view of the writer's buffer: if the socket could not take it all at once, it keeps the bytes
      // and the next step must not overwrite them.
      if (this.socket.bufferedAmount > 0) body.detach();
      return;
    }
    // Set in place: no copy of the reply per step.
    if (id !== undefined) (body as { id?: number }).id = id;
    this.send(encode(body));
  }

  private sendError(id: number | undefined, code: string, message: string): void {
    const body: Record<string, unknown> = { type: 'error', code, message };
    if (id !== undefined) body.id = id;
    this.send(encode(body));
  }

  private send(bytes: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.lastReplyBytes += bytes.byteLength;
    this.socket.send(bytes);
  }

  private dispose(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.waiting.length = 0;
    this.endSession();
    if (this.outbox) {
      for (const session of this.subscriptions) this.ctx.hub.unsubscribe(session, this.outbox);
      this.outbox.dispose();
    }
    this.subscriptions.clear();
  }
}

/** After a reply above this many bytes, requests already received wait for the event loop's next turn. */
const LARGE_REPLY = 64 * 1024;

function unavailable(what: string): RequestError {
  return new RequestError(ErrorCode.UNAVAILABLE, `${what}: this server is draining (shutting down); connect again to be given another server`);
}

function badIdError(id: unknown): RequestError {
  return new RequestError(ErrorCode.BAD_REQUEST, `id: expected a non-negative integer of at most 2^53-1, got ${show(id)}; the reply carries no id`);
}

/** The value map with only its known keys, or null when malformed (docs/protocol.md "Value maps"). */
function cleanValueMap(value: unknown): ValueMap | null {
  if (!isValueMap(value)) return null;
  return { size: value.size, goal: [value.goal[0], value.goal[1]], values: value.values, actions: value.actions };
}
