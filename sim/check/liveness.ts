/**
 * Liveness: the caller reaches a terminal result within a bound of virtual time. In liveness
 * mode the clock starts when faults heal (or when the process ends, if later); in safety mode
 * only protocols that promise an answer regardless of faults give a deadline.
 */
import type { Observed, Truth } from './history.ts';
import { fail, notApplicable, pass, unknown, type Checker } from './result.ts';

export interface LivenessInput {
  truth: Truth;
  observed: Observed;
}

/** The caller's first terminal answer: when, and what it was ("exit 0", "completion"...). */
export interface Answer {
  t: number;
  what?: string;
}

export interface TerminatesOptions<I> {
  /** What the caller owes, in words (default "terminal result"). */
  what?: string;
  /** Its first terminal answer; default the first observed result that is not `running` (KV-warm: ask again). */
  answer?(input: I): Answer | undefined;
  /** What the caller did instead of answering, added to a missing-answer verdict ("3 KV-warm exits"). */
  instead?(input: I): string | undefined;
}

const secs = (ms: number) => `t=${(ms / 1000).toFixed(3)}s`;

function firstResult(input: LivenessInput): Answer | undefined {
  const r = input.observed.results.find((x) => x.outcome.kind !== 'running');
  return r && { t: r.t };
}

/**
 * `terminates`: `deadline` returns the absolute virtual ms by which an answer must exist, or
 * undefined when no answer is due on this run (reported not applicable, never as held).
 */
export function terminates<I extends LivenessInput>(
  deadline: (input: I) => number | undefined,
  opts: string | TerminatesOptions<I> = {},
): Checker<I> {
  const o: TerminatesOptions<I> = typeof opts === 'string' ? { what: opts } : opts;
  const what = o.what ?? 'terminal result';
  return (input) => {
    const by = deadline(input);
    if (by === undefined) return notApplicable(`no ${what} is due on this run (the process had not ended, or the faults never settled)`);
    const first = o.answer ? o.answer(input) : firstResult(input);
    const kind = first?.what ? ` (${first.what})` : '';
    if (first && first.t <= by) return pass(`a ${what}${kind} at ${secs(first.t)}, within the deadline ${secs(by)}`);
    if (first)
      return fail(`the ${what}${kind} came only at ${secs(first.t)}, after the deadline ${secs(by)}`, [
        { t: by, tEnd: first.t, note: 'late result' },
      ]);
    if (input.truth.runEndedAt < by) return unknown(`the run ended at ${secs(input.truth.runEndedAt)}, before the deadline, with no ${what}`);
    const instead = o.instead?.(input);
    return fail(`no ${what} by the deadline ${secs(by)}${instead ? ` (${instead})` : ''}`, [{ t: by, note: 'deadline passed with no result' }]);
  };
}
