/** The Clock port on real timers, for real-network mode. Time is ms since the adapter was made. */
import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from '../ports/clock.ts';

/** A node timer as a TimerHandle (the dilated clock's too). */
export class RealTimer implements TimerHandle {
  constructor(readonly t: NodeJS.Timeout) {}
  unref(): TimerHandle {
    this.t.unref();
    return this;
  }
  ref(): TimerHandle {
    this.t.ref();
    return this;
  }
}

export class RealClock implements Clock {
  private readonly origin = performance.now();
  now(): number {
    return Math.round(performance.now() - this.origin);
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return new RealTimer(setTimeout(fn, Math.max(0, ms)));
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle instanceof RealTimer) clearTimeout(handle.t);
  }
}
