/**
 * Real mode's scheduler: the world's tasks on real timers, with time dilated so that one real
 * millisecond is `scale` virtual ones (a 45 s watchdog becomes 450 ms at scale 100).
 */
import { performance } from 'node:perf_hooks';
import type { Rng } from '../rng.ts';
import { pickTask, type Pick, type Task, type TaskScheduler } from '../scheduler.ts';

/** Virtual time over real timers: `scale` virtual ms per real ms. */
export class RealTimeScheduler implements TaskScheduler {
  private readonly origin = performance.now();
  private ready: Task[] = [];
  private pendingRef = 0;
  private io = 0;
  private nextId = 1;
  private wake: (() => void) | undefined;

  constructor(
    private readonly rng: Rng,
    private readonly shuffle: boolean,
    readonly scale: number,
  ) {}

  now(): number {
    return Math.floor((performance.now() - this.origin) * this.scale);
  }

  schedule(delayMs: number, lane: string, label: string, fn: () => void, ref = true): Task {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? Math.ceil(delayMs) : 0;
    const task: Task = { id: this.nextId++, at: this.now() + delay, lane, label, fn, cancelled: false, ref, fakeId: undefined };
    if (delay === 0) this.push(task);
    else {
      if (ref) this.pendingRef++;
      task.fakeId = setTimeout(() => this.fire(task), delay / this.scale);
    }
    return task;
  }

  cancel(task: Task): void {
    if (task.cancelled) return;
    task.cancelled = true;
    if (task.fakeId !== undefined) {
      clearTimeout(task.fakeId as NodeJS.Timeout);
      task.fakeId = undefined;
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

  advance(): Promise<boolean> {
    if (this.ready.length > 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.wake = () => resolve(true);
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
      this.poke();
    };
  }

  private fire(task: Task): void {
    task.fakeId = undefined;
    if (task.ref) this.pendingRef--;
    if (!task.cancelled) this.push(task);
  }

  private push(task: Task): void {
    this.ready.push(task);
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
