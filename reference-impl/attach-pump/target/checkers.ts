/**
 * The attach-pump properties: the generic checkers, plus the termination bound.
 *
 * `terminates`: the pump owes exactly one result, and it must come within a bound after both
 * the command has exited and the faults have settled (liveness: the heal; safety: the end of the
 * last fault window). From that moment the worst case is a dead socket noticed by the watchdog
 * (45 s; or the runner's Close after its <= 2 s drain), a 5 s probe, a handshake left to time
 * out (30 s), the whole 270 s reconnect budget (an evicted execution answers 404 to every
 * attempt and upstream retries regardless), then the final 5 s `emit_or_fallback` probe, plus
 * 3 s for network latency: 45 + 2 + 5 + 30 + 270 + 5 + 3 = 360 s. Faults that outlive the
 * window add their own worst cost: a refusal still armed costs a handshake (30 s) or a probe
 * (5 s) per count when it answers with silence, a muted runner loop a watchdog and a probe, and
 * frames already in flight keep their lag.
 */
import {
  noDuplicateOutput,
  noFalseFailure,
  noFalseSuccess,
  noLostOutput,
  orderedOutput,
  singleResult,
  truthfulExit,
  type Checker,
  type Observed,
  type Truth,
} from '../../../sim/check/index.ts';
import type { CheckInput, LivenessSpec, PropertyInfo, Scenario } from '../../../sim/target.ts';
import type { WireConnection } from './proxy.ts';
import { firedFaults, settledAt } from './recoverability.ts';
import { SPEC_HANDSHAKE_TIMEOUT_MS, SPEC_PROBE_TIMEOUT_MS, SPEC_TERMINATION_BOUND_MS, SPEC_WATCHDOG_MS } from './spec.ts';
import { cursorFrames } from './wireCheckers.ts';
import type { AttachWorkload } from './workload.ts';

/** The termination bound (spec.ts says where each term comes from). */
export const TERMINATION_BOUND_MS = SPEC_TERMINATION_BOUND_MS;

export { settledAt };

/** Worst costs of faults that can act after `settledAt` (armed refusals, muted loops, lag in flight). */
export function lingeringCostMs(s: Scenario<AttachWorkload>): number {
  let ms = 0;
  let lagMs = 0;
  for (const f of firedFaults(s)) {
    if (f.kind === 'lag') lagMs = Math.max(lagMs, f.extraMs as number);
    if (s.mode === 'liveness') continue; // the heal disarms refusals and mutes
    if (f.kind === 'refuse' && f.timeout === true && typeof f.count === 'number')
      ms += f.count * (f.scope === 'http' ? SPEC_PROBE_TIMEOUT_MS : SPEC_HANDSHAKE_TIMEOUT_MS + SPEC_PROBE_TIMEOUT_MS);
    if (f.kind === 'mute-exit') ms += ((f.count as number | undefined) ?? 1) * (SPEC_WATCHDOG_MS + SPEC_PROBE_TIMEOUT_MS);
  }
  return ms + 2 * lagMs;
}

/** When nothing but the protocol stands in the way: the exit and the faults settled, plus what lingers; undefined while the command runs. */
export function settledWithExit(s: Scenario<AttachWorkload>, truth: Pick<Truth, 'outcome'>): number | undefined {
  if (truth.outcome.kind !== 'exit') return undefined;
  return Math.max(truth.outcome.t, settledAt(s)) + lingeringCostMs(s);
}

/** The absolute virtual ms by which the result is due, or undefined while the command still runs. */
export function terminationDeadline(s: Scenario<AttachWorkload>, truth: Pick<Truth, 'outcome'>): number | undefined {
  const from = settledWithExit(s, truth);
  return from === undefined ? undefined : from + TERMINATION_BOUND_MS;
}

/** What the user saw, plus the runner's frames as they reached the client (the wire checks). */
export interface AttachObserved extends Observed {
  wire?: WireConnection[];
}

type Input = CheckInput<AttachWorkload, AttachObserved, Truth>;

export const PROPERTIES: readonly PropertyInfo[] = [
  {
    name: 'no-lost-output',
    summary: 'every byte the command wrote reaches the user, unless the user is told (a gap notice, an error result)',
  },
  {
    name: 'no-duplicate-output',
    summary: 'no byte is delivered twice (a replay from the backlog head repeats what the cut socket delivered)',
  },
  {
    name: 'ordered-output',
    summary: 'each stream is delivered in the order written, with no invented bytes (a lossy decode of a split codepoint invents U+FFFD)',
  },
  { name: 'no-false-success', summary: 'a clean exit 0 only for a command that succeeded and whose output arrived whole (#804)' },
  {
    name: 'no-false-failure',
    summary: 'a command that succeeded is not reported failed when the faults stayed within the reconnect budget',
  },
  { name: 'truthful-exit', summary: 'a reported exit code (without an error) is the real one' },
  { name: 'single-result', summary: 'exactly one ExecResult (at most one terminal result)' },
  {
    name: 'cursor-frames',
    summary: "on a cursor attach, the runner's frames start at the cursor and stay contiguous, whatever the client drops (wire level)",
  },
  {
    name: 'terminates',
    summary: `a result within ${TERMINATION_BOUND_MS / 1000} s (watchdog, drain, probe, handshake, the 270 s budget, final probe, slack) of the exit and the faults settling`,
    liveness: true,
  },
];

export const CHECKERS: Readonly<Record<string, Checker<Input>>> = {
  'no-lost-output': noLostOutput,
  'no-duplicate-output': noDuplicateOutput,
  'ordered-output': orderedOutput,
  'no-false-success': noFalseSuccess,
  'no-false-failure': noFalseFailure,
  'truthful-exit': truthfulExit,
  'single-result': singleResult,
  'cursor-frames': cursorFrames,
};

/** `terminates`, judged by the harness: a result by the exit and the faults settling (plus what lingers), plus the bound. */
export const LIVENESS: LivenessSpec<Input> = {
  property: 'terminates',
  pending: 'result',
  boundMs: TERMINATION_BOUND_MS,
  settledAt: (i) => settledWithExit(i.scenario, i.truth),
};
