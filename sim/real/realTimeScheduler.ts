/**
 * Real mode's scheduler: the world's tasks on real timers, with time dilated so that one real
 * millisecond of waiting is `scale` virtual ones (a 45 s watchdog becomes 450 ms at scale 100).
 *
 * Virtual time moves only while the world waits (nothing ready: a timer or real I/O to come),
 * never while its tasks run. The simulator's tasks take no virtual time, and so must these: if
 * the clock ran on while a task computed, every real millisecond of CPU (and of event-loop lag
 * under load) would cost `scale` virtual ones, and a run's faults and timeouts would land at
 * other points of the protocol than in the simulator (the cause of the bench's real-mode
 * flakes: a 179-task attach-pump run spent 0.42 s of its 3.3 s computing, 42 virtual s). While
 * waiting, time never passes the next timer: a timer fires at its due instant, however late the
 * event loop ran it, and real I/O that arrives meanwhile is stamped at the dilated real time.
 */
import { performance } from 'node:perf_hooks';
import { MAX_TIMER_DELAY_MS } from '../horizon.ts';
import type { Rng } from '../rng.ts';
import { pickTask, timerDelay, type Pick, type Task, type TaskScheduler } from '../scheduler.ts';

/** The wall clock and timers the scheduler waits on (real ones; a test passes fake ones). */
export interface Wall {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_WALL: Wall = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** A wait under way: when it began (wall ms), the virtual time then, and the next timer's due time. */
interface Waiting {
  wallStart: number;
  from: number;
  until: number;
  end(byTimer: boolean): void;
}

/** Virtual time over real timers: `scale` virtual ms per real ms spent waiting. */
export class RealTimeScheduler implements TaskScheduler {
  private virtual = 0;
  private ready: Task[] = [];
  /** Delayed tasks not yet due, in no particular order (real worlds have few). */
  private timers: Task[] = [];
  private pendingRef = 0;
  private io = 0;
  private nextId = 1;
  private waiting: Waiting | undefined;
  /** Real ms the world spent waiting, and running (everything else), for reports. */
  readonly stats = { waitedMs: 0, waits: 0 };

  constructor(
    private readonly rng: Rng,
    private readonly shuffle: boolean,
    readonly scale: number,
    private readonly wall: Wall = REAL_WALL,
  ) {}

  /** Virtual ms: frozen while tasks run, dilated real time while the world waits. */
  now(): number {
    return Math.floor(this.waiting ? this.during(this.waiting) : this.virtual);
  }

  schedule(delayMs: number, lane: string, label: string, fn: () => void, ref = true): Task {
    const delay = timerDelay(delayMs, lane, label);
    const task: Task = { id: this.nextId++, at: this.now() + delay, lane, label, fn, cancelled: false, ref, fakeId: undefined };
    if (delay === 0) this.push(task);
    else {
      if (ref) this.pendingRef++;
      task.fakeId = true;
      this.timers.push(task);
      // a timer made while waiting (from real I/O) may be due before the one waited for
      if (this.waiting && task.at < this.waiting.until) this.waiting.end(false);
    }
    return task;
  }

  cancel(task: Task): void {
    if (task.cancelled) return;
    task.cancelled = true;
    if (task.fakeId !== undefined) {
      task.fakeId = undefined;
      this.timers = this.timers.filter((t) => t !== task);
      if (task.ref) this.pendingRef--;
    }
  }

  setRef(task: Task, ref: boolean): void {
    if (task.ref === ref) return;
    if (task.fakeId !== undefined && !task.cancelled) this.pendingRef += ref ? 1 : -1;
    task.ref = ref;
  }

  get refTimers(): number {
    return this.pendingRef + this.io;
  }

  take(): Pick | undefined {
    this.ready = this.ready.filter((t) => !t.cancelled);
    return pickTask(this.ready, this.rng, this.shuffle);
  }

  /**
   * Waits until something is ready: the next timer (after its dilated delay) or real I/O. Time
   * moves by the real wait times `scale`, up to the next timer's due time and never past it.
   */
  advance(): Promise<boolean> {
    if (this.ready.length > 0) return Promise.resolve(true);
    const until = this.timers.reduce((m, t) => Math.min(m, t.at), Infinity);
    return new Promise((resolve) => {
      let handle: unknown;
      const w: Waiting = {
        wallStart: this.wall.now(),
        from: this.virtual,
        until,
        end: (byTimer) => {
          if (this.waiting !== w) return;
          this.waiting = undefined;
          if (handle !== undefined) this.wall.clearTimeout(handle);
          this.stats.waitedMs += this.wall.now() - w.wallStart;
          this.stats.waits++;
          // woken by its timer: exactly the due time (event-loop lag is not virtual time)
          this.virtual = byTimer ? until : this.during(w);
          this.fireDue();
          resolve(true);
        },
      };
      this.waiting = w;
      // a timer takes at most 2^31-1 ms as written (longer ones fire at once): a longer wait goes in hops
      const arm = (realMs: number): void => {
        handle =
          realMs > MAX_TIMER_DELAY_MS
            ? this.wall.setTimeout(() => arm(realMs - MAX_TIMER_DELAY_MS), MAX_TIMER_DELAY_MS)
            : this.wall.setTimeout(() => w.end(true), realMs);
      };
      if (Number.isFinite(until)) arm((until - this.virtual) / this.scale);
    });
  }

  /** Real I/O in progress (an open socket, a pending connect) keeps the world waiting. */
  hold(): () => void {
    this.io++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.io--;
      this.waiting?.end(false);
    };
  }

  /** Virtual time during a wait: its start plus the dilated real time since, capped at the next timer. */
  private during(w: Waiting): number {
    return Math.min(w.from + (this.wall.now() - w.wallStart) * this.scale, w.until);
  }

  /** Every timer due by now becomes ready, in due order (creation order within an instant). */
  private fireDue(): void {
    const due = this.timers.filter((t) => t.at <= this.virtual).sort((a, b) => a.at - b.at || a.id - b.id);
    if (due.length === 0) return;
    this.timers = this.timers.filter((t) => t.at > this.virtual);
    for (const t of due) {
      t.fakeId = undefined;
      if (t.ref) this.pendingRef--;
      this.ready.push(t);
    }
  }

  private push(task: Task): void {
    this.ready.push(task);
    this.waiting?.end(false);
  }
}
