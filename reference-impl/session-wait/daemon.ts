/**
 * The session daemon and its tool, as the wait sees them: files in the session dir and entries
 * in the process table. This is the world around the wait (not the code under test), driven by
 * a plan: setup (state.toml, daemon.pid), a stdout spool, stderr progress, result.toml writes
 * (possibly several: intermediate results rewritten by post-exec gates), then
 * daemon-completion.toml via tmp + rename and an exit whose code may differ from the result.
 * SIGTERM/SIGINT write the packet from the handler (143/130); SIGKILL leaves nothing. The tool
 * child holds `locks/<tool>.lock` and outlives a daemon that ends first (an orphan).
 */
import type { Ports, ProcessHandle } from '../../sim/ports/index.ts';
import {
  formatPacket,
  formatResult,
  formatState,
  packetFor,
  PROJECT_ROOT,
  timestamp,
  writeAtomic,
  type SessionPaths,
  type SessionResult,
} from './sessionFiles.ts';
import { loadSnapshot, saveSnapshot } from './toolLiveness.ts';

export interface ResultWrite {
  atMs: number;
  status: string;
  exitCode: number;
}

export interface ToolPlan {
  name: string;
  startMs: number;
  /** When the tool exits; after the daemon's exit it is an orphan until then. */
  endMs: number;
  /** output.log and acp-events.jsonl lines, one each this often (0: none). */
  outputEveryMs: number;
  /** The tool's own `output/result.toml` (the #1370 fallback), written in place. */
  outputResult?: ResultWrite;
}

export interface DaemonPlan {
  /** result.toml writes by the pipeline, in time order; the last one is the session's final result. */
  results: ResultWrite[];
  /** Results already carry `events_count` (so the wait's refresh never rewrites them). */
  enrichedResults: boolean;
  exitAtMs: number;
  exitCode: number;
  stdout: Array<{ atMs: number; text: string }>;
  /** A progress line on stderr.log this often (0: none). */
  stderrEveryMs: number;
  tool?: ToolPlan;
  /** The daemon stays a zombie this long after it exits (its parent slow to reap it; 0: at once). */
  zombieMs?: number;
}

/** What the daemon really did, for the harness's truth (never read by the wait). */
export interface DaemonWitness {
  resultWritten(t: number, path: string, status: string, exitCode: number): void;
}

export const DAEMON_NAME = 'csa-daemon';
/** The session was created at virtual time 0. */
const SESSION_STARTED_AT = timestamp(0);

export class SessionDaemon {
  private proc: ProcessHandle | undefined;
  private finalWritten = false;
  private exitCode: number;
  private exitCodeUsed: (() => void) | undefined;

  constructor(
    private readonly ports: Ports,
    private readonly paths: SessionPaths,
    private readonly plan: DaemonPlan,
    private readonly witness: DaemonWitness,
  ) {
    this.exitCode = plan.exitCode;
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitStatus === undefined;
  }

  /** Why a fault can no longer act on the daemon (not started yet, or exited), or undefined while it runs. */
  gone(): string | undefined {
    if (this.running) return undefined;
    return this.proc ? 'the daemon had already exited' : 'the daemon had not started yet';
  }

  /**
   * A fault: the daemon will exit with this code (a cleanup failure, a panic after the result).
   * `exitedWith` is told if the daemon does exit on its own with it (not if a signal ends it
   * first, nor once a later call replaced it); false: the daemon is gone.
   */
  setExitCode(code: number, exitedWith?: () => void): boolean {
    if (!this.running) return false;
    this.exitCode = code;
    this.exitCodeUsed = exitedWith;
    return true;
  }

  /** The code it will exit with on its own, as things stand. */
  get plannedExitCode(): number {
    return this.exitCode;
  }

  /**
   * A fault: the pipeline writes a result now, which a later write replaces (a post-exec gate).
   * Undefined once written; otherwise why it was not (the daemon gone, the final result written).
   */
  writeIntermediateResult(status: string, exitCode: number): string | undefined {
    const gone = this.gone();
    if (gone !== undefined) return gone;
    if (this.finalWritten) return 'the final result was already written';
    this.writeResult({ atMs: this.ports.clock.now(), status, exitCode });
    return undefined;
  }

  /** Runs the whole story; resolves when the daemon is gone (its tool may live on). */
  async run(): Promise<void> {
    const { proc, clock } = this.ports;
    const fs = this.ports.fs.sync;
    const p = this.paths;
    const tool = this.plan.tool?.name ?? 'codex';
    // locks/ and output/ appear when the tool first takes its lock or writes its output
    fs.mkdir(p.dir, { recursive: true });
    fs.writeFile(p.state, formatState('Active', tool));
    const d = proc.spawn({
      name: DAEMON_NAME,
      cmdline: `csa run --daemon-child --session ${p.id} --cd ${PROJECT_ROOT}`,
      ...(this.plan.zombieMs ? { zombieMs: this.plan.zombieMs } : {}),
    });
    this.proc = d;
    fs.writeFile(p.daemonPid, `${d.pid} ${d.startTimeTicks}\n`);
    fs.appendFile(p.stderrLog, `[csa] daemon started pid=${d.pid} session=${p.id}\n`);
    d.onSignal((signal) => {
      if (signal !== 'SIGTERM' && signal !== 'SIGINT') return;
      this.exit(signal === 'SIGTERM' ? 143 : 130);
    });
    if (this.plan.tool) void this.runTool(this.plan.tool, d);
    let spooled = 0;
    const steps = this.timeline();
    for (const step of steps) {
      if (step.atMs > clock.now()) await clock.sleep(step.atMs - clock.now(), 'daemon');
      if (!this.running) return;
      if (step.kind === 'stdout') {
        d.write('stdout', step.text);
        fs.appendFile(p.stdoutLog, step.text);
        spooled += Buffer.byteLength(step.text);
        const snap = loadSnapshot(fs, p.snapshot);
        snap.spoolBytesWritten = spooled;
        saveSnapshot(fs, p.snapshot, snap);
      } else if (step.kind === 'stderr') {
        fs.appendFile(p.stderrLog, `[csa] t=${clock.now()}ms working\n`);
      } else if (step.kind === 'result') {
        if (step.final) this.finalWritten = true;
        this.writeResult(step.write);
      } else {
        const used = this.exitCodeUsed;
        if (this.exit(this.exitCode)) used?.();
        return;
      }
    }
  }

