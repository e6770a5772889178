/**
 * The Clock port over the scheduler: one per host, so a host's timers share its lane.
 */
import type { Clock, TimerHandle } from './ports/clock.ts';
import type { TaskScheduler, Task } from './scheduler.ts';

class SimTimer implements TimerHandle {
  constructor(
    private readonly sched: TaskScheduler,
    readonly task: Task,
  ) {}
  unref(): TimerHandle {
    this.sched.setRef(this.task, false);
    return this;
  }
  ref(): TimerHandle {
    this.sched.setRef(this.task, true);
    return this;
  }
}

export class SimClock implements Clock {
  constructor(
    private readonly sched: TaskScheduler,
    private readonly lane: string,
    /** Counts each timer as a step of its instant's work (the world's livelock budget); may throw. */
    private readonly step: (lane: string, label: string) => unknown = () => true,
  ) {}

  now(): number {
    return this.sched.now();
  }

  sleep(ms: number, label = 'sleep'): Promise<void> {
    return new Promise<void>((resolve) => {
      this.step(this.lane, label);
      this.sched.schedule(ms, this.lane, label, resolve);
    });
  }

  setTimeout(fn: () => void, ms: number, label = 'timer'): TimerHandle {
    this.step(this.lane, label);
    return new SimTimer(this.sched, this.sched.schedule(ms, this.lane, label, fn));
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle instanceof SimTimer) this.sched.cancel(handle.task);
  }
}
