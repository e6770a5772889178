/**
 * A remote process handle (`Session` / `RemoteExecProcess`): its ordered events, its event log
 * (256 events / 1 MiB by default) and its wake counter. `read` answers a synthesized closed +
 * failure response once the session failed, without asking the server; while the client is only
 * recovering, reads and writes wait for the outcome and retry (so a fallback read can block for
 * up to the 25 s recovery window).
 */
import { ExecProcessEventLog, type ExecProcessEventReceiver } from '../eventLog/eventLog.ts';
import { Watch, type WatchReceiver } from '../eventLog/watch.ts';
import { METHOD, toBase64, type ReadResult, type SandboxType, type WriteStatus } from '../protocol/wire.ts';
import { OrderedSessionEvents, type OrderingOptions } from './orderedEvents.ts';

/** What a session needs from its client. */
export interface SessionHost {
  call<T>(method: string, params: unknown): Promise<T>;
  /** Forget the route (a failed session stays failed). */
  detach(processId: string): void;
  log(kind: string, data: Record<string, unknown>): void;
}

export interface SessionOptions extends OrderingOptions {
  eventCapacity: number;
  eventBytes: number;
}

export class Session {
  readonly log: ExecProcessEventLog;
  readonly wake = new Watch();
  readonly events: OrderedSessionEvents;
  sandboxType: SandboxType | undefined;
  private writes = 0;

  constructor(
    readonly processId: string,
    private readonly host: SessionHost,
    options: SessionOptions,
  ) {
    this.log = new ExecProcessEventLog({ eventCapacity: options.eventCapacity, byteCapacity: options.eventBytes });
    this.events = new OrderedSessionEvents(processId, this.log, this.wake, options, (message) => {
      host.log('exec-client.session-failed', { processId, message });
      host.detach(processId);
    });
  }

  subscribeEvents(): ExecProcessEventReceiver {
    return this.log.subscribe();
  }

  subscribeWake(): WatchReceiver {
    return this.wake.subscribe();
  }

  async read(afterSeq: number | null, maxBytes: number | null, waitMs: number | null): Promise<ReadResult> {
    if (this.events.failure !== undefined) return this.events.synthesizedRead();
    try {
      return await this.host.call<ReadResult>(METHOD.read, { processId: this.processId, afterSeq, maxBytes, waitMs });
    } catch (e) {
      if (this.events.failure !== undefined) return this.events.synthesizedRead();
      throw e;
    }
  }

  async write(chunk: Uint8Array): Promise<WriteStatus> {
    // One writeId per logical write, kept across retries so the server can drop a duplicate.
    const writeId = `${this.processId}-w${++this.writes}`;
    const r = await this.host.call<{ status: WriteStatus }>(METHOD.write, { processId: this.processId, chunk: toBase64(chunk), writeId });
    return r.status;
  }

  async terminate(): Promise<void> {
    await this.host.call(METHOD.terminate, { processId: this.processId });
  }
}
