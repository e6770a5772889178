/**
 * `OrderedSessionEvents` (client.rs, spec §2): notifications of one process pass through here
 * before its event log. Events are held in a pending map by seq and published only in seq order,
 * so Closed goes out only after every lower seq; anything at or below the last published seq,
 * after Closed, or after a failure is dropped silently (the duplicate suppression). Bounds from
 * #31576: 256 pending events and 1 MiB pending bytes (the event that closes the gap is exempt; a
 * single event over 1 MiB is rejected); exceeding one is a failure. Seq distance is not capped.
 *
 * The `arrival` ordering is the pre-fix behaviour of #18020: publish each event as it arrives.
 */
import type { ExecProcessEventLog } from '../eventLog/eventLog.ts';
import { eventSeq, retainedLen, type ExecProcessEvent } from '../eventLog/events.ts';
import type { Watch } from '../eventLog/watch.ts';
import type { ReadResult } from '../protocol/wire.ts';

export const PENDING_EVENTS_MAX = 256;
export const PENDING_BYTES_MAX = 1024 * 1024;

export interface OrderingOptions {
  ordering: 'seq' | 'arrival';
  pendingEventsMax: number;
  pendingBytesMax: number;
}

export class OrderedSessionEvents {
  lastPublishedSeq = 0;
  exitPublished = false;
  closedPublished = false;
  failure: string | undefined;
  readonly pending = new Map<number, ExecProcessEvent>();
  private pendingBytes = 0;

  constructor(
    readonly processId: string,
    private readonly log: ExecProcessEventLog,
    private readonly wake: Watch,
    private readonly options: OrderingOptions,
    /** Called once when a bound is exceeded (the session is then detached). */
    private readonly onBoundExceeded: (message: string) => void,
  ) {}

  accept(event: ExecProcessEvent): void {
    const seq = eventSeq(event);
    if (seq === undefined || this.failure !== undefined || this.closedPublished) return;
    if (this.options.ordering === 'arrival') {
      this.wake.raise(seq);
      this.publish(event);
      return;
    }
    if (seq <= this.lastPublishedSeq || this.pending.has(seq)) return;
    this.wake.raise(seq);
    const bytes = retainedLen(event);
    const closesGap = seq === this.lastPublishedSeq + 1;
    if (bytes > this.options.pendingBytesMax)
      return this.exceeded(`process ${this.processId} event ${seq} is larger than ${this.options.pendingBytesMax} bytes`);
    if (!closesGap && (this.pending.size + 1 > this.options.pendingEventsMax || this.pendingBytes + bytes > this.options.pendingBytesMax)) {
      return this.exceeded(`process ${this.processId} has too many out-of-order events pending`);
    }
    this.pending.set(seq, event);
    this.pendingBytes += bytes;
    this.drain();
  }

  /** Publishes every event that is next in seq order. */
  drain(): void {
    for (;;) {
      const next = this.pending.get(this.lastPublishedSeq + 1);
      if (!next) return;
      this.pending.delete(this.lastPublishedSeq + 1);
      this.pendingBytes -= retainedLen(next);
      this.publish(next);
      if (this.closedPublished) return;
    }
  }

  /** Inserts an event from a recovery read (already validated by the merge). */
  insert(event: ExecProcessEvent): void {
    const seq = eventSeq(event) as number;
    if (seq <= this.lastPublishedSeq || this.pending.has(seq)) return;
    this.pending.set(seq, event);
    this.pendingBytes += retainedLen(event);
  }

  /** `set_failure`: ignored after a failure or after Closed; otherwise publishes Failed once. */
  setFailure(message: string): void {
    if (this.failure !== undefined || this.closedPublished) return;
    this.failure = message;
    this.pending.clear();
    this.pendingBytes = 0;
    this.log.publish({ type: 'failed', message });
    this.wake.bump();
  }

  /** What `Session::read` answers without asking the server once the session failed. */
  synthesizedRead(): ReadResult {
    return {
      chunks: [],
      nextSeq: this.wake.current + 1,
      exited: true,
      exitCode: null,
      closed: true,
      failure: this.failure ?? null,
      sandboxDenied: false,
    };
  }

  private publish(event: ExecProcessEvent): void {
    const seq = eventSeq(event) as number;
    this.lastPublishedSeq = Math.max(this.lastPublishedSeq, seq);
    // Events published by a recovery merge wake the poller too (UNCONFIRMED upstream; without it
    // a wake+read consumer would sleep forever after a resume that recovered the Closed).
    this.wake.raise(seq);
    if (event.type === 'exited') this.exitPublished = true;
    if (event.type === 'closed') this.closedPublished = true;
    this.log.publish(event);
  }

  private exceeded(message: string): void {
    this.setFailure(message);
    this.onBoundExceeded(message);
  }
}
