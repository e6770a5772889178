/**
 * Completion (spec §5 E) and the exact lines every exit path prints. The wait's exit code after
 * a completion is 0 or 1 (`m(status, code)`), never the raw code (#1381); the COMPLETED marker
 * goes to stdout and stderr, so a caller that reads either one finds it.
 */
import type { WaitContext } from './context.ts';
import { parseResult, readIfExists, statIfExists, type SessionResult } from './sessionFiles.ts';

export const EXIT_SUCCESS = 0;
export const EXIT_FAILURE = 1;
/** A healthy cap exit while the session is alive (#1439): the caller re-waits. */
export const EXIT_KV_WARM = 0;
export const EXIT_MEMORY_WARN = 33;
/** Cap reached with nothing alive and no result. */
export const EXIT_TIMEOUT = 124;

/** `m(status, code)`: 0 for success or retired with code 0, else 1. */
export function waitExitCode(status: string, exitCode: number): number {
  return (status === 'success' || status === 'retired') && exitCode === 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/** `resolve_wait_completion_status_and_exit`: synthetic is failure; a real result beats the packet. */
export function resolveCompletion(
  fallback: { status: string; exitCode: number },
  synthetic: boolean,
  result: SessionResult | undefined,
): { status: string; exit: number } {
  if (synthetic) return { status: 'failure', exit: EXIT_FAILURE };
  const from = result ?? fallback;
  return { status: from.status, exit: waitExitCode(from.status, from.exitCode) };
}

export function cdArg(cd: string | undefined): string {
  return cd === undefined ? '' : ` --cd '${cd}'`;
}

export function completedMarker(session: string, status: string, exit: number, synthetic: boolean): string {
  return `<!-- CSA:SESSION_WAIT_COMPLETED session=${session} status=${status} exit=${exit} synthetic=${synthetic} -->`;
}

const POLLING_FORBIDDEN =
  'FORBIDDEN: ls/cat/wc/grep on session-dir, state.toml reads, ps checks on daemon PID — any manual polling wastes caller tokens with zero benefit.';
const BACKGROUND =
  "If you background the wait (run_in_background: true), the completion task-notification IS your wake signal — do NOT stack ScheduleWakeup, /loop, or sleep loops on top; that's pure redundancy and wastes tokens.";

export const NEXT_SESSION_HINT =
  `<!-- CSA:CALLER_HINT action="next_session" rule="If you have more sessions to wait for, call each 'csa session wait' in a SEPARATE Bash call. NEVER batch. ` +
  `Generate tokens between waits to keep your KV cache warm. ${BACKGROUND} ${POLLING_FORBIDDEN}" -->`;

/** The retry_wait hint; `healthy` adds the #1439 sentence that a cap exit is not a failure. */
export function retryWaitHint(session: string, cd: string | undefined, healthy: boolean): string {
  return (
    `<!-- CSA:CALLER_HINT action="retry_wait" rule="${healthy ? 'Session is alive; this exit is healthy. ' : ''}` +
    `Process this output NOW and generate tokens to warm your KV cache, then call 'csa session wait --session ${session}${cdArg(cd)}' again in a NEW Bash call. ` +
    `NEVER batch multiple session waits in one Bash call. ${BACKGROUND} ${POLLING_FORBIDDEN}" -->`
  );
}

export function kvWarmMarker(session: string, elapsedSecs: number, cd: string | undefined): string {
  return `<!-- CSA:SESSION_WAIT_KV_WARM session=${session} status=alive elapsed=${elapsedSecs}s action=re-wait cmd="csa session wait --session ${session}${cdArg(cd)}" -->`;
}

export function timeoutDeadMarker(session: string, elapsedSecs: number, cd: string | undefined): string {
  return `<!-- CSA:SESSION_WAIT_TIMEOUT session=${session} elapsed=${elapsedSecs}s status=dead cmd="csa session result --session ${session}${cdArg(cd)}" -->`;
}

export function memoryWarnMarker(session: string, rssMb: number, limitMb: number): string {
  return `<!-- CSA:MEMORY_WARN session=${session} rss_mb=${rssMb} limit_mb=${limitMb} -->`;
}

/** Copies stdout.log to stdout; true when any byte was streamed. */
function streamWaitOutput(ctx: WaitContext): boolean {
  const text = readIfExists(ctx.ports.fs.sync, ctx.paths.stdoutLog);
  if (text === undefined || text.length === 0) return false;
  ctx.outRaw(text);
  return true;
}

/** With nothing streamed and empty logs, a failed result's summary is the only explanation left. */
function emitFailureSummaryForEmptyOutput(ctx: WaitContext, streamed: boolean): void {
  if (streamed) return;
  const fs = ctx.ports.fs.sync;
  const p = ctx.paths;
  for (const log of [p.stdoutLog, p.outputLog]) if ((statIfExists(fs, log)?.size ?? 0) > 0) return;
  const text = readIfExists(fs, p.result);
  if (text === undefined) return;
  let r: SessionResult;
  try {
    r = parseResult(text, p.result);
  } catch {
    return;
  }
  if (r.status === 'failure' && r.exitCode !== 0 && r.summary.trim().length > 0) ctx.err(r.summary);
}

export interface CompletionInput {
  /** The packet (B1), or the result itself. */
  fallback: { status: string; exitCode: number };
  synthetic: boolean;
  result: SessionResult | undefined;
  /** B3 only: say so when the synthetic result is all the caller gets. */
  noteSynthesized?: boolean;
}

/** E: stream, summarize, mark, hint, and return the wait's exit code. */
export function complete(ctx: WaitContext, input: CompletionInput): number {
  const session = ctx.paths.id;
  const streamed = streamWaitOutput(ctx);
  // (2) A synthesized CSA:NEXT_STEP needs output/unpushed_commits.json or review_meta.json,
  // which no modelled daemon writes: nothing to print.
  const { status, exit } = resolveCompletion(input.fallback, input.synthetic, input.result);
  emitFailureSummaryForEmptyOutput(ctx, streamed);
  const marker = completedMarker(session, status, exit, input.synthetic);
  ctx.out(marker);
  ctx.err(marker);
  ctx.err(NEXT_SESSION_HINT);
  if (input.noteSynthesized && input.synthetic && !streamed)
    ctx.err(`Session ${session} reached a synthesized terminal result because no live daemon process remained.`);
  ctx.ports.log('wait.completed', { status, exit, synthetic: input.synthetic, streamed });
  return exit;
}
