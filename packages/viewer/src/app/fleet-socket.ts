/**
 * Watching a fleet: one spectator "socket" over several servers' sockets, so that the page's protocol client sees one
 * server whose session list is all of theirs. `sessions` goes to every server and the lists are merged; a session id
 * is prefixed with its server's host (`127.0.0.1:8081/s3`), so that `subscribe` and `unsubscribe` go to the right
 * one and its events come back under the same id. A server that goes away leaves the list (the sessions it held say
 * `session_closed`) and is tried again every few seconds; the fleet socket closes only when every server is gone.
 * Spectators only: an agent talks to one server (through the load balancer).
 */
import { ErrorCode, decode, encode } from '@rlfs/protocol';
import type { Message, SessionSummary, WebSocketFactory, WebSocketLike } from '@rlfs/protocol';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;
/** Milliseconds before a server that went away is tried again. */
const REDIAL_MS = 3000;

/** The server URLs of `?servers=ws://a/ws,ws://b/ws`, or undefined when the page was not given a fleet. */
export function fleetUrls(search: string): string[] | undefined {
  const raw = new URLSearchParams(search).get('servers');
  if (!raw) return undefined;
  const urls = [...new Set(raw.split(',').map((u) => u.trim()).filter(Boolean))];
  for (const url of urls) {
    if (!/^wss?:\/\/[^/]+/.test(url)) throw new Error(`?servers=: expected WebSocket URLs such as ws://host:8080/ws, got ${JSON.stringify(url)}`);
  }
  return urls.length > 0 ? urls : undefined;
}

/**
 * What the page connects with when it was given `?servers=`: a name for messages and the factory of a
 * {@link FleetSocket} over the browser's WebSocket; undefined without `?servers=`.
 */
export function fleetFromPage(search: string): { label: string; createSocket: WebSocketFactory } | undefined {
  const urls = fleetUrls(search);
  if (!urls) return undefined;
  const Ctor = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket!;
  return { label: `the fleet ${urls.join(', ')}`, createSocket: () => new FleetSocket(urls, (url) => new Ctor(url)) };
}

interface Member {
  url: string;
  /** The prefix of its session ids: its host and port. */
  label: string;
  socket: WebSocketLike | undefined;
  /** True once it has answered hello. */
  welcomed: boolean;
  /** Sessions of this server that the page subscribed to (raw ids). */
  watched: Set<string>;
}

interface Gathering {
  waiting: Set<Member>;
  sessions: SessionSummary[];
  first?: Message;
}

/** A WebSocketLike over several servers (see the file comment). Give it to `Client.connect` as `createSocket`. */
export class FleetSocket implements WebSocketLike {
  binaryType = 'arraybuffer';
  readyState = CONNECTING;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  private readonly members: Member[];
  /** The page's hello, said again to a server that comes back. */
  private hello: Record<string, unknown> | undefined;
  /** Replies to a request sent to several servers, by request id. */
  private readonly gathering = new Map<number, Gathering>();
  private timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(urls: readonly string[], private readonly create: WebSocketFactory) {
    if (urls.length === 0) throw new Error('a fleet needs at least one server URL');
    this.members = urls.map((url) => ({ url, label: labelOf(url), socket: undefined, welcomed: false, watched: new Set() }));
    for (const member of this.members) this.dial(member);
  }

