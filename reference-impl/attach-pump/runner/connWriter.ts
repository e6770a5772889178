/**
 * The attach loop's write side: gorilla/websocket allows one writer at a time, so every write
 * (data, exit, ping, close) is serialized behind `writeMu`, and each has a 20 s deadline. A write
 * blocks while the peer does not read (its TCP window is full); the Net port's `send` never
 * blocks, so that condition comes from `writesBlockedUntil` (a slow-subscriber fault). After a
 * failed write the connection is broken: every later write fails at once, as in gorilla.
 */
import type { Clock, WsData, WsSocket } from '../../../sim/ports/index.ts';
import { RUNNER } from '../constants.ts';

export class ConnWriter {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  broken = false;

  constructor(
    private readonly clock: Clock,
    private readonly socket: WsSocket,
    /** Absolute virtual ms until which writes to this socket block (<= now: writable). */
    private readonly blockedUntil: (socketId: string) => number,
  ) {}

  /** True when a write is queued or blocked (a ping would wait behind it). */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Writes one frame (or a close); resolves false on a write error or a missed deadline. */
  write(frame: WsData | { close: number; reason: string }): Promise<boolean> {
    if (this.pending === 0 && this.blockedUntil(this.socket.id) <= this.clock.now()) return Promise.resolve(this.send(frame));
    this.pending++;
    const p = this.tail.then(() => this.blockingWrite(frame));
    this.tail = p.then(() => {
      this.pending--;
    });
    return p;
  }

  private async blockingWrite(frame: WsData | { close: number; reason: string }): Promise<boolean> {
    if (this.broken) return false;
    const deadline = this.clock.now() + RUNNER.writeDeadlineMs;
    for (;;) {
      const until = this.blockedUntil(this.socket.id);
      const now = this.clock.now();
      if (until <= now) return this.send(frame);
      if (now >= deadline) {
        this.broken = true;
        return false;
      }
      await this.clock.sleep(Math.min(until, deadline) - now, 'write blocked');
    }
  }

  private send(frame: WsData | { close: number; reason: string }): boolean {
    if (this.broken) return false;
    if (typeof frame === 'object' && !(frame instanceof Uint8Array)) {
      this.socket.close(frame.close, frame.reason);
      return true;
    }
    if (!this.socket.send(frame)) this.broken = true;
    return !this.broken;
  }
}
