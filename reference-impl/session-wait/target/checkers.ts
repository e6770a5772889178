/**
 * The session-wait properties, as pure functions of the truth and what the callers saw. Each
 * looks at every wait process of every caller (a second wait's answer counts as much as the
 * first's). `terminates` is the harness's (sim/judge.ts), from `LIVENESS`: when the first terminal answer came.
 */
import { fail, noLostOutput, pass, unknown, type Checker, type Evidence } from '../../../sim/check/index.ts';
import type { CheckInput, LivenessSpec } from '../../../sim/target.ts';
import type { WaitObserved, WaitSeen } from './observe.ts';
import { SPEC_LIFE_AFTER_DEATH_MS, SPEC_TERMINATES_BOUND_MS } from './spec.ts';
import { aliveAt, aliveDuring, type SessionTruth } from './truth.ts';
import type { SessionWaitWorkload } from './workload.ts';

export type SessionCheckInput = CheckInput<SessionWaitWorkload, WaitObserved, SessionTruth>;

/** Longest a fixed wait may honestly see life after the last session process: the lock-file rule, plus a poll. */
export const LIFE_AFTER_DEATH_MS = SPEC_LIFE_AFTER_DEATH_MS;
/** `terminates`: a terminal answer within this long after the session ended (or the wait started, if later), plus the caller's think time. */
export const TERMINATES_BOUND_MS = SPEC_TERMINATES_BOUND_MS;

const at = (ms: number) => `t=${(ms / 1000).toFixed(3)}s`;
// the caller's host is usually named `wait` itself: say `wait #1`, not `wait wait #1`
const who = (w: WaitSeen) => `${w.host === 'wait' ? '' : `${w.host} `}wait #${w.attempt}`;
const finalText = (t: SessionTruth) =>
  t.finalResult ? `${t.finalResult.status}/${t.finalResult.exitCode} (${t.finalResult.file} at ${at(t.finalResult.t)})` : 'none';

function verdictOf(bad: Evidence[], what: string, okSummary: string): ReturnType<Checker<SessionCheckInput>> {
  if (bad.length === 0) return pass(okSummary);
  return fail(`${what}: ${bad[0]?.note}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ''}`, bad.slice(0, 12));
}

/** A failure the wait claims about the session: a completion with exit=1, 124, the dead-session exit 1, a fatal error. */
function failureClaim(w: WaitSeen): string | undefined {
  const v = w.verdict;
  if (v.kind === 'completed' && v.exit !== 0) return `COMPLETED status=${v.status} exit=${v.exit} synthetic=${v.synthetic}`;
  if (v.kind === 'timeout') return 'exit 124 (TIMEOUT)';
  if (v.kind === 'dead') return 'exit 1 (no live daemon process and no terminal result)';
  if (v.kind === 'fatal') return `exit 1 (Error: ${v.message})`;
  return undefined;
}

/** `no-false-failure`: a session whose final result is success never makes a wait exit 1 or 124. */
export const noFalseFailure: Checker<SessionCheckInput> = ({ truth, observed }) => {
  if (!truth.finalResult?.success) return pass(`the session's final result is not a success (${finalText(truth)})`);
  if (!truth.recoverable) return pass(`unrecoverable run, failures excused: ${truth.unrecoverableBecause.join('; ')}`);
  const bad: Evidence[] = [];
  // A wait begun no later than the session's first process (the same instant included: the
  // scheduler's order within it is not the session's) cannot resolve the session (spec §4): its
  // error is the truth, not a false failure.
  const sessionFrom = Math.min(...truth.alive.map((a) => a.from));
  let before = 0;
  for (const w of observed.waits) {
    const claim = failureClaim(w);
    if (claim && w.verdict.kind === 'fatal' && w.startedAt <= sessionFrom) before++;
    else if (claim)
      bad.push({ t: w.endedAt, note: `${who(w)} reported ${claim} at ${at(w.endedAt)}, but the final result is ${finalText(truth)}` });
  }
  const early = before > 0 ? `; ${before} begun before the session existed failed truthfully` : '';
  return verdictOf(bad, 'false failure', `no wait reported a failure for a successful session (${observed.waits.length} waits${early})`);
};

