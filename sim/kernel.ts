/**
 * What every simulated subsystem shares: the scheduler, the trace, the seeded streams, and one
 * way to run user callbacks so that a throwing listener is recorded instead of killing the loop.
 */
import { describeError } from './errors.ts';
import type { RngStreams } from './rng.ts';
import type { TaskScheduler } from './scheduler.ts';
import type { Trace } from './trace.ts';

export interface ActorError {
  t: number;
  actor: string;
  message: string;
}

/**
 * One fault of a schedule, followed from its firing to its first effect: which process, file or
 * connection it hit, and when. Faults a fault schedules while it applies share its token.
 */
export interface FaultToken {
  /** Position in its schedule (the `faults[i]` of a scenario file). */
  index: number;
  kind: string;
  firedAt?: number;
  effect?: { t: number; on: string };
  /** Why it has not hit anything (yet), as its kind tells it; the no-effect message says it. */
  missed?: string;
}

/**
 * The fault being applied, held by a kind whose effect comes later than its firing (an exit code
 * the daemon exits with, a read that fails): it tells when it hits something, or why it did not.
 */
export interface FaultEffectHandle {
  /** It hit this (the first hit counts; an empty list is no hit). */
  hit(on: string | readonly string[]): void;
  /** Why it has hit nothing so far; a later hit or miss replaces it. */
  miss(why: string): void;
  /** Runs `fn` as part of this fault: a fault it schedules (a proxy's kernel cut) is this one's, and so is its effect. */
  within(fn: () => void): void;
}

/**
 * Why a world stopped making progress: more work at one virtual instant than its budget (tasks
 * run and events recorded while time stood still: a target spinning without yielding to time),
 * or more tasks in one run than the run's budget.
 */
export interface Livelock {
  /** Virtual ms of the instant (or the run's end). */
  t: number;
  budget: 'instant' | 'run';
  /** The work done: at that instant (tasks and events), or tasks in the run. */
  work: number;
  limit: number;
  /** What repeated among the last steps, most frequent first: `client net.send-refused x4096`. */
  repeating: string[];
}

/** The work a world keeps the last of, to say what repeated when it livelocks. */
const RECENT = 4096;

/** Thrown into the code that asks the world for anything once it has livelocked: nothing more happens. */
export class WorldHalted extends Error {
  constructor(readonly livelock: Livelock) {
    super(livelockText(livelock));
    this.name = 'WorldHalted';
  }
}

/** A livelock in one line, for the trace, the verdict and the terminal. */
export function livelockText(l: Livelock): string {
  const at = `t=${(l.t / 1000).toFixed(3)}s`;
  const what =
    l.budget === 'instant'
      ? `virtual time stood still at ${at}: ${l.work} steps (tasks run and events recorded) at that instant, over the budget of ${l.limit}`
      : `the run did ${l.work} tasks by ${at}, its budget, without settling`;
  return `${what}; repeating: ${l.repeating.join(', ')}`;
}

export class Kernel {
  readonly errors: ActorError[] = [];
  /** Work one virtual instant may take before the world counts it a livelock (limits.maxInstantWork). */
  instantBudget = Infinity;
  /** The most work any instant of this world took so far (for the bench and the budget's test). */
  maxInstantWork = 0;
  /**
   * Set when the world livelocked. In the turn that livelocked, every record (and timer) throws
   * WorldHalted into the code that asks, so a loop that never yields is broken where it spins;
   * once that turn is over (`endHaltTurn`), records do nothing: the trace ends at the livelock.
   */
  livelock: Livelock | undefined;
  private haltTurn = false;
  /** Told now and then while one task's continuations keep working (a progress line for a long turn). */
  onLongTurn: (() => void) | undefined;
  private instantAt = -1;
  private instantWork = 0;
  private turnWork = 0;
  // grown as steps come (a run of a few hundred steps never allocates the whole ring)
  private readonly recentWho: string[] = [];
  private readonly recentWhat: string[] = [];
  private recentN = 0;
  /** The fault being applied now: what a subsystem hits at once, or arms for later, is its effect. */
  applying: FaultToken | undefined;
  /** Set by `heal()`: faults scheduled later are skipped, active windows end. */
  healed = false;

  constructor(
    readonly sched: TaskScheduler,
    readonly trace: Trace,
    readonly rng: RngStreams,
  ) {}

  now(): number {
    return this.sched.now();
  }

  /** A fault took effect on something (the first time is recorded; an empty list is no effect). */
  faultEffect(token: FaultToken | undefined, on: string | readonly string[]): void {
    if (!token || token.effect) return;
    if (typeof on !== 'string' && on.length === 0) return;
    const what = typeof on === 'string' ? on : on.join(', ');
    token.effect = { t: this.now(), on: what };
    this.record('faults', 'fault.effect', { fault: token.index, kind: token.kind, on: what });
  }

  /** A handle on the fault being applied now (a no-op outside one). */
  faultHandle(): FaultEffectHandle {
    const token = this.applying;
    return {
      hit: (on) => this.faultEffect(token, on),
      miss: (why) => {
        if (token && !token.effect) token.missed = why;
      },
      within: (fn) => {
        const outer = this.applying;
        this.applying = token;
        try {
          fn();
        } finally {
          this.applying = outer;
        }
      },
    };
  }

