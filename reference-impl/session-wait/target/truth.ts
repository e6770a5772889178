/**
 * Ground truth for session-wait, from the world: what the daemon and its tool really wrote
 * (their witness), when each session process really ran (the process table's records), and
 * whether a fault broke a promise the protocol relies on (a torn read of a result file, which
 * is written by rename).
 */
import type { ProducedChunk, Truth } from '../../../sim/check/index.ts';
import type { ProcessRecord } from '../../../sim/proc/processTable.ts';
import type { Scenario } from '../../../sim/target.ts';
import type { World } from '../../../sim/world.ts';
import type { DaemonWitness } from '../daemon.ts';
import { SPEC_DAEMON_PROCESS_NAME as DAEMON_NAME } from './spec.ts';
import { TOOL_NAME, type SessionWaitWorkload } from './workload.ts';

export interface ResultWritten {
  t: number;
  /** `result.toml` (the pipeline) or `output/result.toml` (the tool). */
  file: 'result.toml' | 'output/result.toml';
  status: string;
  exitCode: number;
}

export interface SessionTruth extends Truth {
  /** Every result the session wrote, in time order (the wait's own writes are not here). */
  resultWrites: ResultWritten[];
  /**
   * The session's final result: the last result.toml the pipeline wrote; without one, the tool's
   * last output/result.toml, but only when the daemon vanished (SIGKILL) without reporting its
   * exit: a daemon that reported its exit without writing a result ended the session unresolved.
   */
  finalResult?: ResultWritten & { success: boolean };
  /** When each session process (daemon, tool) ran: [from, to); no `to` while still running. */
  alive: Array<{ name: string; from: number; to?: number }>;
  /** When the last session process ended; undefined if one still ran when the run ended. */
  endedAt?: number;
}

/** Collects what the session really wrote, as it writes it. */
export class ResultLog implements DaemonWitness {
  readonly writes: ResultWritten[] = [];
  resultWritten(t: number, path: string, status: string, exitCode: number): void {
    this.writes.push({ t, file: path.endsWith('/output/result.toml') ? 'output/result.toml' : 'result.toml', status, exitCode });
  }
}

export function isSuccess(status: string, exitCode: number): boolean {
  return (status === 'success' || status === 'retired') && exitCode === 0;
}

export function collectTruth(world: World, scenario: Scenario<SessionWaitWorkload>, log: ResultLog, runEndedAt: number): SessionTruth {
  // one pass over each source (this runs once a run, after every run)
  const alive: SessionTruth['alive'] = [];
  let daemon: ProcessRecord | undefined;
  for (const r of world.proc.records) {
    if (r.host !== 'daemon' || (r.name !== DAEMON_NAME && r.name !== TOOL_NAME)) continue;
    alive.push(r.exit ? { name: r.name, from: r.spawnedAt, to: r.exit.t } : { name: r.name, from: r.spawnedAt });
    if (daemon === undefined && r.name === DAEMON_NAME) daemon = r;
  }
  const stdout: ProducedChunk[] = [];
  if (daemon) for (const o of daemon.output) if (o.stream === 'stdout') stdout.push({ t: o.t, data: o.data });
  const vanished = daemon !== undefined && (daemon.exit === undefined || daemon.exit.status.signal === 'SIGKILL');
  let lastPipeline: ResultWritten | undefined;
  let lastTool: ResultWritten | undefined;
  for (const w of log.writes) {
    if (w.file === 'result.toml') lastPipeline = w;
    else lastTool = w;
  }
  const last = lastPipeline ?? (vanished ? lastTool : undefined);
  const finalResult = last && { ...last, success: isSuccess(last.status, last.exitCode) };
  const unrecoverableBecause: string[] = [];
  for (const e of world.trace.events) {
    if (e.kind !== 'fs.torn-read' || !String(e.data?.path ?? '').endsWith('result.toml')) continue;
    unrecoverableBecause.push(`torn read of ${String(e.data?.path)} at t=${(e.t / 1000).toFixed(3)}s (it is written by rename)`);
  }
  const truth: SessionTruth = {
    streams: { stdout },
    outcome: finalResult
      ? { kind: 'exit', code: finalResult.success ? 0 : Math.max(1, finalResult.exitCode), signal: null, denied: false, t: finalResult.t }
      : daemon?.exit
        ? { kind: 'exit', code: daemon.exit.status.code, signal: daemon.exit.status.signal, denied: false, t: daemon.exit.t }
        : { kind: 'running' },
    recoverable: unrecoverableBecause.length === 0,
    unrecoverableBecause,
    runEndedAt,
    resultWrites: log.writes,
    alive,
  };
  if (finalResult) truth.finalResult = finalResult;
  if (alive.length > 0 && alive.every((a) => a.to !== undefined)) truth.endedAt = Math.max(...alive.map((a) => a.to as number));
  if (scenario.healAtMs !== undefined) truth.healedAt = scenario.healAtMs;
  return truth;
}

/** A session process was running at `t`. */
export function aliveAt(truth: SessionTruth, t: number): boolean {
  return truth.alive.some((a) => a.from <= t && (a.to === undefined || t < a.to));
}

/** A session process was running at some time in [from, to]. */
export function aliveDuring(truth: SessionTruth, from: number, to: number): boolean {
  return truth.alive.some((a) => a.from <= to && (a.to === undefined || a.to >= from));
}
