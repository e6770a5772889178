/**
 * The world's scheduler. Virtual time is a @sinonjs/fake-timers clock made with `createClock`
 * (never installed on globals); its timer callbacks only move a task to the ready list, and the
 * world's loop runs ready tasks one at a time with a quiescence barrier after each, so every
 * promise continuation has run before the next task and before time moves.
 *
 * Ordering at one virtual instant: tasks carry a lane (a host, or one direction of one
 * connection). Within a lane, tasks keep creation order, as Node keeps timers created in order;
 * across lanes the order is drawn from the seeded `sched` stream, so interleavings between hosts
 * get explored, and each choice among several lanes is recorded in the trace.
 */
import { createClock } from '@sinonjs/fake-timers';
import { MAX_TIMER_DELAY_MS } from './horizon.ts';
import type { Rng } from './rng.ts';

export interface Task {
  readonly id: number;
  /** Virtual ms the task is due. */
  readonly at: number;
  readonly lane: string;
  readonly label: string;
  readonly fn: () => void;
  cancelled: boolean;
  /** A ref'd task keeps the world running (like a ref'd Node timer). */
  ref: boolean;
  /** Set while waiting in the fake clock. */
  fakeId: unknown;
}

export interface Pick {
  task: Task;
  /** How many lanes were ready (1 when there was no choice). */
  lanes: number;
}

/**
 * What the world and its subsystems need from a scheduler. The simulator's is `Scheduler`
 * (virtual time); real mode (sim/real/realWorld.ts) drives the same world on real timers.
 */
export interface TaskScheduler {
  now(): number;
  schedule(delayMs: number, lane: string, label: string, fn: () => void, ref?: boolean): Task;
  cancel(task: Task): void;
  setRef(task: Task, ref: boolean): void;
  /** Pending ref'd work: while there is none and nothing is ready, the world is idle. */
  readonly refTimers: number;
  take(): Pick | undefined;
  /** Makes the next due tasks ready: at once in virtual time, by waiting in real time. */
  advance(): boolean | Promise<boolean>;
}

type FakeClock = ReturnType<typeof createClock>;

/**
 * The scheduler whose fake clock is running its due timers (only inside `advance`). A fake clock
 * outlives its world in the young generation: createClock assigns its methods as closures to
 * properties, which V8 allocates in old space, so every clock survives minor GCs until a major
 * one, and with it whatever its pending timers' callbacks hold. Its callbacks therefore hold
 * nothing of the world: one function, called with the task's id.
 */
let advancing: Scheduler | undefined;
function fired(id: unknown): void {
  (advancing as Scheduler).due(id as number);
}

/** What a run asked of the scheduler: the shape the bench's limit loop reproduces. */
export interface SchedulerStats {
  /** Tasks taken to run (each followed by a quiescence barrier). */
  tasks: number;
  /** Tasks scheduled with a delay (a fake-clock timer). */
  timers: number;
  /** Of those, cancelled before they fired. */
  cancelled: number;
  /** Of those, fired (made ready). */
  fired: number;
  /** Virtual instants time moved to. */
  instants: number;
}

export class Scheduler implements TaskScheduler {
  private readonly fake: FakeClock = createClock(0, Number.MAX_SAFE_INTEGER);
  private ready: Task[] = [];
  private pendingRef = 0;
  /** Timers waiting in the fake clock, by due time: after one fires, are there more at that instant? */
  private readonly dueAt = new Map<number, number>();
  private nextId = 1;
  /** Tasks waiting in the fake clock, by id. */
  private readonly armed = new Map<number, Task>();
  readonly stats: SchedulerStats = { tasks: 0, timers: 0, cancelled: 0, fired: 0, instants: 0 };

  constructor(
    private readonly rng: Rng,
    private readonly shuffle: boolean,
  ) {}

  now(): number {
    return this.fake.now;
  }

  schedule(delayMs: number, lane: string, label: string, fn: () => void, ref = true): Task {
    const delay = timerDelay(delayMs, lane, label);
    const task: Task = { id: this.nextId++, at: this.fake.now + delay, lane, label, fn, cancelled: false, ref, fakeId: undefined };
    if (delay === 0) {
      this.ready.push(task);
    } else {
      if (ref) this.pendingRef++;
      this.stats.timers++;
      this.dueAt.set(task.at, (this.dueAt.get(task.at) ?? 0) + 1);
      this.arm(task);
    }
    return task;
  }

