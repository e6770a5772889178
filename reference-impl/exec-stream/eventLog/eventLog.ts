/**
 * `ExecProcessEventLog` (spec §2, process.rs): a replay history bounded by event count AND
 * retained bytes, plus live fan-out. `subscribe` snapshots the history and attaches a live
 * receiver in one step (publish sends while the history is updated, in the same synchronous
 * turn), so every event is either replayed or delivered live: no duplicate and no gap at the
 * seam. Replay is bounded, so a late subscriber may see a first seq > 1 and must notice itself.
 *
 * Defaults: 256 events and 1 MiB (PROCESS_EVENT_CHANNEL_CAPACITY, RETAINED_OUTPUT_BYTES); the
 * live ring has the event capacity.
 */
import { Broadcast, type LiveReceiver, type RecvResult } from './broadcast.ts';
import { retainedLen, type ExecProcessEvent } from './events.ts';

export const PROCESS_EVENT_CHANNEL_CAPACITY = 256;
export const RETAINED_OUTPUT_BYTES = 1024 * 1024;

export interface EventLogOptions {
  /** History length and live ring size (events). */
  eventCapacity?: number;
  /** History bytes (output and failure text). */
  byteCapacity?: number;
}

export class ExecProcessEventLog {
  readonly eventCapacity: number;
  readonly byteCapacity: number;
  /** The history is `history[head..]`: eviction moves `head`, and the array is compacted only
   * once half of it is evicted, so a full log does not copy its history on every publish. */
  private history: ExecProcessEvent[] = [];
  private head = 0;
  private retainedBytes = 0;
  private readonly live: Broadcast<ExecProcessEvent>;

  constructor(options: EventLogOptions = {}) {
    this.eventCapacity = options.eventCapacity ?? PROCESS_EVENT_CHANNEL_CAPACITY;
    this.byteCapacity = options.byteCapacity ?? RETAINED_OUTPUT_BYTES;
    this.live = new Broadcast(this.eventCapacity);
  }

  publish(event: ExecProcessEvent): void {
    this.retainedBytes += retainedLen(event);
    this.history.push(event);
    // Evict from the front while over either bound; an event larger than the byte cap goes at once.
    const h = this.history;
    while (this.head < h.length && (h.length - this.head > this.eventCapacity || this.retainedBytes > this.byteCapacity)) {
      this.retainedBytes -= retainedLen(h[this.head] as ExecProcessEvent);
      this.head++;
    }
    if (this.head > 32 && this.head * 2 > h.length) {
      this.history = h.slice(this.head);
      this.head = 0;
    }
    this.live.send(event);
  }

  subscribe(): ExecProcessEventReceiver {
    return new ExecProcessEventReceiver(this.history.slice(this.head), this.live.subscribe());
  }

  /** What a subscriber would replay now (for tests and logs). */
  get replayable(): readonly ExecProcessEvent[] {
    return this.history.slice(this.head);
  }
}

export class ExecProcessEventReceiver {
  private replayAt = 0;

  constructor(
    private readonly replay: ExecProcessEvent[],
    private readonly live: LiveReceiver<ExecProcessEvent>,
  ) {}

  /** The replay first, then live events (or `lagged` once when the live ring overflowed). */
  recv(): Promise<RecvResult<ExecProcessEvent>> {
    if (this.replayAt < this.replay.length)
      return Promise.resolve({ kind: 'value', value: this.replay[this.replayAt++] as ExecProcessEvent });
    return this.live.recv();
  }

  /** Events waiting (replay not yet taken plus the live ring). */
  get pending(): number {
    return this.replay.length - this.replayAt + this.live.pending;
  }

  drop(): void {
    this.live.drop();
  }
}
