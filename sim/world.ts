/**
 * A world built from one seed: virtual time, the network, the file system and processes are its
 * only sources of change, and `run` is the only thing that advances it. Everything that happens
 * goes into one trace, so one seed replays byte for byte.
 */
import { SimClock } from './clock.ts';
import { ExecsimError } from './errors.ts';
import type { Fault } from './faults/fault.ts';
import { FaultInjector } from './faults/injector.ts';
import { kernelFaultKinds } from './faults/kernelKinds.ts';
import { SimFileSystem, type FsWriterOptions } from './fs/simFs.ts';
import { quiescence, quiescenceBatched } from './globals.ts';
import { Kernel, type ActorError, type Livelock } from './kernel.ts';
import type { Network } from './net/network.ts';
import { SimNetwork } from './net/simNetwork.ts';
import { resolveOptions, validateWriter, type WorldOptions, type WorldOptionsInput } from './options.ts';
import type { Ports } from './ports/index.ts';
import { ProcessTable } from './proc/processTable.ts';
import { RngStreams, type Rng } from './rng.ts';
import { Scheduler, type SchedulerStats, type TaskScheduler } from './scheduler.ts';
import { Trace } from './trace.ts';

export interface HostOptions {
  /** This host's file writer: mtime granularity and skew. */
  fs?: Partial<FsWriterOptions>;
}

export type RunStatus =
  /** Nothing left to do and no actor waiting. */
  | 'idle'
  /** Reached `untilMs`. */
  | 'until'
  /** Nothing scheduled, but actors still wait: they would wait forever. */
  | 'stalled'
  /** `stop()` was called. */
  | 'stopped'
  /** Ran `limits.maxEvents` tasks (a livelock guard): `livelock` says so. */
  | 'budget'
  /** More work at one virtual instant than `limits.maxInstantWork`: time stood still (`livelock`). */
  | 'livelock'
  /** Reached `limits.maxTimeMs`. */
  | 'time-limit';

/** How far a world has got, for progress lines. */
export interface WorldProgress {
  timeMs: number;
  /** Tasks run so far. */
  events: number;
}

export interface RunResult {
  status: RunStatus;
  /** Virtual ms when the run ended. */
  timeMs: number;
  /** Tasks executed by this run. */
  events: number;
  /** For `stalled`: the actors still waiting. */
  waiting: string[];
  /** For `stopped`: the reason given. */
  reason?: string;
}

export interface SpawnOptions {
  /** A daemon actor may wait forever (a server loop); it never makes the world `stalled`. */
  daemon?: boolean;
}

/**
 * How a world is driven. The defaults are the simulator's (virtual time, simulated network);
 * real mode (sim/real/realWorld.ts) passes a real-time scheduler and a loopback network.
 */
export interface WorldDrivers {
  scheduler?(rng: Rng, shuffle: boolean): TaskScheduler;
  network?(kernel: Kernel, rng: Rng, options: WorldOptions['net']): Network;
}

export class World {
  readonly options: WorldOptions;
  readonly seed: number;
  readonly trace = new Trace();
  readonly rng: RngStreams;
  readonly net: Network;
  readonly fs: SimFileSystem;
  readonly proc: ProcessTable;
  readonly faults: FaultInjector;
  private readonly sched: TaskScheduler;
  private readonly kernel: Kernel;
  private readonly hosts = new Map<string, Ports>();
  private readonly actors = new Map<string, { daemon: boolean }>();
  private actorCount = 0;
  private running = false;
  private progress: { fn: (p: WorldProgress) => void; every: number } | undefined;
  /** Tasks run over every `run` call (for progress). */
  private tasksRun = 0;
  private stopReason: string | undefined;

