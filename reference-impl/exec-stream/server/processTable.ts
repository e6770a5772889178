/**
 * The processes of one session (`LocalProcess`, local_process.rs, spec §1.3-§1.6). Output is
 * read by two pump tasks and the exit by a watcher task; each assigns the next seq in one
 * synchronous step (the process-map lock) and sends its notification afterwards from its own
 * task, so notifications may leave out of seq order. Closed is emitted once, when both pumps
 * ended and the exit is recorded, and always takes the largest seq. The entry is forgotten
 * EXITED_PROCESS_RETENTION after Closed.
 */
import { SIGNAL_NUMBERS, TIMED_OUT, withTimeout, type ExitStatus, type OutputStream, type Ports } from '../../../sim/ports/index.ts';
import {
  METHOD,
  fromBase64,
  toBase64,
  type ReadParams,
  type ReadResult,
  type StartParams,
  type StartResult,
  type WriteParams,
  type WriteStatus,
} from '../protocol/wire.ts';
import { isLikelySandboxDenied } from './denial.ts';
import type { ServerKnobs } from './knobs.ts';
import type { ProcessLauncher } from './launcher.ts';
import type { ServerLedger } from './ledger.ts';
import { internalError, invalidParams, invalidRequest } from './rpcFailure.ts';
import { RunningProcess } from './runningProcess.ts';
import { TaskQueue } from './taskQueue.ts';

export const EXITED_PROCESS_RETENTION_MS = 30_000;
/** How long a sandboxed exit waits for trailing output before classifying the denial. */
export const DENIAL_OUTPUT_WAIT_MS = 20;

/** Sends a notification if a connection is attached; false when it was dropped (detached). */
export type Notify = (method: string, params: unknown) => boolean;

export interface ProcessTableDeps {
  ports: Ports;
  knobs: ServerKnobs;
  launcher: ProcessLauncher;
  ledger: ServerLedger;
  notify: Notify;
}

interface Tasks {
  stdout: TaskQueue;
  stderr: TaskQueue;
  exit: TaskQueue;
}

export class ProcessTable {
  private readonly procs = new Map<string, RunningProcess>();

  constructor(private readonly d: ProcessTableDeps) {}

  start(params: StartParams): StartResult {
    if (!Array.isArray(params.argv) || params.argv.length === 0) throw invalidParams('argv must not be empty');
    if (typeof params.cwd !== 'string' || !params.cwd.startsWith('file://'))
      throw invalidParams('invalid URI: relative URL without a base');
    if (this.procs.has(params.processId)) throw invalidRequest(`process ${params.processId} already exists`);
    let launched;
    try {
      launched = this.d.launcher.launch(params);
    } catch (e) {
      throw internalError(e instanceof Error ? e.message : String(e));
    }
    const p = new RunningProcess(params.processId, launched.handle, params.tty, params.pipeStdin ?? false, launched.sandboxType);
    this.procs.set(p.processId, p);
    this.wire(p);
    this.d.ledger.starts.push({ t: this.d.ports.clock.now(), processId: p.processId });
    this.d.ports.log('exec-server.start', { processId: p.processId, pid: p.handle.pid, sandboxType: p.sandboxType });
    return { processId: p.processId, sandboxType: p.sandboxType };
  }

  async read(params: ReadParams): Promise<ReadResult> {
    const { knobs, ports } = this.d;
    const readError = knobs.readErrors[0];
    if (readError) {
      if (--readError.left === 0) knobs.readErrors.shift();
      readError.failed(params.processId);
      this.d.ledger.readErrors.push({ t: ports.clock.now(), processId: params.processId });
      ports.log('exec-server.read-error', { processId: params.processId });
      throw internalError('injected: process/read failed');
    }
    const afterSeq = params.afterSeq ?? 0;
    const maxBytes = params.maxBytes ?? null;
    const deadline = ports.clock.now() + (params.waitMs ?? 0);
    for (;;) {
      const p = this.procs.get(params.processId);
      if (!p) throw invalidRequest(`unknown process id ${params.processId}`);
      const oldRule = () => knobs.legacyAnswered?.(`the nextSeq of a process/read of ${params.processId}`);
      const r = p.snapshot(afterSeq, maxBytes, knobs.oldNextSeq, oldRule);
      // Return at once unless nothing new is observable (#19130: an exit already seen is not new).
      const newExit = r.exited && afterSeq < r.nextSeq - 1;
      const remaining = deadline - ports.clock.now();
      if (r.chunks.length > 0 || r.closed || newExit || remaining <= 0) return r;
      const woken = new Promise<void>((resolve) => p.waiters.push(resolve));
      if ((await withTimeout(ports.clock, woken, remaining, 'read-wait')) === TIMED_OUT) {
        const again = this.procs.get(params.processId);
        if (!again) throw invalidRequest(`unknown process id ${params.processId}`);
        return again.snapshot(afterSeq, maxBytes, knobs.oldNextSeq, oldRule);
      }
    }
  }

