/**
 * Spectators: the live sessions they can list, their subscriptions, and delivery of events. A slow spectator
 * never slows an agent: each event is encoded once for all its spectators, and a step's events go to a spectator
 * that keeps up as one socket write of ready-made WebSocket messages (spectator-events.ts); past a byte high-water mark a
 * spectator's `frame` and `telemetry` events are coalesced or dropped (never `episode` or `session_closed`) in a
 * queue bounded in events and bytes, as they are past its read window (bytes sent that its pongs do not yet say it
 * has read, read-window.ts), and one that stays past either for `spectatorStall` is closed.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode, encode } from '@rlfs/protocol';
import type { SessionSummary, TelemetryEvent, ValueMap } from '@rlfs/protocol';
import type { AgentSession, SessionObserver } from './agent-session';
import type { HistoryLimits } from './session-history';
import { SessionHistory } from './session-history';
import { ReadWindow } from './read-window';
import { SpectatorEvents } from './spectator-events';
import type { EventKind as Kind } from './spectator-events';

interface Queued {
  kind: Kind;
  key: string;
  bytes: Uint8Array;
}

/** Limits of one spectator's outbound side (see ServerOptions). */
export interface OutboxLimits {
  highWater: number;
  maxQueue: number;
  maxQueueBytes: number;
  stallMs: number;
  /** Bytes sent and not yet read (as pongs tell) past which a spectator is behind (see ReadWindow). */
  readWindow: number;
}

/** One spectator connection's outbound side. */
export class SpectatorOutbox {
  private queue: Queued[] = [];
  private head = 0;
  private queuedBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Polls the socket while it is not writable (see `writable`); undefined while it keeps up. */
  private stallTimer: ReturnType<typeof setInterval> | undefined;
  private congestedSince = 0;
  private corked = false;
  dropped = 0;

  /**
   * @param transport the TCP socket under `socket`: corked while a step's events are sent, so that the 64 frames of a
   * 64-env step leave in one write instead of 64
   */
  constructor(
    readonly socket: WebSocket,
    private readonly limits: OutboxLimits,
    private readonly transport?: Duplex,
  ) {
    // Pre-framed messages may go straight to the TCP socket only while ws itself writes every message at once, in
    // order: no extension (a compressed message is queued while it deflates), and a transport to write to.
    this.raw = transport !== undefined && socket.extensions === '';
    this.window = new ReadWindow(socket, limits.readWindow);
  }

  private readonly raw: boolean;
  private readonly window: ReadWindow;

  /** Below its high-water mark, and within its read window: what is sent now goes out now and will be read soon. */
  private get writable(): boolean {
    return this.socket.bufferedAmount < this.limits.highWater && this.window.open;
  }

  get backlog(): number {
    return this.queue.length - this.head;
  }

  /** True when an event sent now goes straight out: sessions build frames only while some spectator keeps up. */
  get keepingUp(): boolean {
    return this.backlog === 0 && this.writable && this.socket.readyState === this.socket.OPEN;
  }

