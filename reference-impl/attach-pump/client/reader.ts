/**
 * The session's read side: `tokio::time::timeout(d, read.next())` in a loop. Frames queue as they
 * arrive; `next(timeoutMs)` gives the next one or TIMED_OUT when none came within `timeoutMs`
 * of the last one (never, for an infinite timeout). One lazily re-armed timer serves the whole
 * socket instead of one per read.
 */
import { TIMED_OUT, type Clock, type InboxItem, type TimedOut, type TimerHandle, type WsSocket } from '../../../sim/ports/index.ts';

export class FrameReader {
  private readonly items: InboxItem[] = [];
  private closeItem: InboxItem | undefined;
  private waiter: ((r: InboxItem | TimedOut) => void) | undefined;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private lastAt: number;
  private timeoutMs = 0;

  constructor(
    private readonly clock: Clock,
    socket: WsSocket,
  ) {
    this.lastAt = clock.now();
    socket.on('message', (data, isBinary) => this.push({ type: 'message', data, isBinary }));
    socket.on('close', (code, reason) => {
      if (this.closeItem) return;
      this.closeItem = { type: 'close', code, reason };
      this.push(this.closeItem);
    });
  }

  next(timeoutMs: number): Promise<InboxItem | TimedOut> {
    const item = this.items.shift() ?? this.closeItem;
    if (item) return Promise.resolve(item);
    this.timeoutMs = timeoutMs;
    if (Number.isFinite(timeoutMs)) this.arm(this.lastAt + timeoutMs);
    else this.stop(); // no timeout: wait for a frame or the close
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Stops the timer (the session is over). */
  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private push(item: InboxItem): void {
    this.lastAt = this.clock.now();
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(item);
    } else if (item !== this.closeItem) this.items.push(item);
  }

  private arm(at: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return; // fires early and re-arms
    this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, at - this.clock.now()), 'ws read');
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const w = this.waiter;
    if (!w) return;
    const due = this.lastAt + this.timeoutMs;
    if (this.clock.now() < due) {
      this.arm(due);
      return;
    }
    this.waiter = undefined;
    w(TIMED_OUT);
  }
}
