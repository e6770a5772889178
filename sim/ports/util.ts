/**
 * Small helpers built only on the port interfaces, shared by every protocol implementation.
 */
import type { Clock, TimerHandle } from './clock.ts';
import type { WsData, WsSocket } from './net.ts';

export const TIMED_OUT: unique symbol = Symbol('timed out');
export type TimedOut = typeof TIMED_OUT;

/**
 * Races a promise against virtual time. The timer is cleared when the promise wins, so a
 * finished race never keeps the world alive.
 */
export function withTimeout<T>(clock: Clock, promise: Promise<T>, ms: number, label = 'timeout'): Promise<T | TimedOut> {
  return new Promise<T | TimedOut>((resolve, reject) => {
    let done = false;
    const timer: TimerHandle = clock.setTimeout(
      () => {
        if (done) return;
        done = true;
        resolve(TIMED_OUT);
      },
      ms,
      label,
    );
    promise.then(
      (v) => {
        if (done) return;
        done = true;
        clock.clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        if (done) return;
        done = true;
        clock.clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export type InboxItem = { type: 'message'; data: WsData; isBinary: boolean } | { type: 'close'; code: number; reason: string };

/**
 * A socket's frames as a queue, so a consumer can `await inbox.next()` in a loop instead of
 * juggling listeners. It attaches at construction: build it right after connecting, before
 * the next turn of the world, and nothing is missed. After `close`, `next()` keeps returning
 * the close.
 */
export class Inbox {
  private readonly items: InboxItem[] = [];
  private waiter: ((item: InboxItem) => void) | undefined;
  private closeItem: InboxItem | undefined;

  constructor(socket: WsSocket) {
    socket.on('message', (data, isBinary) => this.push({ type: 'message', data, isBinary }));
    socket.on('close', (code, reason) => {
      if (this.closeItem) return;
      this.closeItem = { type: 'close', code, reason };
      this.push(this.closeItem);
    });
  }

  get closed(): boolean {
    return this.closeItem !== undefined;
  }

  /** Frames received and not yet taken. */
  get pending(): number {
    return this.items.length;
  }

  next(): Promise<InboxItem> {
    const item = this.items.shift();
    if (item) return Promise.resolve(item);
    if (this.closeItem) return Promise.resolve(this.closeItem);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Like `next`, but gives up after `ms` of virtual time. */
  nextWithin(clock: Clock, ms: number, label = 'inbox'): Promise<InboxItem | TimedOut> {
    const item = this.items.shift();
    if (item) return Promise.resolve(item);
    if (this.closeItem) return Promise.resolve(this.closeItem);
    const p = new Promise<InboxItem>((resolve) => {
      this.waiter = resolve;
    });
    return withTimeout(clock, p, ms, label).then((r) => {
      if (r === TIMED_OUT) this.waiter = undefined;
      return r;
    });
  }

  private push(item: InboxItem): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(item);
    } else {
      this.items.push(item);
    }
  }
}