  /**
   * Waits for a task in the fake clock. A timer takes at most 2^31-1 ms as written (longer ones
   * fire at once, as Node's do), so a longer wait goes in hops: exact at any virtual time.
   */
  private arm(task: Task): void {
    const left = task.at - this.fake.now;
    this.armed.set(task.id, task);
    task.fakeId = this.fake.setTimeout(fired, Math.min(left, MAX_TIMER_DELAY_MS), task.id);
  }

  cancel(task: Task): void {
    if (task.cancelled) return;
    task.cancelled = true;
    if (task.fakeId !== undefined) {
      this.fake.clearTimeout(task.fakeId as number);
      task.fakeId = undefined;
      this.armed.delete(task.id);
      this.undue(task.at);
      if (task.ref) this.pendingRef--;
      this.stats.cancelled++;
    }
  }

  private undue(at: number): void {
    const n = (this.dueAt.get(at) ?? 1) - 1;
    if (n > 0) this.dueAt.set(at, n);
    else this.dueAt.delete(at);
  }

  setRef(task: Task, ref: boolean): void {
    if (task.ref === ref) return;
    if (task.fakeId !== undefined && !task.cancelled) this.pendingRef += ref ? 1 : -1;
    task.ref = ref;
  }

  /** Ref'd timers not yet due: while there are none and nothing is ready, the world is idle. */
  get refTimers(): number {
    return this.pendingRef;
  }

  hasReady(): boolean {
    this.compact();
    return this.ready.length > 0;
  }

  /** Moves time to the next due timer and makes every timer due at that instant ready. */
  advance(): boolean {
    if (this.fake.countTimers() === 0) return false;
    advancing = this;
    try {
      this.fake.next();
      this.stats.instants++;
      // the rest of this instant, if any (tick(0) is the costly part, so only when needed)
      if (this.dueAt.has(this.fake.now)) this.fake.tick(0);
    } finally {
      advancing = undefined;
    }
    return true;
  }

  /** Takes the next task to run: the oldest of a lane drawn from the lanes that are ready. */
  take(): Pick | undefined {
    this.compact();
    const pick = pickTask(this.ready, this.rng, this.shuffle);
    if (pick) this.stats.tasks++;
    return pick;
  }

  /** A fake timer came due: its task's next hop, or the task itself. */
  due(id: number): void {
    const task = this.armed.get(id) as Task;
    this.armed.delete(id);
    if (task.at - this.fake.now > 0) this.arm(task);
    else this.fire(task);
  }

  private fire(task: Task): void {
    task.fakeId = undefined;
    this.undue(task.at);
    if (task.ref) this.pendingRef--;
    this.stats.fired++;
    if (!task.cancelled) this.ready.push(task);
  }

  private compact(): void {
    if (this.ready.some((t) => t.cancelled)) this.ready = this.ready.filter((t) => !t.cancelled);
  }
}

/**
 * Removes and returns the next task of a ready list: with one lane, its oldest task; with
 * several, the oldest task of a lane drawn from the seeded stream (creation order if not
 * shuffling).
 */
/**
 * A timer's delay in whole virtual ms (a fraction rounds up, as Node's do). NaN, an infinity or
 * a negative delay is a bug in the code that asked for it, never a timer that fires at once:
 * it throws, naming the delay, in that code (a target's throw is judged as no-crash).
 */
export function timerDelay(delayMs: number, lane: string, label: string): number {
  if (typeof delayMs !== 'number' || Number.isNaN(delayMs) || delayMs < 0 || delayMs === Infinity) {
    throw new RangeError(
      `timer "${label}" on ${lane}: delay ${typeof delayMs === 'number' ? String(delayMs) : (JSON.stringify(delayMs) ?? String(delayMs))} ms is not a number of ms from 0 up`,
    );
  }
  return delayMs > 0 ? Math.ceil(delayMs) : 0;
}

export function pickTask(ready: Task[], rng: Rng, shuffle: boolean): Pick | undefined {
  if (ready.length === 0) return undefined;
  if (ready.length === 1) return { task: ready.pop() as Task, lanes: 1 };
  const lanes: string[] = [];
  for (const t of ready) if (!lanes.includes(t.lane)) lanes.push(t.lane);
  const lane = lanes.length > 1 && shuffle ? (lanes[rng.int(0, lanes.length - 1)] as string) : (lanes[0] as string);
  const idx = ready.findIndex((t) => t.lane === lane);
  const [task] = ready.splice(idx, 1);
  return { task: task as Task, lanes: lanes.length };
}
