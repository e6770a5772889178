/**
 * What a consumer tells its caller (the model, in unified exec): output with the seq it came
 * from, explicit gap notices, and one terminal outcome. The harness records these as the
 * observed history; the consumer never sees the truth.
 */
import type { Clock } from '../../../sim/ports/index.ts';

export type ConsumerOutcome = { kind: 'exit'; code: number; denied: boolean; error?: string } | { kind: 'failure'; message: string };

export interface ConsumerReport {
  output(seq: number, stream: string, chunk: Uint8Array): void;
  /** Output after `afterSeq` up to `throughSeq` is known to be missing. */
  gap(afterSeq: number, throughSeq: number, message: string): void;
  result(outcome: ConsumerOutcome): void;
}

/**
 * Consumer-side fault knobs: a stall (the consumer task does not run, so its receiver lags) and
 * a subscriber that starts late (bounded replay). Healing (liveness mode) ends both at once,
 * waking a consumer that is in the middle of one.
 */
export class ConsumerKnobs {
  stallUntilMs = 0;
  /** One window per consumer-stall fault, and what to tell when it holds the consumer. */
  private stalls: Array<{ from: number; until: number; held(): void }> = [];
  subscribeDelayMs = 0;
  /** Told when the consumer subscribes late by subscribeDelayMs (the subscriber-delay fault's effect). */
  onDelayedSubscribe: (() => void) | undefined;
  private readonly waiting = new Set<() => void>();

  stall(fromMs: number, durationMs: number, held: () => void = () => undefined): void {
    this.stallUntilMs = Math.max(this.stallUntilMs, fromMs + durationMs);
    this.stalls.push({ from: fromMs, until: fromMs + durationMs, held });
  }

  /**
   * Until when the consumer, about to run at `nowMs`, is stalled; the stall that holds it that
   * long is told (not one inside it, which changes nothing).
   */
  stalledUntil(nowMs: number): number {
    const active = this.stalls.filter((s) => s.from <= nowMs && nowMs < s.until);
    const until = Math.max(0, ...active.map((s) => s.until));
    for (const s of active) if (s.until === until) s.held();
    return this.stallUntilMs;
  }

  /** Waits until `untilMs` (virtual) unless healed first. */
  hold(clock: Clock, untilMs: number, label: string): Promise<void> {
    if (clock.now() >= untilMs) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clock.clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = clock.setTimeout(done, untilMs - clock.now(), label);
      this.waiting.add(done);
    });
  }

  heal(): void {
    this.stallUntilMs = 0;
    this.stalls = [];
    this.subscribeDelayMs = 0;
    this.onDelayedSubscribe = undefined;
    for (const done of [...this.waiting]) done();
  }
}

/** `ProcessState` of unified exec (spec §3). */
export class ProcessState {
  exitCode: number | null = null;
  sandboxDenied = false;
  failure: string | undefined;

  /** The terminal outcome once output is closed. */
  outcome(strict: boolean): ConsumerOutcome {
    if (this.failure !== undefined) return { kind: 'failure', message: this.failure };
    if (this.exitCode === null) return { kind: 'failure', message: 'exec-server process closed before its exit status was known' };
    if (strict && this.exitCode === -1) {
      return {
        kind: 'exit',
        code: -1,
        denied: this.sandboxDenied,
        error: 'exit status unknown: the executor reported -1 (lost exit watcher or a signal)',
      };
    }
    return { kind: 'exit', code: this.exitCode, denied: this.sandboxDenied };
  }
}
