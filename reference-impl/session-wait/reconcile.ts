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
export async function reconcileBlockedBy(ctx: WaitContext): Promise<string | undefined> {
  if (await hasLiveProcess(ctx)) return 'live_pid';
  if (await daemonPidIsAlive(ctx)) return 'live_daemon_pid';
  if (await hasProgressSignal(ctx)) return 'progress_signal';
  return undefined;
}

async function hasProgressSignal(ctx: WaitContext): Promise<boolean> {
  const { fs, clock } = ctx.ports;
  const p = ctx.paths;
  const snap = await loadSnapshot(fs, p.snapshot);
  const acp = await statIfExists(fs, p.acpEvents);
  const stderr = await statIfExists(fs, p.stderrLog);
  const output = await statIfExists(fs, p.outputLog);
  const prior = snap.observedSpoolBytesWritten !== undefined || snap.acpEventsSize !== undefined || snap.stderrLogSize !== undefined;
  let progress =
    prior &&
    (snap.spoolBytesWritten !== snap.observedSpoolBytesWritten || acp?.size !== snap.acpEventsSize || stderr?.size !== snap.stderrLogSize);
  for (const f of [output, acp, stderr]) if (f && f.size > 0 && modifiedRecently(f.mtimeMs, clock.now())) progress = true;
  if (snap.spoolBytesWritten !== undefined) snap.observedSpoolBytesWritten = snap.spoolBytesWritten;
  setOrClear(snap, 'acpEventsSize', acp?.size);
  setOrClear(snap, 'stderrLogSize', stderr?.size);
  await saveSnapshot(fs, p.snapshot, snap);
  return progress;
}

/** B3: synthesize a failure for a dead Active session without result.toml. */
export async function ensureTerminalResultForDeadActiveSession(ctx: WaitContext): Promise<ReconcileOutcome> {
  const { fs, proc, clock } = ctx.ports;
  const p = ctx.paths;
  const state = await readUsuallyPresent(fs, p.state);
  if (state === undefined) return NOTHING;
  const { phase, tool } = parseState(state, p.state);
  if (phase !== 'Active') return NOTHING;
  const blocked = await reconcileBlockedBy(ctx);
  if (blocked !== undefined || (await fs.exists(p.result))) return NOTHING;
  if (!ctx.flocks.tryLock(proc, p.reconcileLock, ctx.self)) return NOTHING;
  try {
    if (!(await fs.exists(p.reconcileLock))) {
      await fs.mkdir(p.locks, { recursive: true });
      await fs.writeFile(p.reconcileLock, '');
    }
    if (await fs.exists(p.result)) {
      // A late result landed while we took the lock: retire with it, nothing synthetic.
      await retireIfDeadWithResult(ctx);
      return { resultBecameAvailable: true, synthetic: false };
    }
    const output = await statIfExists(fs, p.outputLog);
    const now = clock.now();
    const summary =
      'synthetic failure by session wait: process dead, result.toml missing ' +
      `(reconciliation_reason=true_missing_result, output_log_mtime=${output ? timestamp(output.mtimeMs) : 'none'})`;
    await writeAtomic(
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