  constructor(input: WorldOptionsInput, drivers: WorldDrivers = {}) {
    this.options = resolveOptions(input);
    this.seed = this.options.seed;
    this.rng = new RngStreams(this.seed);
    this.sched =
      drivers.scheduler?.(this.rng.get('sched'), this.options.sched.shuffle) ??
      new Scheduler(this.rng.get('sched'), this.options.sched.shuffle);
    this.kernel = new Kernel(this.sched, this.trace, this.rng);
    this.kernel.instantBudget = this.options.limits.maxInstantWork;
    this.net =
      drivers.network?.(this.kernel, this.rng.get('net'), this.options.net) ??
      new SimNetwork(this.kernel, this.rng.get('net'), this.options.net);
    this.fs = new SimFileSystem(this.kernel);
    this.proc = new ProcessTable(this.kernel, this.options.proc);
    this.faults = new FaultInjector(this.kernel);
    for (const kind of kernelFaultKinds(this.net, this.fs, this.proc)) this.faults.define(kind);
    this.faults.onHeal(() => this.net.heal());
    this.faults.onHeal(() => this.fs.heal());
    this.faults.onHeal(() => this.proc.heal());
    this.kernel.record('world', 'world.start', { seed: this.seed });
    if (this.options.faults.length > 0) this.faults.schedule(this.options.faults);
  }

  now(): number {
    return this.sched.now();
  }

  /** The ports of one host (created on first use). Hosts are named machines: `client`, `server`. */
  host(name: string, options: HostOptions = {}): Ports {
    const existing = this.hosts.get(name);
    if (existing) {
      if (options.fs) throw new ExecsimError('EXECSIM_OPTIONS_INVALID', `host "${name}" already exists; give its options on first use`);
      return existing;
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new ExecsimError('EXECSIM_OPTIONS_INVALID', `host name ${JSON.stringify(name)}: use letters, digits, "_", "." or "-"`);
    }
    const writer: FsWriterOptions = { ...this.options.fs, ...options.fs };
    const problems = validateWriter(writer, `hosts.${name}.fs`);
    if (problems.length > 0) throw new ExecsimError('EXECSIM_OPTIONS_INVALID', problems.join('; '), problems);
    const k = this.kernel;
    const random = this.rng.get(`host:${name}`);
    const ports: Ports = {
      host: name,
      clock: new SimClock(this.sched, name, (lane, label) => k.step(lane, label)),
      net: this.net.port(name),
      fs: this.fs.port(name, writer),
      proc: this.proc.port(name),
      random,
      log: (kind, data) => k.record(name, kind, data),
    };
    this.hosts.set(name, ports);
    return ports;
  }

  /**
   * Starts an actor: an async function that runs inside the world from its next turn. A throw
   * is recorded in the trace and in `errors`.
   */
  spawn(name: string, fn: () => Promise<unknown>, options: SpawnOptions = {}): void {
    const id = `${name}#${++this.actorCount}`;
    this.actors.set(id, { daemon: options.daemon ?? false });
    this.kernel.at(0, name, `start ${name}`, () => {
      this.kernel.record(name, 'actor.start', { actor: id });
      fn().then(
        () => {
          this.actors.delete(id);
          // an actor that ends in the turn its world livelocked ends quietly
          if (!this.kernel.livelock) this.kernel.record(name, 'actor.end', { actor: id });
        },
        (e: unknown) => {
          this.actors.delete(id);
          this.kernel.reportError(name, e);
        },
      );
    });
  }

  /** Schedules a fault list (validated first: a bad one throws EXECSIM_FAULT_INVALID). */
  schedule(faults: readonly Fault[], path = 'faults'): void {
    this.faults.schedule(faults, path);
  }

  /** Liveness mode: end every fault window now and skip faults scheduled later. */
  heal(): void {
    this.faults.heal();
  }

  /** Heals at a virtual time (the end of the fault window in liveness mode). */
  healAt(atMs: number): void {
    this.kernel.at(Math.max(0, atMs - this.now()), 'faults', 'heal', () => this.heal());
  }

  /**
   * A host-side observer for long runs (progress lines), told every `everyTasks` tasks how far
   * virtual time has got. It must not act on the world: the trace never depends on it.
   */
  onProgress(fn: (p: WorldProgress) => void, everyTasks = 4096): void {
    this.progress = { fn, every: Math.max(1, Math.floor(everyTasks)) };
    // a turn that goes on (continuations working without a task between) still says how far it is
    // named first: a closure assigned straight to a property is allocated in old space, and would
    // keep this world alive through minor GCs (test/helpers/retentionScan.ts)
    const longTurn = (): void => fn({ timeMs: this.sched.now(), events: this.tasksRun });
    this.kernel.onLongTurn = longTurn;
  }

