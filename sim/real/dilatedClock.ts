/**
 * The Clock port on real timers running `factor` times faster than the wall: `now()` is virtual
 * ms since the adapter was made, and a timer of `ms` virtual ms fires after `ms / factor` real
 * ms. A client under libfaketime (`faketime -f "+0 x100"`) sees the same rate, so both sides of
 * a real run agree on what "15 s" means while it takes 150 ms.
 */
import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from '../ports/clock.ts';
import { RealTimer } from './clock.ts';

export class DilatedClock implements Clock {
  private readonly origin = performance.now();
  constructor(readonly factor: number) {
    if (!(factor >= 1)) throw new Error(`DilatedClock: factor must be >= 1, got ${factor}`);
  }
  now(): number {
    return Math.round((performance.now() - this.origin) * this.factor);
  }
  /** Real ms for `ms` virtual ms. */
  real(ms: number): number {
    return Math.max(0, ms / this.factor);
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.real(ms)));
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    return new RealTimer(setTimeout(fn, this.real(ms)));
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle instanceof RealTimer) clearTimeout(handle.t);
  }
}
