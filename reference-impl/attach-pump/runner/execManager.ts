/**
 * `ExecManager` / `ManagedExec` (exec_manager.go): executions by id, their two stream buses, the
 * single-attach slot, and the reaper. The wait goroutine runs `handle.Wait`, stores the exit
 * code, then its defers close the stderr bus, the stdout bus and `Done`, in that order. Done
 * fires when every pipe has closed (the merged #563 drain: Wait returns only after the last
 * output callback), so a live subscriber sees the whole output before the exit frame.
 */
import type { Ports, Proc, ProcessHandle, ProcessScript, Signal, TimerHandle } from '../../../sim/ports/index.ts';
import { RUNNER } from '../constants.ts';
import type { StreamName, Totals } from '../wire.ts';
import { StreamBus } from './streamBus.ts';

export interface RunnerSizes {
  /** Per-stream backlog (default 256 KiB). */
  backlogBytesMax: number;
  /** Chunks per subscriber channel (default 256). */
  subscriberChunksMax: number;
}

export class ManagedExec {
  readonly stdout: StreamBus;
  readonly stderr: StreamBus;
  done = false;
  exitCode = 0;
  /** Stamped by the first reaper tick that sees Done (retention starts there). */
  doneAt: number | undefined;
  connected = false;
  lastDisconnectAt: number;
  signaledHUP = false;
  signaledTERM = false;
  reapingKill = false;
  private readonly doneListeners: Array<() => void> = [];

  constructor(
    readonly id: string,
    readonly boxId: string,
    readonly created: number,
    readonly proc: ProcessHandle,
    sizes: RunnerSizes,
    onDrop: (stream: StreamName, bytes: number) => void,
  ) {
    this.stdout = new StreamBus('stdout', sizes.backlogBytesMax, onDrop);
    this.stderr = new StreamBus('stderr', sizes.backlogBytesMax, onDrop);
    // A never-attached exec is still reaped: the clock starts at creation.
    this.lastDisconnectAt = created;
  }

  bus(stream: StreamName): StreamBus {
    return stream === 'stdout' ? this.stdout : this.stderr;
  }

  totals(): Totals {
    return { stdout: this.stdout.total, stderr: this.stderr.total };
  }

  onDone(fn: () => void): void {
    if (this.done) fn();
    else this.doneListeners.push(fn);
  }

  /** The wait goroutine's defers: stderr bus, stdout bus, then Done. */
  finish(exitCode: number): void {
    if (this.done) return;
    this.exitCode = exitCode;
    this.stderr.close();
    this.stdout.close();
    this.done = true;
    for (const fn of this.doneListeners.splice(0)) fn();
  }

  /** `MarkConnected`: claims the single-attach slot; false while attached or being reaped. */
  markConnected(): boolean {
    if (this.connected || this.reapingKill) return false;
    this.connected = true;
    this.signaledHUP = false;
    this.signaledTERM = false;
    return true;
  }

  /** `MarkDisconnected`: frees the slot and restarts the reap clock. */
  markDisconnected(now: number): void {
    this.connected = false;
    this.lastDisconnectAt = now;
  }
}

export class ExecManager {
  readonly execs = new Map<string, ManagedExec>();
  private nextId = 1;
  /** Set by a retention fault: Done execs are evicted at once instead of after 5 min; told of each it evicts. */
  private retentionExpired: ((id: string) => void) | undefined;
  private reaper: TimerHandle | undefined;

  constructor(
    private readonly ports: Ports,
    private readonly boxProc: Proc,
    private readonly sizes: RunnerSizes,
  ) {}