/** `no-false-success`: COMPLETED exit=0 only for a successful final result, and no completion before the final result exists. */
export const noFalseSuccess: Checker<SessionCheckInput> = ({ truth, observed }) => {
  const bad: Evidence[] = [];
  const final = truth.finalResult;
  for (const w of observed.waits) {
    const v = w.verdict;
    if (v.kind !== 'completed') continue;
    if (v.exit === 0 && !final?.success)
      bad.push({
        t: w.endedAt,
        note: `${who(w)} reported COMPLETED status=${v.status} exit=0 at ${at(w.endedAt)}, but the final result is ${finalText(truth)}`,
      });
    else if (final && w.endedAt < final.t)
      bad.push({
        t: w.endedAt,
        tEnd: final.t,
        note: `${who(w)} completed (status=${v.status} exit=${v.exit}) at ${at(w.endedAt)}, before the final result ${finalText(truth)} existed`,
      });
  }
  return verdictOf(bad, 'false success', `every completion came after the final result and matched its success (${finalText(truth)})`);
};

/** `truthful-cap-exit`: 124 only with nothing alive and no result; KV-warm only for a session alive lately, and without COMPLETED. */
export const truthfulCapExit: Checker<SessionCheckInput> = ({ truth, observed }) => {
  const bad: Evidence[] = [];
  let caps = 0;
  for (const w of observed.waits) {
    const t = w.endedAt;
    if (w.verdict.kind === 'timeout') {
      caps++;
      const result = truth.resultWrites.find((r) => r.t <= t);
      if (aliveAt(truth, t)) bad.push({ t, note: `${who(w)} exited 124 at ${at(t)} while a session process was alive` });
      else if (result)
        bad.push({ t, note: `${who(w)} exited 124 at ${at(t)} although ${result.file} (${result.status}) existed since ${at(result.t)}` });
    } else if (w.stderr.includes('<!-- CSA:SESSION_WAIT_KV_WARM ')) {
      caps++;
      if (w.verdict.kind !== 'kv-warm' || w.stdout.length > 0)
        bad.push({ t, note: `${who(w)} KV-warm marker at ${at(t)} with exit ${w.exitCode}, output or a COMPLETED marker` });
      else if (!aliveDuring(truth, t - LIFE_AFTER_DEATH_MS, t))
        bad.push({ t, note: `${who(w)} said status=alive at ${at(t)}, but no session process had run since ${at(truth.endedAt ?? 0)}` });
    }
  }
  return verdictOf(bad, 'untruthful cap exit', caps === 0 ? 'no wait reached its cap' : `${caps} cap exits, each truthful`);
};

/** When nothing but the wait loop stands between the caller and its answer: the session's end (or the first wait, or the heal, if later), plus the caller's re-wait think time. */
function settledAt(input: SessionCheckInput): number | undefined {
  const { truth, scenario } = input;
  if (truth.endedAt === undefined) return undefined;
  const from = Math.max(truth.endedAt, scenario.workload.wait.startMs, scenario.mode === 'liveness' ? (scenario.healAtMs ?? 0) : 0);
  return from + scenario.workload.wait.rewaitDelayMs;
}

/**
 * `terminates`, judged by the harness (sim/judge.ts): after the session ended, some caller gets
 * a terminal answer within the bound; a reused pid must not keep it waiting.
 */
export const LIVENESS: LivenessSpec<SessionCheckInput> = {
  property: 'terminates',
  pending: 'terminal answer',
  boundMs: TERMINATES_BOUND_MS,
  settledAt,
  answer: (input) => {
    const first = input.observed.waits.find((w) => reportedTerminal(w));
    return first && { t: first.endedAt, what: first.verdict.kind };
  },
  instead: (input) =>
    `the session ended at ${at(input.truth.endedAt ?? 0)}; ${input.observed.waits.filter((w) => w.verdict.kind === 'kv-warm').length} KV-warm exits`,
};

/** When a terminal answer is due (the harness's deadline for `terminates`). */
export function terminatesDeadline(input: SessionCheckInput): number | undefined {
  const from = settledAt(input);
  return from === undefined ? undefined : from + TERMINATES_BOUND_MS;
}

function reportedTerminal(w: WaitSeen): boolean {
  return !['kv-warm', 'lock-held', 'killed'].includes(w.verdict.kind);
}

export const CHECKERS: Record<string, Checker<SessionCheckInput>> = {
  'no-false-failure': noFalseFailure,
  'no-false-success': noFalseSuccess,
  'truthful-cap-exit': truthfulCapExit,
  'no-lost-output': noLostOutput,
};