  send(data: Uint8Array): void {
    const message = decode(data) as Message & Record<string, unknown>;
    const id = typeof message.id === 'number' ? message.id : undefined;
    if (message.type === 'hello') {
      this.hello = { ...message };
      delete this.hello.id;
      return this.toAll(message, id);
    }
    if (message.type === 'sessions') return this.toAll(message, id);
    if ((message.type === 'subscribe' || message.type === 'unsubscribe') && typeof message.session === 'string') {
      const session = message.session;
      const slash = session.lastIndexOf('/');
      const member = this.members.find((m) => m.label === session.slice(0, Math.max(0, slash)));
      if (!member || !this.isOpen(member)) {
        return this.deliver({ type: 'error', ...(id === undefined ? {} : { id }), code: ErrorCode.UNKNOWN_SESSION, message: `no live session ${JSON.stringify(session)} in this fleet` });
      }
      const raw = session.slice(slash + 1);
      if (message.type === 'subscribe') member.watched.add(raw);
      else member.watched.delete(raw);
      member.socket!.send(encode({ ...message, session: raw }));
      return;
    }
    // anything else (telemetry, a stray agent request) goes to the first server that is there
    const first = this.members.find((m) => this.isOpen(m));
    first?.socket!.send(data);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === CLOSED) return;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const member of this.members) member.socket?.close(code, reason);
    this.finish(code, reason);
  }

  private dial(member: Member): void {
    const socket = this.create(member.url);
    socket.binaryType = this.binaryType;
    member.socket = socket;
    member.welcomed = false;
    socket.onopen = () => {
      if (this.readyState === CONNECTING) {
        this.readyState = OPEN;
        this.onopen?.({});
      } else if (this.hello) {
        socket.send(encode(this.hello)); // back again: its welcome (without id) is not passed on
      }
    };
    socket.onerror = () => undefined;
    socket.onmessage = (event) => this.fromMember(member, event.data);
    socket.onclose = (event) => this.lost(member, event);
  }

  private isOpen(member: Member): boolean {
    return member.socket !== undefined && member.socket.readyState === OPEN;
  }

  private toAll(message: Record<string, unknown>, id: number | undefined): void {
    const open = this.members.filter((m) => this.isOpen(m));
    if (id !== undefined) this.gathering.set(id, { waiting: new Set(open), sessions: [] });
    const bytes = encode(message);
    for (const member of open) member.socket!.send(bytes);
    if (id !== undefined && open.length === 0) this.settle(id);
  }

  private fromMember(member: Member, data: unknown): void {
    const message = decode(toBytes(data)) as Message & Record<string, unknown>;
    const id = typeof message.id === 'number' ? message.id : undefined;
    if (message.type === 'welcome' && id === undefined) {
      member.welcomed = true;
      return;
    }
    if (id !== undefined && this.gathering.has(id)) return this.gather(member, id, message);
    if (typeof message.session === 'string') message.session = `${member.label}/${message.session}`;
    if (message.type === 'session_closed') member.watched.delete(String(message.session).slice(member.label.length + 1));
    this.deliver(message);
  }

  /** One server's part of a request sent to all: sessions are merged, a welcome or an error kept for the answer. */
  private gather(member: Member, id: number, message: Message & Record<string, unknown>): void {
    const g = this.gathering.get(id)!;
    if (!g.waiting.delete(member)) return;
    if (message.type === 'welcome') member.welcomed = true;
    if (message.type === 'sessions_result') {
      for (const s of message.sessions as SessionSummary[]) g.sessions.push({ ...s, session: `${member.label}/${s.session}` });
    }
    // a welcome beats an error (one server refusing does not hide the others); the first of a kind is kept
    if (!g.first || (g.first.type === 'error' && message.type !== 'error')) g.first = message;
    if (g.waiting.size === 0) this.settle(id);
  }

  private settle(id: number): void {
    const g = this.gathering.get(id)!;
    this.gathering.delete(id);
    if (g.first?.type === 'sessions_result' || (g.first === undefined && g.sessions.length === 0)) {
      return this.deliver({ type: 'sessions_result', id, sessions: g.sessions });
    }
    this.deliver(g.first ?? { type: 'error', id, code: ErrorCode.BAD_REQUEST, message: 'no server of the fleet answered' });
  }

  private lost(member: Member, event: { code: number; reason: string }): void {
    if (member.socket === undefined || this.readyState === CLOSED) return;
    member.socket = undefined;
    for (const raw of member.watched) this.deliver({ type: 'session_closed', session: `${member.label}/${raw}` });
    member.watched.clear();
    for (const id of [...this.gathering.keys()]) {
      const g = this.gathering.get(id)!;
      if (g.waiting.delete(member) && g.waiting.size === 0) this.settle(id);
    }
    if (this.members.every((m) => m.socket === undefined)) {
      for (const timer of this.timers) clearTimeout(timer);
      return this.finish(event.code, event.reason);
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.readyState === OPEN) this.dial(member);
    }, REDIAL_MS);
    this.timers.add(timer);
  }

  private deliver(message: Record<string, unknown>): void {
    this.onmessage?.({ data: encode(message) });
  }

  private finish(code: number, reason: string): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.onclose?.({ code, reason });
  }
}

/** `127.0.0.1:8081` of `ws://127.0.0.1:8081/ws`. */
function labelOf(url: string): string {
  return /^wss?:\/\/([^/]+)/.exec(url)?.[1] ?? url;
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new Error('a frame that is not binary from a server');
}
