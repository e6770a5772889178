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
 */
import { isFault, LAG, type Fault } from '../../../sim/index.ts';
import type { Scenario } from '../../../sim/target.ts';
import {
  SPEC_BACKOFF_INITIAL_MS,
  SPEC_BACKOFF_MAX_MS,
  SPEC_FIRST_FRAME_TIMEOUT_MS,
  SPEC_PROBE_TIMEOUT_MS,
  SPEC_RECONNECT_BUDGET_MS,
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
  const firstOutputMs = Math.min(w.exit.atMs, ...w.steps.map((x) => x.atMs));
  if (firstOutputMs >= SPEC_FIRST_FRAME_TIMEOUT_MS)
    ms += (Math.floor(firstOutputMs / (SPEC_FIRST_FRAME_TIMEOUT_MS + SPEC_BACKOFF_INITIAL_MS)) + 1) * EPISODE_MS;
  return ms;
}

/** Why a run is not recoverable (empty: it is). */
export function unrecoverableBecause(s: Scenario<AttachWorkload>, processStarted: boolean): string[] {
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
  return why;
}
