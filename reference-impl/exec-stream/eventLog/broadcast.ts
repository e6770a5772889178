/**
 * A bounded broadcast channel with tokio's `broadcast` semantics (spec §2, "Lag"): every
 * receiver sees every value sent after it subscribed, unless it falls more than `capacity`
 * values behind; then its next `recv` reports `lagged` once with the number skipped, and the one
 * after returns the oldest value still held. Sending never waits for a slow receiver.
 *
 * tokio keeps one shared ring; a bounded queue per receiver that drops its oldest entry is the
 * same observable behaviour and simpler to read.
 */
export type RecvResult<T> = { kind: 'value'; value: T } | { kind: 'lagged'; skipped: number } | { kind: 'closed' };

export class Broadcast<T> {
  private readonly receivers = new Set<LiveReceiver<T>>();
  private closed = false;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`execsim.broadcast: capacity must be an integer >= 1, got ${capacity}`);
  }

  /** Delivers to every receiver; returns how many there were (none is fine). */
  send(value: T): number {
    for (const r of this.receivers) r.push(value);
    return this.receivers.size;
  }

  subscribe(): LiveReceiver<T> {
    const r = new LiveReceiver<T>(this.capacity, () => this.receivers.delete(r));
    if (this.closed) r.close();
    else this.receivers.add(r);
    return r;
  }

  /** All senders dropped: receivers drain what they hold, then see `closed`. */
  close(): void {
    this.closed = true;
    for (const r of this.receivers) r.close();
    this.receivers.clear();
  }
}

export class LiveReceiver<T> {
  private queue: T[] = [];
  private head = 0;
  private skipped = 0;
  private ended = false;
  private waiter: ((r: RecvResult<T>) => void) | undefined;

  constructor(
    private readonly capacity: number,
    private readonly detach: () => void,
  ) {}

  /** Values held and not yet taken. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  push(value: T): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ kind: 'value', value });
      return;
    }
    this.queue.push(value);
    if (this.pending > this.capacity) {
      this.head++;
      this.skipped++;
    }
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  close(): void {
    this.ended = true;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ kind: 'closed' });
    }
  }

  /** The next result without waiting, or undefined if nothing is ready. */
  tryRecv(): RecvResult<T> | undefined {
    if (this.skipped > 0) {
      const skipped = this.skipped;
      this.skipped = 0;
      return { kind: 'lagged', skipped };
    }
    if (this.pending > 0) {
      const value = this.queue[this.head] as T;
      this.head++;
      return { kind: 'value', value };
    }
    if (this.ended) return { kind: 'closed' };
    return undefined;
  }

  recv(): Promise<RecvResult<T>> {
    const ready = this.tryRecv();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Stops receiving (the receiver is dropped). */
  drop(): void {
    this.detach();
    this.queue = [];
    this.head = 0;
  }
}