  deliver(kind: Kind, key: string, bytes: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.backlog === 0 && this.writable) {
      if (!this.corked && this.transport) {
        this.corked = true;
        this.transport.cork();
        process.nextTick(this.uncork);
      }
      this.socket.send(bytes);
      this.window.wrote(bytes.byteLength);
      if (!this.writable) this.watchStall();
      return;
    }
    this.watchStall();
    const droppable = kind === 'frame' || kind === 'telemetry';
    const last = this.queue[this.queue.length - 1];
    if (droppable && this.backlog > 0 && last && last.kind === kind && last.key === key) {
      this.queuedBytes += bytes.byteLength - last.bytes.byteLength;
      this.queue[this.queue.length - 1] = { kind, key, bytes }; // coalesce: the newer frame replaces the older
      this.dropped++;
    } else {
      this.queue.push({ kind, key, bytes });
      this.queuedBytes += bytes.byteLength;
    }
    if (this.backlog > this.limits.maxQueue || this.queuedBytes > this.limits.maxQueueBytes) this.compact();
    this.schedule();
  }

  /**
   * A batch of events, each already framed as a WebSocket message: while the spectator keeps up, all of them in one
   * write to its socket (between two whole messages of ws's own, so ws's framing and `bufferedAmount` stay right);
   * otherwise one by one into its queue, where frames coalesce and episodes wait.
   */
  deliverBatch(events: SpectatorEvents, messages: Buffer): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.raw && this.backlog === 0 && this.writable) {
      this.transport!.write(messages);
      this.window.wrote(messages.length);
      if (!this.writable) this.watchStall();
      return;
    }
    // copies: a queued event must not hold the batch's whole buffer
    for (let i = 0; i < events.count; i++) this.deliver(events.kind(i), `${events.index(i)}`, events.payload(i).slice());
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.transport?.uncork();
  };

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.timer = undefined;
    this.stallTimer = undefined;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
  }

  /** Frames and telemetry go; past the limits with only episode events left, the spectator is closed. */
  private compact(): void {
    const kept = this.queue.slice(this.head).filter((q) => q.kind === 'episode' || q.kind === 'session_closed' || q.kind === 'history');
    this.dropped += this.backlog - kept.length;
    this.queue = kept;
    this.head = 0;
    this.queuedBytes = kept.reduce((sum, q) => sum + q.bytes.byteLength, 0);
    if (this.backlog > this.limits.maxQueue || this.queuedBytes > this.limits.maxQueueBytes) {
      this.dispose();
      this.socket.close(CloseCode.TRY_AGAIN_LATER, 'spectator too slow: event queue full');
    }
  }

  /**
   * A socket above its high-water mark, or a read window that stays full, for `stallMs` belongs to a spectator that
   * does not read (or cannot keep up at all): it is closed, so that it holds no memory and no share of the agents' time.
   */
  private watchStall(): void {
    if (this.stallTimer) return;
    this.congestedSince = Date.now();
    const every = Math.max(10, Math.min(250, Math.floor(this.limits.stallMs / 10)));
    this.stallTimer = setInterval(() => {
      if (this.socket.readyState !== this.socket.OPEN) return this.dispose();
      if (this.writable) {
        clearInterval(this.stallTimer);
        this.stallTimer = undefined;
        return;
      }
      if (Date.now() - this.congestedSince < this.limits.stallMs) return;
      this.dispose();
      this.socket.close(CloseCode.TRY_AGAIN_LATER, `spectator too slow: not reading for ${this.limits.stallMs} ms (--spectator-stall)`);
      // A peer that does not read will not answer the close either: its connection ends within a second.
      const socket = this.socket;
      setTimeout(() => socket.terminate(), 1000).unref?.();
    }, every);
    this.stallTimer.unref?.();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, 5);
  }

  private flush(): void {
    if (this.socket.readyState !== this.socket.OPEN) return this.dispose();
    while (this.head < this.queue.length && this.writable) {
      const item = this.queue[this.head++]!;
      this.queuedBytes -= item.bytes.byteLength;
      this.socket.send(item.bytes);
      this.window.wrote(item.bytes.byteLength);
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
      this.queuedBytes = 0;
    } else {
      if (this.head > 1024) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.schedule();
    }
  }
}

/** The live sessions and who watches them. */
export class SpectatorHub {
  readonly sessions = new Map<string, AgentSession>();
  private readonly watchers = new Map<string, Set<SpectatorOutbox>>();
  private readonly histories = new Map<string, SessionHistory>();

  constructor(private readonly historyLimits: Partial<HistoryLimits> = {}) {}
  /** Events of a session not yet sent to its spectators (this turn's steps). */
  private readonly pending = new Map<string, SpectatorEvents>();

