/**
 * `streamBus` (exec_manager.go): one per stream of an execution, the io.Writer the SDK writes
 * into. Every write lands in a bounded backlog (oldest bytes dropped, byte granularity, so a
 * replay may start mid-line or mid-codepoint) and is offered to each live subscriber's bounded
 * channel without blocking: a full channel drops the chunk for that subscriber, counted and
 * never surfaced. Subscribe is atomic: the whole retained backlog goes into the fresh channel as
 * one snapshot chunk, then the subscriber joins the live set, so nothing falls between the two.
 * Replay always starts at the head of the retained backlog: upstream has no resume offset.
 *
 * Cursor extension (#1046): `subscribe(capacity, from)` replays from an absolute offset instead;
 * when `from` is older than the retained head, the channel first carries an explicit gap item.
 */
import type { StreamName } from '../wire.ts';

export type BusItem = { kind: 'data'; offset: number; data: Uint8Array } | { kind: 'gap'; from: number; to: number };

/** Returned by `poll` when nothing is queued yet (the channel is still open). */
export const EMPTY: unique symbol = Symbol('empty');

/** A subscriber's bounded channel (Go `make(chan []byte, n)`). */
export class Subscription {
  private readonly items: BusItem[] = [];
  private waiter: ((item: BusItem | undefined) => void) | undefined;
  closed = false;
  droppedBytes = 0;

  constructor(readonly capacity: number) {}

  /** Non-blocking send (`select { case ch <- c: default: }`): false when full or closed. */
  offer(item: BusItem): boolean {
    if (this.closed) return false;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(item);
      return true;
    }
    if (this.items.length >= this.capacity) return false;
    this.items.push(item);
    return true;
  }

  /** Queues an item on a fresh channel regardless of capacity (the snapshot, a gap). */
  preload(item: BusItem): void {
    this.items.push(item);
  }

  /** The next item without waiting: an item, undefined once closed and drained, or EMPTY. */
  poll(): BusItem | undefined | typeof EMPTY {
    const item = this.items.shift();
    if (item) return item;
    return this.closed ? undefined : EMPTY;
  }

  /** The next item; undefined once the channel is closed and drained. */
  next(): Promise<BusItem | undefined> {
    const now = this.poll();
    if (now !== EMPTY) return Promise.resolve(now);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** `close(ch)`: queued items can still be taken. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.(undefined);
  }
}

export class StreamBus {
  private chunks: Uint8Array[] = [];
  private retained = 0;
  private subs: Subscription[] = [];
  /** Absolute offset of the first retained byte. */
  head = 0;
  /** Bytes written so far (the stream's length). */
  total = 0;
  closed = false;

  constructor(
    readonly stream: StreamName,
    readonly backlogBytesMax: number,
    private readonly onDrop: (stream: StreamName, bytes: number) => void = () => {},
  ) {}

  /** `Write`: append (drop oldest over the cap), then fan out without blocking. */
  write(p: Uint8Array): void {
    if (p.length === 0) return;
    const chunk = new Uint8Array(p);
    const offset = this.total;
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.retained += chunk.length;
    this.trim();
    for (const sub of this.subs) {
      if (!sub.offer({ kind: 'data', offset, data: chunk })) {
        sub.droppedBytes += chunk.length;
        this.onDrop(this.stream, chunk.length);
      }
    }
  }

  /**
   * `Subscribe`: the retained backlog (from `from` when given) as one snapshot chunk, then the
   * live set; on a closed bus, snapshot then EOF.
   */
  subscribe(capacity: number, from?: number): Subscription {
    const s = new Subscription(capacity);
    let start = this.head;
    if (from !== undefined) {
      if (from < this.head) s.preload({ kind: 'gap', from, to: this.head });
      else start = Math.min(from, this.total);
    }
    if (this.total > start) s.preload({ kind: 'data', offset: start, data: this.backlogFrom(start) });
    if (this.closed) s.close();
    else this.subs.push(s);
    return s;
  }

  /** The cancel func: leave the live set and close the channel. */
  cancel(s: Subscription): void {
    const i = this.subs.indexOf(s);
    if (i < 0) return;
    this.subs.splice(i, 1);
    s.close();
  }

  /** `close`: EOF to every subscriber. Later writes still reach the backlog only. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const subs = this.subs;
    this.subs = [];
    for (const s of subs) s.close();
  }

  private backlogFrom(start: number): Uint8Array {
    const out = new Uint8Array(this.total - start);
    let at = this.head;
    let w = 0;
    for (const c of this.chunks) {
      const end = at + c.length;
      if (end > start) {
        const from = Math.max(0, start - at);
        out.set(from === 0 ? c : c.subarray(from), w);
        w += c.length - from;
      }
      at = end;
    }
    return out;
  }

  private trim(): void {
    while (this.retained > this.backlogBytesMax) {
      const excess = this.retained - this.backlogBytesMax;
      const first = this.chunks[0] as Uint8Array;
      if (first.length <= excess) {
        this.chunks.shift();
        this.retained -= first.length;
        this.head += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.retained -= excess;
        this.head += excess;
      }
    }
  }
}