  /** `Start`: runs the command in the box and returns its execution id. */
  start(boxId: string, command: string, script: ProcessScript): ManagedExec {
    const id = `exec-${this.nextId++}`;
    const proc = this.boxProc.run(script, { name: 'cmd', cmdline: command });
    const e = new ManagedExec(id, boxId, this.ports.clock.now(), proc, this.sizes, (stream, bytes) =>
      this.ports.log('runner.drop', { exec: id, stream, bytes }),
    );
    proc.on('output', (stream, chunk) => e.bus(stream).write(chunk));
    proc.on('close', () => {
      e.finish(proc.exitStatus?.code ?? -1);
      if (this.retentionExpired && this.execs.get(e.id) === e) {
        this.evict(e, 'retention expired');
        this.retentionExpired(e.id);
      }
    });
    this.execs.set(id, e);
    return e;
  }

  /** `GetForBox`: undefined for an unknown id or a box mismatch (both 404). */
  getForBox(id: string, boxId: string): ManagedExec | undefined {
    const e = this.execs.get(id);
    return e && e.boxId === boxId ? e : undefined;
  }

  /** `Kill` (DELETE): SIGKILL and evict at once. */
  kill(id: string): boolean {
    const e = this.execs.get(id);
    if (!e) return false;
    e.reapingKill = true;
    if (!e.done) e.proc.kill('SIGKILL');
    this.evict(e, 'killed');
    return true;
  }

  /**
   * Retention elapsed (a fault): every Done exec is evicted now, later ones when they finish;
   * `evicted` is told of each. False if it had expired already (the call changes nothing).
   */
  expireRetention(evicted: (id: string) => void = () => undefined): boolean {
    if (this.retentionExpired) return false;
    this.retentionExpired = evicted;
    for (const e of [...this.execs.values()])
      if (e.done) {
        this.evict(e, 'retention expired');
        evicted(e.id);
      }
    return true;
  }

  /** The cleanup loop: one tick every 30 s, on unref'd timers (it never keeps a world alive). */
  startReaper(): void {
    const tick = (): void => {
      const now = this.ports.clock.now();
      for (const e of [...this.execs.values()]) this.evaluate(e, now);
      this.reaper = this.ports.clock.setTimeout(tick, RUNNER.cleanupTickMs, 'reaper tick').unref();
    };
    this.reaper = this.ports.clock.setTimeout(tick, RUNNER.cleanupTickMs, 'reaper tick').unref();
  }

  /** `Stop`: ends the cleanup loop (upstream tests use it to drive reaping by hand). */
  stop(): void {
    this.ports.clock.clearTimeout(this.reaper);
    this.reaper = undefined;
  }

  /** `evaluateExec`: retention of Done execs, the lifetime cap, then orphan escalation. */
  private evaluate(e: ManagedExec, now: number): void {
    if (e.done) {
      e.doneAt ??= now;
      if (now - e.doneAt > RUNNER.retentionMs) this.evict(e, 'retention');
      return;
    }
    if (now - e.created > RUNNER.maxSessionLifetimeMs || e.reapingKill) {
      this.kill(e.id);
      return;
    }
    if (e.connected) return;
    const idleMs = now - e.lastDisconnectAt;
    if (!e.signaledHUP) {
      if (idleMs > RUNNER.reconnectGraceMs) this.escalate(e, 'SIGHUP', now);
    } else if (!e.signaledTERM) {
      if (idleMs > RUNNER.shutdownGraceMs) this.escalate(e, 'SIGTERM', now);
    } else if (idleMs > RUNNER.shutdownGraceMs) {
      this.ports.log('runner.reap', { exec: e.id, step: 'SIGKILL' });
      this.kill(e.id);
    }
  }

  private escalate(e: ManagedExec, signal: Signal, now: number): void {
    if (signal === 'SIGHUP') e.signaledHUP = true;
    else e.signaledTERM = true;
    e.lastDisconnectAt = now;
    this.ports.log('runner.reap', { exec: e.id, step: signal });
    e.proc.kill(signal);
  }

  private evict(e: ManagedExec, why: string): void {
    if (this.execs.get(e.id) !== e) return;
    e.reapingKill = true;
    this.execs.delete(e.id);
    e.stdout.close();
    e.stderr.close();
    this.ports.log('runner.evict', { exec: e.id, why });
  }
}
