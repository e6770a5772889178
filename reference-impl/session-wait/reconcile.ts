/**
 * Reconcile (spec §5 B3, `ensure_terminal_result_for_dead_active_session`): an Active session
 * with no live process, no progress and no result.toml gets a synthetic failure result, written
 * create-new under a non-blocking `.reconcile.lock`. Progress (`reconcile_liveness_decision`) is
 * growth against the snapshot, or output.log, acp-events or stderr.log non-empty and written in
 * the last 30 s.
 */
import type { WaitContext } from './context.ts';
import { daemonPidIsAlive, hasLiveProcess } from './liveness.ts';
import { retireIfDeadWithResult } from './resultLoader.ts';
import { formatResult, parseState, readUsuallyPresent, statIfExists, timestamp, writeAtomic } from './sessionFiles.ts';
import { loadSnapshot, modifiedRecently, saveSnapshot, setOrClear } from './toolLiveness.ts';

export interface ReconcileOutcome {
  resultBecameAvailable: boolean;
  synthetic: boolean;
}

const NOTHING: ReconcileOutcome = { resultBecameAvailable: false, synthetic: false };

/** Why synthesis is blocked, or undefined when it may go ahead. */
export function reconcileBlockedBy(ctx: WaitContext): string | undefined {
  if (hasLiveProcess(ctx)) return 'live_pid';
  if (daemonPidIsAlive(ctx)) return 'live_daemon_pid';
  if (hasProgressSignal(ctx)) return 'progress_signal';
  return undefined;
}

function hasProgressSignal(ctx: WaitContext): boolean {
  const { clock } = ctx.ports;
  const fs = ctx.ports.fs.sync;
  const p = ctx.paths;
  const snap = loadSnapshot(fs, p.snapshot);
  const acp = statIfExists(fs, p.acpEvents);
  const stderr = statIfExists(fs, p.stderrLog);
  const output = statIfExists(fs, p.outputLog);
  const prior = snap.observedSpoolBytesWritten !== undefined || snap.acpEventsSize !== undefined || snap.stderrLogSize !== undefined;
  let progress =
    prior &&
    (snap.spoolBytesWritten !== snap.observedSpoolBytesWritten || acp?.size !== snap.acpEventsSize || stderr?.size !== snap.stderrLogSize);
  for (const f of [output, acp, stderr]) if (f && f.size > 0 && modifiedRecently(f.mtimeMs, clock.now())) progress = true;
  if (snap.spoolBytesWritten !== undefined) snap.observedSpoolBytesWritten = snap.spoolBytesWritten;
  setOrClear(snap, 'acpEventsSize', acp?.size);
  setOrClear(snap, 'stderrLogSize', stderr?.size);
  saveSnapshot(fs, p.snapshot, snap);
  return progress;
}

/** B3: synthesize a failure for a dead Active session without result.toml. */
export function ensureTerminalResultForDeadActiveSession(ctx: WaitContext): ReconcileOutcome {
  const { proc, clock } = ctx.ports;
  const fs = ctx.ports.fs.sync;
  const p = ctx.paths;
  const state = readUsuallyPresent(fs, p.state);
  if (state === undefined) return NOTHING;
  const { phase, tool } = parseState(state, p.state);
  if (phase !== 'Active') return NOTHING;
  const blocked = reconcileBlockedBy(ctx);
  if (blocked !== undefined || fs.exists(p.result)) return NOTHING;
  if (!ctx.flocks.tryLock(proc, p.reconcileLock, ctx.self)) return NOTHING;
  try {
    if (!fs.exists(p.reconcileLock)) {
      fs.mkdir(p.locks, { recursive: true });
      fs.writeFile(p.reconcileLock, '');
    }
    if (fs.exists(p.result)) {
      // A late result landed while we took the lock: retire with it, nothing synthetic.
      retireIfDeadWithResult(ctx);
      return { resultBecameAvailable: true, synthetic: false };
    }
    const output = statIfExists(fs, p.outputLog);
    const now = clock.now();
    const summary =
      'synthetic failure by session wait: process dead, result.toml missing ' +
      `(reconciliation_reason=true_missing_result, output_log_mtime=${output ? timestamp(output.mtimeMs) : 'none'})`;
    writeAtomic(
      fs,
      p.result,
      formatResult({ status: 'failure', exitCode: 1, summary, tool, startedAt: timestamp(now), completedAt: timestamp(now) }),
    );
    ctx.ports.log('wait.reconcile', { synthesized: true, reason: 'true_missing_result' });
    return { resultBecameAvailable: true, synthetic: true };
  } finally {
    ctx.flocks.unlock(p.reconcileLock, ctx.self);
  }
}
