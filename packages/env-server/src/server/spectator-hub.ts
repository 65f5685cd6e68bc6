/**
 * Spectators: the live sessions they can list, their subscriptions, and delivery of events. A slow spectator
 * never slows an agent: past a byte high-water mark its `frame` and `telemetry` events are coalesced or dropped
 * (never `episode` or `session_closed`), and one that stops reading altogether is closed once its queue is full.
 */
import type { WebSocket } from 'ws';
import { CloseCode, encode } from '@rlfs/protocol';
import type { SessionSummary } from '@rlfs/protocol';
import type { AgentSession, SessionObserver } from './agent-session';

type Kind = 'frame' | 'telemetry' | 'episode' | 'session_closed';

interface Queued {
  kind: Kind;
  key: string;
  bytes: Uint8Array;
}

/** One spectator connection's outbound side. */
export class SpectatorOutbox {
  private queue: Queued[] = [];
  private head = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  dropped = 0;

  constructor(
    readonly socket: WebSocket,
    private readonly highWater: number,
    private readonly maxQueue: number,
  ) {}

  get backlog(): number {
    return this.queue.length - this.head;
  }

  deliver(kind: Kind, key: string, bytes: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.backlog === 0 && this.socket.bufferedAmount < this.highWater) {
      this.socket.send(bytes);
      return;
    }
    const droppable = kind === 'frame' || kind === 'telemetry';
    const last = this.queue[this.queue.length - 1];
    if (droppable && this.backlog > 0 && last && last.kind === kind && last.key === key) {
      this.queue[this.queue.length - 1] = { kind, key, bytes }; // coalesce: the newer frame replaces the older
      this.dropped++;
    } else {
      this.queue.push({ kind, key, bytes });
    }
    if (this.backlog > this.maxQueue) this.compact();
    this.schedule();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.queue = [];
    this.head = 0;
  }

  private compact(): void {
    const kept = this.queue.slice(this.head).filter((q) => q.kind === 'episode' || q.kind === 'session_closed');
    this.dropped += this.backlog - kept.length;
    this.queue = kept;
    this.head = 0;
    if (this.backlog > this.maxQueue) {
      this.dispose();
      this.socket.close(CloseCode.TRY_AGAIN_LATER, 'spectator too slow: event queue full');
    }
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
    while (this.head < this.queue.length && this.socket.bufferedAmount < this.highWater) {
      this.socket.send(this.queue[this.head++]!.bytes);
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
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

  /** The observer an agent session reports to. */
  observerFor(sessionId: string): SessionObserver {
    const watchers = this.watchers;
    const broadcast = (kind: Kind, key: string, bytes: Uint8Array): void => this.broadcast(sessionId, kind, key, bytes);
    return {
      get watching() {
        const set = watchers.get(sessionId);
        return set !== undefined && set.size > 0;
      },
      frame(session, index, step, action, reward, terminated, truncated, state, draw) {
        const event: Record<string, unknown> = { type: 'frame', session: session.id, index, step, action, reward, terminated, truncated, state };
        if (draw !== undefined) event.draw = draw;
        const bytes = encode(event);
        broadcast('frame', `${index}`, bytes);
      },
      episode(session, index, episode, ret, length, terminated, shortestPath) {
        const event: Record<string, unknown> = { type: 'episode', session: session.id, index, episode, return: ret, length, terminated };
        if (shortestPath !== undefined) event.shortestPath = shortestPath;
        broadcast('episode', `${index}`, encode(event));
      },
    };
  }

  add(session: AgentSession): void {
    this.sessions.set(session.id, session);
  }

  /** The session ended: spectators get `session_closed`, subscriptions go. */
  remove(sessionId: string): void {
    if (!this.sessions.delete(sessionId)) return;
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
    let set = this.watchers.get(sessionId);
    if (!set) this.watchers.set(sessionId, (set = new Set()));
    set.add(outbox);
    return true;
  }

  unsubscribe(sessionId: string, outbox: SpectatorOutbox): void {
    const set = this.watchers.get(sessionId);
    if (!set) return;
    set.delete(outbox);
    if (set.size === 0) this.watchers.delete(sessionId);
  }

  /** Telemetry from an agent: forwarded as is to the session's spectators. */
  telemetry(sessionId: string, metrics: Record<string, number>): void {
    const set = this.watchers.get(sessionId);
    if (!set || set.size === 0) return;
    const bytes = encode({ type: 'telemetry', session: sessionId, metrics });
    for (const outbox of set) outbox.deliver('telemetry', 'telemetry', bytes);
  }

  get spectatorCount(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  private broadcast(sessionId: string, kind: Kind, key: string, bytes: Uint8Array): void {
    const set = this.watchers.get(sessionId);
    if (!set) return;
    for (const outbox of set) outbox.deliver(kind, key, bytes);
  }
}
