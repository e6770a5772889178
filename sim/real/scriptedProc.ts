/**
 * A Proc whose `run` plays a ProcessScript on a real (or dilated) clock: the command in the box
 * of a real run is scripted, so its output and its ending are known in advance (the truth), and
 * what it really wrote, when, is recorded here for the checkers. Only what the attach runner
 * uses is supported: output, exit, SIGKILL/SIGTERM/SIGHUP (terminate at once), no stdin echo; a
 * grandchild holding the pipes (`childHoldsPipesMs`) delays the close after the exit.
 */
import type { Clock, TimerHandle } from '../ports/clock.ts';
import type {
  ExitStatus,
  OutputStream,
  Proc,
  ProcessEvents,
  ProcessHandle,
  ProcessScript,
  ProcStat,
  Signal,
  SpawnSpec,
} from '../ports/proc.ts';

export interface ScriptedRecord {
  name: string;
  output: Array<{ t: number; stream: OutputStream; data: Uint8Array }>;
  exit?: { t: number; status: ExitStatus };
  /** When both pipes closed. */
  closedAt?: number;
}

type Listeners = { [E in keyof ProcessEvents]: Array<ProcessEvents[E]> };

class ScriptedProcess implements ProcessHandle {
  readonly startTimeTicks = 0;
  exitStatus: ExitStatus | undefined;
  private readonly listeners: Listeners = { output: [], exit: [], close: [] };
  private readonly timers: TimerHandle[] = [];
  private signalHandler: ((s: Signal) => void) | undefined;
  private isClosed = false;
  private readonly holdsPipesMs: number;

  constructor(
    readonly pid: number,
    readonly name: string,
    private readonly clock: Clock,
    private readonly rec: ScriptedRecord,
    script: ProcessScript,
  ) {
    this.holdsPipesMs = script.childHoldsPipesMs ?? 0;
    for (const s of script.steps) this.timers.push(clock.setTimeout(() => this.write(s.stream, s.data), s.atMs));
    const end = script.end;
    if (end) this.timers.push(clock.setTimeout(() => this.finish('code' in end ? { code: end.code, signal: null } : { code: null, signal: end.signal }), end.atMs));
  }

  on<E extends keyof ProcessEvents>(event: E, listener: ProcessEvents[E]): this {
    (this.listeners[event] as Array<ProcessEvents[E]>).push(listener);
    return this;
  }
  off<E extends keyof ProcessEvents>(event: E, listener: ProcessEvents[E]): this {
    const l = this.listeners[event] as Array<ProcessEvents[E]>;
    const i = l.indexOf(listener);
    if (i >= 0) l.splice(i, 1);
    return this;
  }
  wait(): Promise<ExitStatus> {
    return this.exitStatus ? Promise.resolve(this.exitStatus) : new Promise((r) => this.on('exit', r));
  }
  closed(): Promise<void> {
    return this.isClosed ? Promise.resolve() : new Promise((r) => this.on('close', r));
  }
  write(stream: OutputStream, chunk: Uint8Array | string): void {
    if (this.exitStatus) return;
    const data = typeof chunk === 'string' ? new Uint8Array(Buffer.from(chunk)) : chunk;
    this.rec.output.push({ t: this.clock.now(), stream, data });
    for (const l of this.listeners.output) l(stream, data);
  }
  exit(code: number): void {
    this.finish({ code, signal: null });
  }
  kill(signal: Signal = 'SIGTERM'): void {
    if (signal !== 'SIGKILL' && this.signalHandler) this.signalHandler(signal);
    else this.finish({ code: null, signal });
  }
  onSignal(handler: (signal: Signal) => void): void {
    this.signalHandler = handler;
  }
  stdin(): boolean {
    return !this.exitStatus;
  }
  closeStdin(): void {}

  /** Ends: no more writes, then exit and close (the pipes close with it, or once the grandchild lets go). */
  private finish(status: ExitStatus): void {
    if (this.exitStatus) return;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.exitStatus = status;
    this.rec.exit = { t: this.clock.now(), status };
    for (const l of this.listeners.exit) l(status);
    if (this.holdsPipesMs > 0) this.timers.push(this.clock.setTimeout(() => this.close(), this.holdsPipesMs));
    else this.close();
  }

  private close(): void {
    this.isClosed = true;
    this.rec.closedAt = this.clock.now();
    for (const l of this.listeners.close) l();
  }

  /** Stops its timers without an exit (the run is over). */
  dispose(): void {
    for (const t of this.timers) this.clock.clearTimeout(t);
  }
}

export class ScriptedProc implements Proc {
  readonly ticksPerSecond = 100;
  readonly records: ScriptedRecord[] = [];
  private readonly procs: ScriptedProcess[] = [];
  private nextPid = 1000;

  constructor(private readonly clock: Clock) {}

  run(script: ProcessScript, spec: SpawnSpec): ProcessHandle {
    const rec: ScriptedRecord = { name: spec.name, output: [] };
    this.records.push(rec);
    const p = new ScriptedProcess(this.nextPid++, spec.name, this.clock, rec, script);
    this.procs.push(p);
    return p;
  }
  spawn(): ProcessHandle {
    throw new Error('scripted proc: only run(script) is supported');
  }
  kill(): void {
    throw new Error('scripted proc: kill by pid is not supported');
  }
  stat(): ProcStat | undefined {
    return undefined;
  }
  list(): ProcStat[] {
    return [];
  }
  dispose(): void {
    for (const p of this.procs) p.dispose();
  }
}