  /** Why the world stopped making progress, if it did (a run then ends with `livelock` or `budget`). */
  get livelock(): Livelock | undefined {
    return this.kernel.livelock;
  }

  /** The most work (tasks run, events recorded, timers set) any one virtual instant took so far. */
  get maxInstantWork(): number {
    return this.kernel.maxInstantWork;
  }

  /** Ends the current `run` after the task that calls it. */
  stop(reason = 'stopped'): void {
    this.stopReason = reason;
  }

  /** Records a throw on behalf of an actor (judged as `no-crash`, like any actor's). */
  reportError(actor: string, e: unknown): void {
    this.kernel.reportError(actor, e);
  }

  get errors(): readonly ActorError[] {
    return this.kernel.errors;
  }

  /** Records an event on behalf of the harness (targets use it for observations). */
  record(actor: string, kind: string, data?: Record<string, unknown>): void {
    this.kernel.record(actor, kind, data);
  }

  /** The simulator scheduler's counters (undefined in real mode), for the bench. */
  get schedulerStats(): Readonly<SchedulerStats> | undefined {
    return this.sched instanceof Scheduler ? this.sched.stats : undefined;
  }

  traceHash(): string {
    return this.trace.hash();
  }

  /**
   * Runs until nothing is left to do, `untilMs` is reached, `stop()` is called, or a limit.
   * After each task it waits for quiescence (every promise continuation has run); time moves
   * only when nothing is ready.
   */
  async run(untilMs?: number): Promise<RunResult> {
    if (this.running) throw new ExecsimError('EXECSIM_WORLD_BUSY', 'world.run() is already running');
    this.running = true;
    this.stopReason = undefined;
    const sched = this.sched;
    // virtual time has no real I/O to let in between tasks: the batched barrier is enough
    const barrier = sched instanceof Scheduler ? quiescenceBatched : quiescence;
    const horizon = untilMs ?? this.options.limits.maxTimeMs;
    let reached = false;
    const sentinel = sched.schedule(
      Math.max(0, horizon - sched.now()),
      'world',
      'horizon',
      () => {
        reached = true;
      },
      false,
    );
    let events = 0;
    let status: RunStatus;
    try {
      await barrier();
      for (;;) {
        if (this.kernel.livelock) {
          // the turn that livelocked is over: whatever still runs finds a world that does nothing
          this.kernel.endHaltTurn();
          status = 'livelock';
          break;
        }
        if (this.stopReason !== undefined) {
          status = 'stopped';
          break;
        }
        const pick = sched.take();
        if (!pick) {
          if (reached) {
            status = untilMs === undefined ? 'time-limit' : 'until';
            break;
          }
          if (sched.refTimers === 0) {
            status = this.waitingActors().length > 0 ? 'stalled' : 'idle';
            break;
          }
          const waited = sched.advance();
          if (typeof waited !== 'boolean') await waited;
          continue;
        }
        const { task, lanes } = pick;
        try {
          this.kernel.taskRan(task.lane, task.label);
          if (lanes > 1) this.kernel.record('sched', 'sched.pick', { lane: task.lane, label: task.label, of: lanes });
          task.fn();
        } catch (e) {
          this.kernel.reportError(task.lane, e);
        }
        if (++this.tasksRun % (this.progress?.every ?? Infinity) === 0) this.progress?.fn({ timeMs: sched.now(), events: this.tasksRun });
        if (++events >= this.options.limits.maxEvents) {
          this.kernel.halt('run', events, this.options.limits.maxEvents);
          status = 'budget';
          break;
        }
        await barrier();
      }
    } finally {
      sched.cancel(sentinel);
      this.running = false;
    }
    const result: RunResult = { status, timeMs: sched.now(), events, waiting: status === 'stalled' ? this.waitingActors() : [] };
    if (status === 'stopped') result.reason = this.stoppedBecause();
    this.kernel.recordFree('world', 'world.run-end', { status, events, waiting: result.waiting });
    return result;
  }

  private stoppedBecause(): string {
    return this.stopReason ?? 'stopped';
  }

  private waitingActors(): string[] {
    const out: string[] = [];
    for (const [id, a] of this.actors) if (!a.daemon) out.push(id);
    return out;
  }
}

export function createWorld(options: WorldOptionsInput): World {
  return new World(options);
}
