/**
 * The simulated process table. Fault model:
 * - PIDs come from a small cyclic space (Linux-like: the next free pid after the last one
 *   allocated), so they get reused; only the start time, in clock ticks, tells a reused PID
 *   apart.
 * - A process is running until it exits or is killed, then a zombie for `zombieMs` (kill(pid, 0)
 *   still succeeds on a zombie), then gone (ESRCH).
 * - A scripted process can exit while a child keeps its pipes open: `exit` before `close`.
 * - kill: a signal to a named process; pid-reuse: an unrelated process takes a dead process's
 *   pid (at once, or as soon as it dies).
 */
import { Emitter, type FaultToken, type Kernel } from '../kernel.ts';
import type {
  ExitStatus,
  OutputStream,
  Proc,
  ProcessEvents,
  ProcessHandle,
  ProcessScript,
  ProcStat,
  ProcState,
  Signal,
  SpawnSpec,
} from '../ports/proc.ts';

export interface ProcOptions {
  /** Smallest and largest pid handed out; a small range makes reuse common. */
  pidMin: number;
  pidMax: number;
  /** CLK_TCK for start times. */
  ticksPerSecond: number;
  /** Start time of the virtual machine's boot, in ticks (start times are boot-relative). */
  bootTicks: number;
}

/** Ground truth about one process, kept by the table for checkers: what it really wrote and how it ended. */
export interface ProcessRecord {
  pid: number;
  name: string;
  host: string;
  startTimeTicks: number;
  spawnedAt: number;
  output: Array<{ t: number; stream: OutputStream; data: Uint8Array }>;
  exit?: { t: number; status: ExitStatus };
  closedAt?: number;
}

/** V8 keeps a typed array this small in the heap; a larger one gets a backing store of its own. */
const ON_HEAP_BYTES = 64;
const SLAB_BYTES = 4096;

export const DEFAULT_PROC_OPTIONS: ProcOptions = { pidMin: 300, pidMax: 363, ticksPerSecond: 100, bootTicks: 50_000 };

class SimProcess implements ProcessHandle {
  state: ProcState = 'S';
  exitStatus: ExitStatus | undefined;
  pipesOpen = true;
  signalHandler: ((s: Signal) => void) | undefined;
  stdinOpen = true;
  readonly events: Emitter<ProcessEvents>;
  // made on first wait (most processes are never waited on)
  private exitWaiters: Array<(s: ExitStatus) => void> | undefined;
  private closeWaiters: Array<() => void> | undefined;

  constructor(
    private readonly table: ProcessTable,
    kernel: Kernel,
    readonly pid: number,
    readonly ppid: number,
    readonly pgrp: number,
    readonly startTimeTicks: number,
    readonly name: string,
    readonly cmdline: string,
    readonly host: string,
    readonly zombieMs: number,
    /** Its ground truth (kept on the process: no table lookup per output or exit). */
    readonly record: ProcessRecord,
  ) {
    this.events = new Emitter<ProcessEvents>(kernel, () => host);
  }

