/**
 * How far a spectator is behind, in bytes it has been sent and has not yet read. On loopback and fast links the
 * kernel's socket buffers take megabytes before `bufferedAmount` rises, so a peer that does not read looks for a
 * long time like one that keeps up. A WebSocket client answers a ping as it reads it, after everything sent before
 * it: so the server pings with the count of bytes sent so far, and each pong says the peer has read that many.
 */
import type { WebSocket } from 'ws';

export class ReadWindow {
  private sent = 0;
  private read = 0;
  /** `sent` when the last ping went. */
  private pinged = 0;

  /**
   * @param window bytes a peer may have unread before it counts as behind (pinged every quarter of it)
   */
  constructor(
    private readonly socket: WebSocket,
    private readonly window: number,
  ) {
    socket.on('pong', this.onPong);
  }

  /** True while the bytes sent and not yet read are fewer than the window. */
  get open(): boolean {
    return this.sent - this.read < this.window;
  }

  /** Counts bytes just written to the socket; pings once a quarter window has gone since the last ping. */
  wrote(bytes: number): void {
    this.sent += bytes;
    if (this.sent - this.pinged < this.window / 4) return;
    this.pinged = this.sent;
    if (this.socket.readyState === this.socket.OPEN) this.socket.ping(String(this.sent));
  }

  private readonly onPong = (data: Buffer): void => {
    // A pong that is not one of ours (the heartbeat's is empty, a client may send its own) says nothing of bytes;
    // a claim above what was sent is held to what was sent.
    const at = Number(data.toString('latin1'));
    if (data.length === 0 || !Number.isSafeInteger(at) || at <= this.read) return;
    this.read = Math.min(at, this.sent);
  };
}