  private timeline(): Array<
    | { atMs: number; kind: 'stdout'; text: string }
    | { atMs: number; kind: 'stderr' }
    | { atMs: number; kind: 'result'; write: ResultWrite; final: boolean }
    | { atMs: number; kind: 'exit' }
  > {
    const plan = this.plan;
    const steps: ReturnType<SessionDaemon['timeline']> = [];
    for (const s of plan.stdout) steps.push({ atMs: s.atMs, kind: 'stdout', text: s.text });
    if (plan.stderrEveryMs > 0)
      for (let t = plan.stderrEveryMs; t < plan.exitAtMs; t += plan.stderrEveryMs) steps.push({ atMs: t, kind: 'stderr' });
    plan.results.forEach((write, i) => steps.push({ atMs: write.atMs, kind: 'result', write, final: i === plan.results.length - 1 }));
    steps.push({ atMs: plan.exitAtMs, kind: 'exit' });
    // at one instant, output first, then the result, then the exit (Array.prototype.sort is stable)
    return steps.sort((a, b) => a.atMs - b.atMs);
  }

  private writeResult(w: ResultWrite): void {
    const { clock } = this.ports;
    const now = clock.now();
    const summary = w.status === 'success' ? 'tool completed' : `tool failed with exit code ${w.exitCode}`;
    const result: SessionResult = {
      status: w.status,
      exitCode: w.exitCode,
      summary,
      tool: this.plan.tool?.name ?? 'codex',
      startedAt: SESSION_STARTED_AT,
      completedAt: timestamp(now),
    };
    if (this.plan.enrichedResults) result.eventsCount = 1;
    writeAtomic(this.ports.fs.sync, this.paths.result, formatResult(result));
    this.witness.resultWritten(now, this.paths.result, w.status, w.exitCode);
    this.ports.log('daemon.result', { status: w.status, exitCode: w.exitCode });
  }

  /** Every exit path but SIGKILL: the packet via tmp + rename, then the process ends (true: with this code). */
  private exit(code: number): boolean {
    const d = this.proc;
    if (!d || d.exitStatus !== undefined) return false;
    writeAtomic(this.ports.fs.sync, this.paths.packet, formatPacket(packetFor(code)));
    this.ports.log('daemon.exit', { code });
    d.exit(code);
    return true;
  }

  private async runTool(plan: ToolPlan, daemon: ProcessHandle): Promise<void> {
    const { proc, clock } = this.ports;
    const fs = this.ports.fs.sync;
    const p = this.paths;
    if (plan.startMs > clock.now()) await clock.sleep(plan.startMs - clock.now(), 'tool');
    if (daemon.exitStatus !== undefined) return;
    const t = proc.spawn({ name: plan.name, cmdline: `${plan.name} exec --json -C ${PROJECT_ROOT}`, ppid: daemon.pid, pgrp: daemon.pid });
    fs.mkdir(p.locks, { recursive: true });
    if (plan.outputEveryMs > 0 || plan.outputResult) fs.mkdir(`${p.dir}/output`, { recursive: true });
    const lock = { pid: t.pid, tool_name: plan.name, acquired_at: timestamp(clock.now()), reason: `session ${p.id}` };
    fs.writeFile(`${p.locks}/${plan.name}.lock`, JSON.stringify(lock));
    const steps: Array<{ atMs: number; kind: 'output' | 'result' }> = [];
    if (plan.outputEveryMs > 0)
      for (let at = plan.startMs + plan.outputEveryMs; at < plan.endMs; at += plan.outputEveryMs) steps.push({ atMs: at, kind: 'output' });
    if (plan.outputResult && plan.outputResult.atMs < plan.endMs) steps.push({ atMs: plan.outputResult.atMs, kind: 'result' });
    steps.sort((a, b) => a.atMs - b.atMs);
    let events = 0;
    for (const step of [...steps, { atMs: plan.endMs, kind: 'end' as const }]) {
      if (step.atMs > clock.now()) await clock.sleep(step.atMs - clock.now(), 'tool');
      if (t.exitStatus !== undefined) return;
      if (step.kind === 'output') {
        events++;
        fs.appendFile(p.outputLog, `assistant: step ${events}\n`);
        fs.appendFile(p.acpEvents, `{"seq":${events},"type":"agent_message"}\n`);
      } else if (step.kind === 'result' && plan.outputResult) {
        const r = plan.outputResult;
        const summary = r.status === 'success' ? 'skill completed' : `skill failed with exit code ${r.exitCode}`;
        fs.writeFile(
          p.outputResult,
          formatResult({
            status: r.status,
            exitCode: r.exitCode,
            summary,
            tool: plan.name,
            startedAt: timestamp(plan.startMs),
            completedAt: timestamp(clock.now()),
          }),
        );
        this.witness.resultWritten(clock.now(), p.outputResult, r.status, r.exitCode);
      } else if (step.kind === 'end') t.exit(0);
    }
  }
}