  on<E extends keyof ProcessEvents>(event: E, listener: ProcessEvents[E]): this {
    this.events.on(event, listener);
    return this;
  }
  off<E extends keyof ProcessEvents>(event: E, listener: ProcessEvents[E]): this {
    this.events.off(event, listener);
    return this;
  }
  wait(): Promise<ExitStatus> {
    if (this.exitStatus) return Promise.resolve(this.exitStatus);
    return new Promise((r) => (this.exitWaiters ??= []).push(r));
  }
  closed(): Promise<void> {
    if (!this.pipesOpen) return Promise.resolve();
    return new Promise((r) => (this.closeWaiters ??= []).push(r));
  }
  write(stream: OutputStream, chunk: Uint8Array | string): void {
    this.table.output(this, stream, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  exit(code: number): void {
    this.table.terminate(this, { code, signal: null }, 0);
  }
  kill(signal: Signal = 'SIGTERM'): void {
    this.table.signal(this, signal);
  }
  onSignal(handler: (signal: Signal) => void): void {
    this.signalHandler = handler;
  }
  stdin(chunk: Uint8Array | string): boolean {
    if (!this.stdinOpen || this.exitStatus) return false;
    this.table.stdin(this, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return true;
  }
  closeStdin(): void {
    this.stdinOpen = false;
  }

  settleExit(): void {
    const s = this.exitStatus as ExitStatus;
    const waiters = this.exitWaiters;
    if (waiters === undefined) return;
    this.exitWaiters = undefined;
    for (const w of waiters) w(s);
  }
  settleClose(): void {
    const waiters = this.closeWaiters;
    if (waiters === undefined) return;
    this.closeWaiters = undefined;
    for (const w of waiters) w();
  }
}

export class ProcessTable {
  private readonly procs = new Map<number, SimProcess>();
  private lastPid: number;
  private readonly echo = new Map<number, number>();
  /** pid-reuse faults waiting for a process to die, by process name. */
  private readonly reuseWhenDead = new Map<string, FaultToken | undefined>();
  /** The last pid each process name had, to reuse it after the process is gone. */
  private readonly lastPidOf = new Map<string, number>();
  /** Every process ever spawned, in spawn order (truth for checkers; not a port). */
  readonly records: ProcessRecord[] = [];
  /** Where the records' copies of output chunks live (see `keep`). */
  private slab: ArrayBuffer | undefined;
  private slabUsed = 0;

  constructor(
    private readonly kernel: Kernel,
    readonly options: ProcOptions,
  ) {
    this.lastPid = options.pidMin - 1;
  }

  port(host: string): Proc {
    return new SimProcPort(this, host);
  }

  /** The table's pids, ascending, as `/proc` lists them. */
  list(): ProcStat[] {
    return [...this.procs.keys()].sort((a, b) => a - b).map((p) => this.stat(p) as ProcStat);
  }

  spawn(host: string, spec: SpawnSpec, forcePid?: number, minTicks = 0): SimProcess {
    const pid = forcePid ?? this.allocate();
    const ticks = Math.max(minTicks, this.options.bootTicks + Math.floor((this.kernel.now() * this.options.ticksPerSecond) / 1000));
    const rec: ProcessRecord = { pid, name: spec.name, host, startTimeTicks: ticks, spawnedAt: this.kernel.now(), output: [] };
    const p = new SimProcess(
      this,
      this.kernel,
      pid,
      spec.ppid ?? 1,
      spec.pgrp ?? pid,
      ticks,
      spec.name,
      spec.cmdline ?? spec.name,
      host,
      spec.zombieMs ?? 0,
      rec,
    );
    p.state = 'R';
    this.procs.set(pid, p);
    this.records.push(rec);
    this.kernel.record('proc', 'proc.spawn', { pid, name: p.name, host, startTimeTicks: ticks, pgrp: p.pgrp });
    return p;
  }

  run(host: string, script: ProcessScript, spec: SpawnSpec): SimProcess {
    const p = this.spawn(host, spec);
    const lane = `proc:${p.pid}`;
    const k = this.kernel;
    for (const step of script.steps) {
      k.at(step.atMs, lane, 'output', () => {
        if (p.exitStatus === undefined) this.output(p, step.stream, Buffer.from(step.data));
      });
    }
    if (script.end) {
      const end = script.end;
      k.at(end.atMs, lane, 'exit', () => {
        if (p.exitStatus !== undefined) return;
        if ('code' in end) this.terminate(p, { code: end.code, signal: null }, script.childHoldsPipesMs ?? 0);
        else this.terminate(p, { code: null, signal: end.signal }, script.childHoldsPipesMs ?? 0);
      });
    }
    if (script.echoStdinAfterMs !== undefined) this.echo.set(p.pid, script.echoStdinAfterMs);
    return p;
  }

  stat(pid: number): ProcStat | undefined {
    const p = this.procs.get(pid);
    if (!p) return undefined;
    // Linux: a zombie's /proc/<pid>/cmdline reads empty (its memory is gone)
    const cmdline = p.state === 'Z' ? '' : p.cmdline;
    return { pid, ppid: p.ppid, pgrp: p.pgrp, state: p.state, startTimeTicks: p.startTimeTicks, name: p.name, cmdline };
  }

  // ---- faults ------------------------------------------------------------------------------

  /** Processes a fault target names: a pid (`"312"`) or a process name. */
  select(target: string): SimProcess[] {
    const out: SimProcess[] = [];
    for (const p of this.procs.values()) if (String(p.pid) === target || p.name === target) out.push(p);
    return out;
  }

  killTarget(target: string, signal: Signal): void {
    const victims = this.select(target).filter((p) => p.state !== 'Z');
    this.kernel.record('proc', 'proc.fault-kill', { target, signal, pids: victims.map((p) => p.pid) });
    this.kernel.faultEffect(
      this.kernel.applying,
      victims.map((p) => `${p.name} (pid ${p.pid})`),
    );
    for (const p of victims) this.signal(p, signal);
  }

  /**
   * An unrelated process takes the pid of the named process: at once if it is gone, else as
   * soon as it is reaped.
   */
  reusePid(target: string): void {
    if (this.select(target).length > 0) {
      this.reuseWhenDead.set(target, this.kernel.applying);
      return;
    }
    const pid = this.lastPidOf.get(target) ?? Number(target);
    if (!Number.isInteger(pid) || this.procs.has(pid)) {
      this.kernel.record('proc', 'proc.pid-reuse-missed', { target });
      return;
    }
    this.squat(pid, target, this.lastTicksOf(pid));
    this.kernel.faultEffect(this.kernel.applying, `pid ${pid} of ${target}`);
  }

  heal(): void {
    this.reuseWhenDead.clear();
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  output(p: SimProcess, stream: OutputStream, chunk: Uint8Array): void {
    if (!p.pipesOpen) return;
    p.record.output.push({ t: this.kernel.now(), stream, data: this.keep(chunk) });
    this.kernel.record('proc', 'proc.output', { pid: p.pid, stream, bytes: chunk.length });
    p.events.emit('output', stream, chunk);
  }

  /**
   * The record's own copy of a chunk (the writer and the listeners keep theirs). A chunk over
   * V8's on-heap limit (64 bytes) would get its own backing store, which the GC has to track and
   * sweep: those copies are cut from a shared slab instead, one per SLAB bytes of a world's output.
   */
  private keep(chunk: Uint8Array): Uint8Array {
    const n = chunk.length;
    if (n <= ON_HEAP_BYTES || n > SLAB_BYTES / 4) return new Uint8Array(chunk);
    if (this.slab === undefined || this.slabUsed + n > SLAB_BYTES) {
      this.slab = new ArrayBuffer(SLAB_BYTES);
      this.slabUsed = 0;
    }
    const copy = new Uint8Array(this.slab, this.slabUsed, n);
    copy.set(chunk);
    this.slabUsed += n;
    return copy;
  }

  stdin(p: SimProcess, chunk: Uint8Array): void {
    const after = this.echo.get(p.pid);
    this.kernel.record('proc', 'proc.stdin', { pid: p.pid, bytes: chunk.length });
    if (after === undefined) return;
    const copy = new Uint8Array(chunk);
    this.kernel.at(after, `proc:${p.pid}`, 'echo', () => {
      if (p.exitStatus === undefined) this.output(p, 'stdout', copy);
    });
  }

  signal(p: SimProcess, signal: Signal): void {
    if (p.exitStatus) return;
    this.kernel.record('proc', 'proc.signal', { pid: p.pid, signal });
    if (signal !== 'SIGKILL' && p.signalHandler) {
      const h = p.signalHandler;
      this.kernel.guard(p.host, () => h(signal));
      return;
    }
    this.terminate(p, { code: null, signal }, 0);
  }

  terminate(p: SimProcess, status: ExitStatus, pipesHeldMs: number): void {
    if (p.exitStatus) return;
    p.exitStatus = status;
    p.state = 'Z';
    p.record.exit = { t: this.kernel.now(), status };
    this.echo.delete(p.pid);
    const k = this.kernel;
    k.record('proc', 'proc.exit', { pid: p.pid, name: p.name, code: status.code, signal: status.signal });
    p.events.emit('exit', status);
    p.settleExit();
    const lane = `proc:${p.pid}`;
    if (pipesHeldMs > 0) {
      // A child inherits the pipes and outlives the parent; it sits in the parent's group.
      const child = this.spawn(p.host, { name: `${p.name}-child`, ppid: 1, pgrp: p.pgrp });
      k.at(pipesHeldMs, `proc:${child.pid}`, 'child-exit', () => {
        this.terminate(child, { code: 0, signal: null }, 0);
        this.closePipes(p);
      });
    } else {
      k.at(0, lane, 'close', () => this.closePipes(p));
    }
    if (p.zombieMs > 0) k.at(p.zombieMs, lane, 'reap', () => this.reap(p));
    else this.reap(p);
  }

  private closePipes(p: SimProcess): void {
    if (!p.pipesOpen) return;
    p.pipesOpen = false;
    p.record.closedAt = this.kernel.now();
    this.kernel.record('proc', 'proc.close', { pid: p.pid });
    p.events.emit('close');
    p.settleClose();
  }

  private reap(p: SimProcess): void {
    if (this.procs.get(p.pid) !== p) return;
    this.procs.delete(p.pid);
    this.kernel.record('proc', 'proc.reaped', { pid: p.pid });
    this.lastPidOf.set(p.name, p.pid);
    if (this.reuseWhenDead.has(p.name)) {
      const fault = this.reuseWhenDead.get(p.name);
      this.reuseWhenDead.delete(p.name);
      this.squat(p.pid, p.name, p.startTimeTicks);
      this.kernel.faultEffect(fault, `pid ${p.pid} of ${p.name}`);
    }
  }

  /** The start time of the last process that had this pid (-1: none). */
  private lastTicksOf(pid: number): number {
    for (let i = this.records.length - 1; i >= 0; i--) if (this.records[i]?.pid === pid) return this.records[i]?.startTimeTicks ?? -1;
    return -1;
  }

  private squat(pid: number, was: string, wasTicks: number): void {
    // A pid comes back only after the whole pid space has cycled, never within the clock tick
    // its first owner started in: the squatter's start time is always later, as on Linux, so a
    // pid + start-time check can always tell them apart.
    const squatter = this.spawn('pid-reuse', { name: 'unrelated', cmdline: 'unrelated-process --not-a-session' }, pid, wasTicks + 1);
    this.kernel.record('proc', 'proc.pid-reused', { pid, was, startTimeTicks: squatter.startTimeTicks });
  }

  killPid(pid: number, signal: Signal | 0): void {
    const p = this.procs.get(pid);
    if (!p) throw Object.assign(new Error(`kill ESRCH (pid ${pid})`), { code: 'ESRCH' });
    if (signal === 0) return;
    this.signal(p, signal);
  }

  private allocate(): number {
    const { pidMin, pidMax } = this.options;
    const span = pidMax - pidMin + 1;
    for (let i = 1; i <= span; i++) {
      const pid = pidMin + ((this.lastPid - pidMin + i) % span);
      if (!this.procs.has(pid)) {
        this.lastPid = pid;
        return pid;
      }
    }
    throw Object.assign(new Error('fork EAGAIN: the pid space is full'), { code: 'EAGAIN' });
  }
}

/** One host's Proc port (a class, so a host costs one object, not a closure per method). */
class SimProcPort implements Proc {
  readonly ticksPerSecond: number;
  constructor(
    private readonly table: ProcessTable,
    private readonly host: string,
  ) {
    this.ticksPerSecond = table.options.ticksPerSecond;
  }
  spawn(spec: SpawnSpec): ProcessHandle {
    return this.table.spawn(this.host, spec);
  }
  run(script: ProcessScript, spec: SpawnSpec): ProcessHandle {
    return this.table.run(this.host, script, spec);
  }
  kill(pid: number, signal?: Signal | 0): void {
    this.table.killPid(pid, signal ?? 'SIGTERM');
  }
  stat(pid: number): ProcStat | undefined {
    return this.table.stat(pid);
  }
  list(): ProcStat[] {
    return this.table.list();
  }
}