  write(params: WriteParams): WriteStatus {
    const p = this.procs.get(params.processId);
    if (!p) return 'unknownProcess';
    if (!p.tty && !p.pipeStdin) return 'stdinClosed';
    if (!p.rememberWrite(params.writeId)) return 'accepted'; // a retried write: bytes already sent
    if (!p.handle.stdin(fromBase64(params.chunk))) throw internalError('failed to write to process stdin');
    return 'accepted';
  }

  signal(processId: string): void {
    const p = this.procs.get(processId);
    if (p && p.exitCode === null) p.handle.kill('SIGINT');
  }

  terminate(processId: string): { running: boolean } {
    const p = this.procs.get(processId);
    if (!p || p.exitCode !== null) return { running: false };
    p.handle.kill('SIGKILL');
    return { running: true };
  }

  /** The session expired: kill what still runs. */
  terminateAll(): void {
    for (const p of this.procs.values()) if (p.exitCode === null) p.handle.kill('SIGKILL');
  }

  /** The `exit-watcher-lost` fault: every exit channel still open is dropped now (exit code -1). */
  /** Drops the exit channel of every process whose exit is still to come; their ids. */
  dropExitWatchers(): string[] {
    const ids = [...this.exitChannels.keys()];
    for (const drop of [...this.exitChannels.values()]) drop();
    return ids;
  }

  /** Processes whose exit is not yet known, and how to drop their exit channel. */
  private readonly exitChannels = new Map<string, () => void>();

  private wire(p: RunningProcess): void {
    const { ports, knobs } = this.d;
    const tasks: Tasks = {
      stdout: new TaskQueue(ports.clock, 'stdout-pump'),
      stderr: new TaskQueue(ports.clock, 'stderr-pump'),
      exit: new TaskQueue(ports.clock, 'exit-watcher'),
    };
    const jitter = (max: number) => (max > 0 ? ports.random.int(0, max) : 0);
    p.handle.on('output', (stream, chunk) =>
      tasks[stream].enqueue(jitter(knobs.pipeJitterMsMax), () => this.onChunk(p, tasks, stream, chunk)),
    );
    p.handle.on('close', () => {
      for (const s of ['stdout', 'stderr'] as const) tasks[s].enqueue(0, () => this.onStreamEnd(p, tasks[s]));
    });
    let exited = false;
    const onExit = (code: number, watcherLost: boolean) => {
      if (exited) return;
      exited = true;
      this.exitChannels.delete(p.processId);
      tasks.exit.enqueue(0, () => this.onExit(p, tasks.exit, code, watcherLost));
    };
    this.exitChannels.set(p.processId, () => onExit(-1, true));
    // The child's status. A signal has no code; the 0.169 binary reports 128 + the signal number
    // (observed: `kill -9 $$` gives exitCode 137), the shell's convention.
    p.handle.on('exit', (s: ExitStatus) => onExit(s.code ?? (s.signal ? 128 + SIGNAL_NUMBERS[s.signal] : -1), false));
  }

