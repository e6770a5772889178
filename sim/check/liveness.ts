/**
 * Liveness: the caller reaches a terminal result within a bound of virtual time. In liveness
 * mode the clock starts when faults heal (or when the process ends, if later); in safety mode
 * only protocols that promise an answer regardless of faults give a deadline.
 */
import type { Observed, Truth } from './history.ts';
import { fail, pass, unknown, type Checker } from './result.ts';

export interface LivenessInput {
  truth: Truth;
  observed: Observed;
}

/**
 * `terminates`: `deadline` returns the absolute virtual ms by which a result must exist, or
 * undefined when the property does not apply to this run (it then passes as not applicable).
 */
export function terminates<I extends LivenessInput>(deadline: (input: I) => number | undefined, what = 'terminal result'): Checker<I> {
  return (input) => {
    const by = deadline(input);
    if (by === undefined) return pass('not applicable to this run (no deadline)');
    // a `running` answer (KV-warm: ask again) is not the end of the call
    const first = input.observed.results.find((r) => r.outcome.kind !== 'running');
    if (first && first.t <= by)
      return pass(`a ${what} at t=${(first.t / 1000).toFixed(3)}s, within the deadline t=${(by / 1000).toFixed(3)}s`);
    if (first)
      return fail(`the ${what} came only at t=${(first.t / 1000).toFixed(3)}s, after the deadline t=${(by / 1000).toFixed(3)}s`, [
        { t: by, tEnd: first.t, note: 'late result' },
      ]);
    if (input.truth.runEndedAt < by)
      return unknown(`the run ended at t=${(input.truth.runEndedAt / 1000).toFixed(3)}s, before the deadline, with no result`);
    return fail(`no ${what} by the deadline t=${(by / 1000).toFixed(3)}s`, [{ t: by, note: 'deadline passed with no result' }]);
  };
}