  /** The observer an agent session reports to. */
  observerFor(sessionId: string): SessionObserver {
    const watchers = this.watchers;
    const flush = (): void => this.flush(sessionId);
    const history = new SessionHistory(this.historyLimits);
    this.histories.set(sessionId, history);
    // A step's events are encoded into one batch and go out together once the step's turn ends (after the agent's
    // reply); anything else sent to the session's spectators flushes the batch first, so the order holds.
    const pending = (): SpectatorEvents => {
      let events = this.pending.get(sessionId);
      if (events === undefined) this.pending.set(sessionId, (events = new SpectatorEvents(sessionId)));
      if (events.count === 0) process.nextTick(flush);
      return events;
    };
    return {
      history,
      get watching() {
        const set = watchers.get(sessionId);
        return set !== undefined && set.size > 0;
      },
      // Frames are built (state rendered, encoded once for all) only while some spectator keeps up; the others would
      // drop them anyway, and building them would cost the agent. Episode events are built for every subscriber.
      get wantsFrames() {
        const set = watchers.get(sessionId);
        if (set === undefined) return false;
        for (const outbox of set) if (outbox.keepingUp) return true;
        return false;
      },
      frame(_session, index, step, action, reward, terminated, truncated, state, draw) {
        pending().frame(index, step, action, reward, terminated, truncated, state, draw);
      },
      episode(session, index, episode, ret, length, terminated, shortestPath) {
        // `step` (the session's env steps at the episode's end) is this server's addition, as on telemetry
        pending().episode(index, episode, ret, length, terminated, session.steps, shortestPath);
      },
    };
  }

  add(session: AgentSession): void {
    this.sessions.set(session.id, session);
  }

  /** The session ended: spectators get `session_closed`, subscriptions go. */
  remove(sessionId: string): void {
    this.histories.delete(sessionId);
    if (!this.sessions.delete(sessionId)) return;
    this.flush(sessionId);
    this.pending.delete(sessionId);
    const set = this.watchers.get(sessionId);
    this.watchers.delete(sessionId);
    if (!set) return;
    const bytes = encode({ type: 'session_closed', session: sessionId });
    for (const outbox of set) outbox.deliver('session_closed', sessionId, bytes);
  }

  list(): SessionSummary[] {
    const out: SessionSummary[] = [];
    for (const s of this.sessions.values()) {
      const item: SessionSummary = { session: s.id, env: s.envId, name: s.name, episodes: s.episodes, steps: s.steps };
      if (s.numEnvs !== undefined) item.numEnvs = s.numEnvs;
      out.push(item);
    }
    return out;
  }

  subscribe(sessionId: string, outbox: SpectatorOutbox): boolean {
    if (!this.sessions.has(sessionId)) return false;
    this.flush(sessionId); // a new spectator gets only what happens after its subscription
    let set = this.watchers.get(sessionId);
    if (!set) this.watchers.set(sessionId, (set = new Set()));
    set.add(outbox);
    return true;
  }

  unsubscribe(sessionId: string, outbox: SpectatorOutbox): void {
    const set = this.watchers.get(sessionId);
    if (!set) return;
    this.flush(sessionId);
    set.delete(outbox);
    if (set.size === 0) {
      this.watchers.delete(sessionId);
      this.pending.delete(sessionId); // its buffer goes with the last spectator
    }
  }

  /** Sends a new subscriber the session's history (after its `subscribed` reply, before any live event). */
  sendHistory(sessionId: string, outbox: SpectatorOutbox): void {
    const session = this.sessions.get(sessionId);
    const history = this.histories.get(sessionId);
    if (!session || !history) return;
    outbox.deliver('history', sessionId, encode(history.event(sessionId, session.steps)));
  }

  /** Telemetry from an agent at env step `step`: kept in the history, forwarded to the session's spectators. */
  telemetry(sessionId: string, metrics: Record<string, number>, step: number, valueMap?: ValueMap): void {
    this.histories.get(sessionId)?.telemetry(step, metrics, valueMap);
    const set = this.watchers.get(sessionId);
    if (!set || set.size === 0) return;
    this.flush(sessionId);
    const event: TelemetryEvent = { type: 'telemetry', session: sessionId, step, metrics };
    if (valueMap) event.valueMap = valueMap;
    const bytes = encode(event);
    for (const outbox of set) outbox.deliver('telemetry', 'telemetry', bytes);
  }

  get spectatorCount(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  /** Sends the session's pending events to its spectators: one buffer for all, written once per spectator. */
  private flush(sessionId: string): void {
    const events = this.pending.get(sessionId);
    if (events === undefined || events.count === 0) return;
    const set = this.watchers.get(sessionId);
    if (set) {
      const messages = events.messages();
      for (const outbox of set) outbox.deliverBatch(events, messages);
    }
    events.clear();
  }
}