  record(actor: string, kind: string, data?: Record<string, unknown>): void {
    if (!this.step(actor, kind)) return;
    this.trace.record(this.sched.now(), actor, kind, data);
  }

  /** Records for the harness, outside the budget (a run's end, fault outcomes once it is over). */
  recordFree(actor: string, kind: string, data?: Record<string, unknown>): void {
    this.trace.record(this.sched.now(), actor, kind, data);
  }

  /** One task taken to run: a step of its instant's work, and the end of the previous turn. */
  taskRan(lane: string, label: string): void {
    this.turnWork = 0;
    this.step(lane, label);
  }

  /** The turn that livelocked is over: what still runs finds a world that does nothing. */
  endHaltTurn(): void {
    this.haltTurn = false;
  }

  /**
   * Counts one step of work at the current instant (an event, a timer, a task); over the budget,
   * the world livelocks. False once it has: the step must not happen.
   */
  step(who: string, what: string): boolean {
    if (this.livelock) {
      if (this.haltTurn) throw new WorldHalted(this.livelock);
      return false;
    }
    const t = this.sched.now();
    if (t !== this.instantAt) {
      this.instantAt = t;
      this.instantWork = 0;
    }
    const i = this.recentN++ % RECENT;
    this.recentWho[i] = who;
    this.recentWhat[i] = what;
    if (++this.instantWork > this.maxInstantWork) this.maxInstantWork = this.instantWork;
    if (this.instantWork > this.instantBudget) {
      this.haltTurn = true;
      throw new WorldHalted(this.halt('instant', this.instantWork, this.instantBudget));
    }
    if (++this.turnWork % RECENT === 0) this.onLongTurn?.();
    return true;
  }

  /** Stops the world for good: the livelock is recorded, and every later record throws. */
  halt(budget: Livelock['budget'], work: number, limit: number): Livelock {
    if (this.livelock) return this.livelock;
    const counts = new Map<string, number>();
    const n = Math.min(this.recentN, RECENT);
    for (let k = 0; k < n; k++) {
      const step = `${this.recentWho[k]} ${this.recentWhat[k]}`;
      counts.set(step, (counts.get(step) ?? 0) + 1);
    }
    const repeating = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 3)
      .map(([step, c]) => `${step} x${c}`);
    this.livelock = { t: this.now(), budget, work, limit, repeating };
    this.recordFree('world', 'world.livelock', { ...this.livelock, repeating: [...repeating] });
    return this.livelock;
  }

  /** Schedules `fn` in `lane` after `delayMs`; a throw is recorded against `actor`. */
  at(delayMs: number, lane: string, label: string, fn: () => void, ref = true) {
    return this.sched.schedule(delayMs, lane, label, () => this.guard(lane, fn), ref);
  }

  /** Calls user code; a throw or a rejected promise is recorded, never propagated. */
  guard(actor: string, fn: () => unknown): void {
    try {
      this.settle(actor, fn());
    } catch (e) {
      this.reportError(actor, e);
    }
  }

  /** `guard` for a listener called with arguments (no closure per call: emitters run one per event and listener). */
  guardApply(actor: string, fn: (...args: never[]) => unknown, args: readonly unknown[]): void {
    try {
      this.settle(actor, (fn as (...a: readonly unknown[]) => unknown)(...args));
    } catch (e) {
      this.reportError(actor, e);
    }
  }

  /** A promise user code returned: its rejection is recorded. */
  private settle(actor: string, r: unknown): void {
    if (r && typeof (r as Promise<unknown>).then === 'function') {
      (r as Promise<unknown>).then(undefined, (e: unknown) => this.reportError(actor, e));
    }
  }

  reportError(actor: string, e: unknown): void {
    // once the world has livelocked, what its halt throws is not a crash of anyone's
    if (this.livelock) return;
    const message = describeError(e);
    this.errors.push({ t: this.now(), actor, message });
    this.record(actor, 'actor.error', { message });
  }
}

/** A minimal typed event emitter whose listeners run guarded. */
export class Emitter<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  private readonly listeners = new Map<keyof Events, Array<Events[keyof Events]>>();
  constructor(
    private readonly kernel: Kernel,
    private readonly actor: () => string,
  ) {}
  on<E extends keyof Events>(event: E, fn: Events[E]): void {
    const list = this.listeners.get(event);
    if (list) list.push(fn);
    else this.listeners.set(event, [fn]);
  }
  off<E extends keyof Events>(event: E, fn: Events[E]): void {
    const list = this.listeners.get(event);
    if (!list) return;
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  }
  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    const list = this.listeners.get(event);
    if (!list || list.length === 0) return;
    // one listener (the usual case) needs no snapshot against on/off during the call
    if (list.length === 1) {
      this.kernel.guardApply(this.actor(), list[0] as Events[E], args);
      return;
    }
    for (const fn of [...list]) this.kernel.guardApply(this.actor(), fn, args);
  }
}
