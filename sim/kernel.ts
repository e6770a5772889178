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

export class Kernel {
  readonly errors: ActorError[] = [];
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
    this.trace.record(this.sched.now(), actor, kind, data);
  }

  /** Schedules `fn` in `lane` after `delayMs`; a throw is recorded against `actor`. */
  at(delayMs: number, lane: string, label: string, fn: () => void, ref = true) {
    return this.sched.schedule(delayMs, lane, label, () => this.guard(lane, fn), ref);
  }

  /** Calls user code; a throw or a rejected promise is recorded, never propagated. */
  guard(actor: string, fn: () => unknown): void {
    try {
      const r = fn();
      if (r && typeof (r as Promise<unknown>).then === 'function') {
        (r as Promise<unknown>).then(undefined, (e: unknown) => this.reportError(actor, e));
      }
    } catch (e) {
      this.reportError(actor, e);
    }
  }

  reportError(actor: string, e: unknown): void {
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
    if (!list) return;
    for (const fn of [...list]) {
      this.kernel.guard(this.actor(), () => (fn as (...a: Parameters<Events[E]>) => unknown)(...args));
    }
  }
}
