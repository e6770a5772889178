/**
 * Whether a fault schedule stays within what the boxlite pump promises to survive. The promise is
 * a shared reconnect budget: 270 s of backoff sleep, never refilled. So a schedule is recoverable
 * unless it evicts the execution (nothing left to drain), or its faults could, in the worst case,
 * use up the budget. The estimate is deliberately generous (it over-counts), so a run it calls
 * recoverable really is; in an unrecoverable run an explicit failure is acceptable, a silent loss
 * or a lie never is.
 *
 * Worst-case backoff per fault (the sleep precedes every connect: 15 s, then 30 s per failure):
 * - cut, close, attach-cut: one disconnect episode, 15 s;
 * - half-open: an episode plus two 409s while the runner's loop waits out its 45 s pong deadline;
 * - slow-subscriber: an episode, a 409 while a write blocks (<= 20 s), a re-attach for drops;
 * - refuse on the upgrade: 30 s per refused attempt (a window: one attempt per 15 s);
 * - refuse on the probe, or a lag of >= 2.5 s per leg (a 5 s probe times out): an Unavailable
 *   probe sends the pump to the reconnect loop, 15 s per probe;
 * - a command silent for >= 10 s before its first byte: each 25 s (first-frame timeout + backoff)
 *   costs 15 s.
 *
 * The budget counts sleep only, but the runner keeps an exited execution for 5 min of wall time
 * (§3 Reaper), so a schedule is also unrecoverable when its waits could outlast that retention
 * before the client learns the exit (explore attach-pump:cursor seed 1, run 975: four muted exit
 * frames, four failed probes and two timed-out upgrades; 120 s of sleep, 360 s of wall time, then
 * the execution is evicted and the exit code is gone for good). Worst-case wall time per fault, on
 * top of its sleep:
 * - a disconnect (cut, close, attach-cut, half-open, slow-subscriber): noticed by the watchdog at
 *   worst, then a probe that may time out, 45 + 5 s;
 * - mute-exit: per muted loop a watchdog, a probe and an episode's backoff, 45 + 5 + 15 s;
 * - refuse with silence: a handshake left to time out (30 s) per refused upgrade, a probe (5 s)
 *   per refused probe;
 * - lag: each leg's extra delay twice, plus a probe timing out.
 */
import { isFault, LAG, type Fault } from '../../../sim/index.ts';
import type { Scenario } from '../../../sim/target.ts';
import {
  SPEC_BACKOFF_INITIAL_MS,
  SPEC_BACKOFF_MAX_MS,
  SPEC_EXITED_RETENTION_MS,
  SPEC_FIRST_FRAME_TIMEOUT_MS,
  SPEC_HANDSHAKE_TIMEOUT_MS,
  SPEC_PROBE_TIMEOUT_MS,
  SPEC_RECONNECT_BUDGET_MS,
  SPEC_WATCHDOG_MS,
} from './spec.ts';
import type { AttachWorkload } from './workload.ts';

const EPISODE_MS = SPEC_BACKOFF_INITIAL_MS;
const FAILED_CONNECT_MS = SPEC_BACKOFF_MAX_MS;

/** Faults that really fire: in liveness mode, those before the heal. */
export function firedFaults(s: Scenario<AttachWorkload>): Fault[] {
  return s.mode === 'liveness' && s.healAtMs !== undefined ? s.faults.filter((f) => f.at < (s.healAtMs as number)) : s.faults;
}

function attempts(f: Fault): number {
  if (typeof f.count === 'number') return f.count;
  if (typeof f.durationMs === 'number') return Math.ceil(f.durationMs / SPEC_BACKOFF_INITIAL_MS) + 1;
  return 1;
}