  private onChunk(p: RunningProcess, tasks: Tasks, pipe: OutputStream, chunk: Uint8Array): void {
    const { knobs, ledger, ports } = this.d;
    if (this.procs.get(p.processId) !== p) return;
    const stream = p.tty ? 'pty' : pipe;
    const seq = p.takeSeq();
    const offset = p.streamBytes[stream] ?? 0;
    p.streamBytes[stream] = offset + chunk.length;
    ledger.seqs.push({ t: ports.clock.now(), processId: p.processId, seq, type: 'output', stream, offset, bytes: chunk.length });
    const evicted = p.retain({ seq, stream, chunk }, knobs.retainedBytesMax, knobs.retainedChunksMax);
    for (const e of evicted) ledger.evicted.push({ t: ports.clock.now(), processId: p.processId, seq: e });
    if (evicted.length > 0) {
      ports.log('exec-server.evict', { processId: p.processId, seqs: evicted });
      knobs.retentionEvicted?.(p.processId, evicted);
    }
    p.wakeReaders();
    const params = { processId: p.processId, seq, stream, chunk: toBase64(chunk) };
    this.send(tasks[pipe], seq, METHOD.output, params);
  }

  private onStreamEnd(p: RunningProcess, task: TaskQueue): void {
    if (p.openStreams > 0) p.openStreams--;
    p.wakeReaders();
    this.maybeEmitClosed(p, task);
  }

  private async onExit(p: RunningProcess, task: TaskQueue, code: number, watcherLost: boolean): Promise<void> {
    const { ports, ledger, knobs } = this.d;
    if (p.sandboxType !== 'none' && !watcherLost) {
      // Give trailing output up to 20 ms to arrive before classifying (still racy: spec F8).
      const deadline = ports.clock.now() + DENIAL_OUTPUT_WAIT_MS;
      while (p.openStreams > 0 && ports.clock.now() < deadline) {
        const woken = new Promise<void>((resolve) => p.waiters.push(resolve));
        await withTimeout(ports.clock, woken, deadline - ports.clock.now(), 'denial-wait');
      }
    }
    if (this.procs.get(p.processId) !== p) return;
    const seq = p.takeSeq();
    p.exitCode = code;
    p.sandboxDenied = isLikelySandboxDenied(p.sandboxType, code, p.retainedText());
    ledger.seqs.push({
      t: ports.clock.now(),
      processId: p.processId,
      seq,
      type: 'exited',
      exitCode: code,
      sandboxDenied: p.sandboxDenied,
      watcherLost,
    });
    ports.log('exec-server.exited', { processId: p.processId, seq, exitCode: code, sandboxDenied: p.sandboxDenied, watcherLost });
    p.wakeReaders();
    const params = knobs.legacyExited
      ? { processId: p.processId, seq, exitCode: code }
      : { processId: p.processId, seq, exitCode: code, sandboxDenied: p.sandboxDenied };
    if (knobs.legacyExited) knobs.legacyAnswered?.(`the process/exited of ${p.processId}`);
    this.send(task, seq, METHOD.exited, params);
    this.maybeEmitClosed(p, task);
  }

  private maybeEmitClosed(p: RunningProcess, task: TaskQueue): void {
    const { ports, ledger } = this.d;
    if (p.closed || p.openStreams !== 0 || p.exitCode === null) return;
    p.closed = true;
    const seq = p.takeSeq();
    ledger.seqs.push({ t: ports.clock.now(), processId: p.processId, seq, type: 'closed' });
    p.wakeReaders();
    ports.clock
      .setTimeout(
        () => {
          if (this.procs.get(p.processId) !== p) return;
          this.procs.delete(p.processId);
          ledger.forgotten.push({ t: ports.clock.now(), processId: p.processId });
          ports.log('exec-server.forget', { processId: p.processId });
        },
        EXITED_PROCESS_RETENTION_MS,
        'exited-retention',
      )
      .unref();
    this.send(task, seq, METHOD.closed, { processId: p.processId, seq });
  }

  /** Sends from a task after its delay: a held seq (notification-reorder) or the natural jitter. */
  private send(task: TaskQueue, seq: number, method: string, params: { processId: string; seq: number }): void {
    const { knobs, ports, ledger } = this.d;
    const hold = knobs.holds.get(seq);
    if (hold !== undefined) {
      knobs.holds.delete(seq);
      hold.held?.(params.processId);
    }
    const delay = hold?.ms ?? (knobs.sendJitterMsMax > 0 ? ports.random.int(0, knobs.sendJitterMsMax) : 0);
    task.enqueue(delay, () => {
      const sent = this.d.notify(method, params);
      ledger.notifications.push({ t: ports.clock.now(), processId: params.processId, seq, dropped: !sent });
    });
  }
}
