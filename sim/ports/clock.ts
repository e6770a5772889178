/**
 * Clock port: virtual time for code under simulation, shaped like `node:timers`.
 * Time is milliseconds since the world's start (integer), never wall time.
 */
export interface TimerHandle {
  /** Like Node's `timer.unref()`: a timer that alone does not keep the world running. */
  unref(): TimerHandle;
  ref(): TimerHandle;
}

export interface Clock {
  /** Milliseconds since the world started. */
  now(): number;
  /** Resolves after `ms` of virtual time. `label` names the wait in traces and stall reports. */
  sleep(ms: number, label?: string): Promise<void>;
  setTimeout(fn: () => void, ms: number, label?: string): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}