/** Worst-case backoff sleep the faults (and the workload's silence) can cost, in ms. */
export function budgetEstimateMs(s: Scenario<AttachWorkload>): number {
  let ms = 0;
  for (const f of firedFaults(s)) {
    switch (f.kind) {
      case 'cut':
      case 'close':
      case 'attach-cut':
        ms += EPISODE_MS;
        break;
      case 'half-open':
        ms += EPISODE_MS + 2 * FAILED_CONNECT_MS;
        break;
      case 'slow-subscriber':
        ms += 2 * EPISODE_MS + FAILED_CONNECT_MS;
        break;
      case 'refuse':
        ms += attempts(f) * (f.scope === 'http' ? EPISODE_MS : FAILED_CONNECT_MS);
        if (f.scope === undefined || f.scope === 'any') ms += attempts(f) * EPISODE_MS;
        break;
      case 'lag':
        if (isFault(LAG, f) && 2 * f.extraMs >= SPEC_PROBE_TIMEOUT_MS) ms += attempts(f) * EPISODE_MS;
        break;
    }
  }
  const w = s.workload;
  let firstOutputMs = w.exit.atMs;
  for (const x of w.steps) firstOutputMs = Math.min(firstOutputMs, x.atMs);
  if (firstOutputMs >= SPEC_FIRST_FRAME_TIMEOUT_MS)
    ms += (Math.floor(firstOutputMs / (SPEC_FIRST_FRAME_TIMEOUT_MS + SPEC_BACKOFF_INITIAL_MS)) + 1) * EPISODE_MS;
  return ms;
}

/** Worst-case wall time the faults can keep the client from an answer: their sleep plus their waits, in ms. */
export function delayEstimateMs(s: Scenario<AttachWorkload>): number {
  let ms = budgetEstimateMs(s);
  for (const f of firedFaults(s)) {
    switch (f.kind) {
      case 'cut':
      case 'close':
      case 'attach-cut':
      case 'half-open':
      case 'slow-subscriber':
        ms += SPEC_WATCHDOG_MS + SPEC_PROBE_TIMEOUT_MS;
        break;
      case 'mute-exit':
        ms += ((f.count as number | undefined) ?? 1) * (SPEC_WATCHDOG_MS + SPEC_PROBE_TIMEOUT_MS + EPISODE_MS);
        break;
      case 'refuse':
        if (f.timeout === true) ms += attempts(f) * (f.scope === 'http' ? SPEC_PROBE_TIMEOUT_MS : SPEC_HANDSHAKE_TIMEOUT_MS);
        break;
      case 'lag':
        if (isFault(LAG, f)) ms += 2 * f.extraMs + SPEC_PROBE_TIMEOUT_MS;
        break;
    }
  }
  return ms;
}

/** When the faults stop acting: the heal in liveness mode, else the end of the last window. */
export function settledAt(s: Scenario<AttachWorkload>): number {
  if (s.mode === 'liveness' && s.healAtMs !== undefined) return s.healAtMs;
  let at = 0;
  for (const f of s.faults)
    at = Math.max(at, f.at + ((f.durationMs as number | undefined) ?? 0) + ((f.closeAfterMs as number | undefined) ?? 0));
  return at;
}

/**
 * Why a run is not recoverable (empty: it is). For the retention rule: `exitedAt`, when the
 * command really exited (the process table's record, never the runner's), and `answeredAt`, when
 * the user got the result (undefined: never). Until 5 min after the exit the execution is still
 * there by the spec, so only an answer that came later can blame the retention, and only when the
 * faults could have held the client that long (a client that dawdles on its own is not excused).
 */
export function unrecoverableBecause(
  s: Scenario<AttachWorkload>,
  processStarted: boolean,
  exitedAt?: number,
  answeredAt?: number,
): string[] {
  const why: string[] = [];
  if (!processStarted) why.push('the exec request failed: the command never ran');
  for (const f of firedFaults(s)) if (f.kind === 'evict') why.push(`the runner evicted the execution (evict at t=${f.at} ms)`);
  for (const f of firedFaults(s))
    if (f.kind === 'refuse' && (f.status === 404 || f.status === 410))
      why.push(`a ${String(f.status)} refusal at t=${f.at} ms told the client the execution is gone`);
  const budget = budgetEstimateMs(s);
  if (budget > SPEC_RECONNECT_BUDGET_MS)
    why.push(
      `the faults could use up the ${SPEC_RECONNECT_BUDGET_MS / 1000} s reconnect budget (worst case ${budget / 1000} s of backoff)`,
    );
  if (exitedAt !== undefined && (answeredAt ?? Infinity) >= exitedAt + SPEC_EXITED_RETENTION_MS) {
    const answerBy = Math.max(exitedAt, settledAt(s)) + delayEstimateMs(s);
    if (answerBy >= exitedAt + SPEC_EXITED_RETENTION_MS)
      why.push(
        `the faults could keep the client from the exit past the runner's ${SPEC_EXITED_RETENTION_MS / 60_000} min retention of an exited execution (worst case an answer at t=${(answerBy / 1000).toFixed(1)} s, exit at t=${(exitedAt / 1000).toFixed(1)} s)`,
      );
  }
  return why;
}
