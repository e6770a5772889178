/**
 * Terminal verdict against truth: the caller's reported outcome (exit code, signal, denial, or an
 * explicit failure) must equal what really happened. A reported failure is only acceptable when
 * the run was not recoverable; a clean success is never acceptable when the process failed or
 * output went missing silently.
 */
import type { Observed, ReportedOutcome, TrueOutcome, Truth } from './history.ts';
import { accountOutput, bytes, sumRanges, terminalResult } from './output.ts';
import { fail, pass, type Checker } from './result.ts';

export interface VerdictInput {
  truth: Truth;
  observed: Observed;
}

export function describeReported(o: ReportedOutcome): string {
  switch (o.kind) {
    case 'exit': {
      const parts = [o.signal ? `signal ${o.signal}` : `exit ${o.code === null ? 'null' : o.code}`];
      if (o.denied) parts.push('sandbox denied');
      if (o.error !== undefined) parts.push(`error "${o.error}"`);
      return parts.join(', ');
    }
    case 'failure':
      return `failure "${o.message}"`;
    case 'running':
      return 'still running';
  }
}

export function describeTrue(o: TrueOutcome): string {
  if (o.kind === 'running') return 'still running';
  const parts = [o.signal ? `killed by ${o.signal}` : `exit ${o.code === null ? 'null' : o.code}`];
  if (o.denied) parts.push('sandbox denied');
  return parts.join(', ');
}

function trueSuccess(o: TrueOutcome): boolean {
  return o.kind === 'exit' && o.code === 0 && o.signal === null && !o.denied;
}

/** An outcome the caller presents as a failing fact, or as an explicit failure. */
function reportedAsFailing(o: ReportedOutcome): 'explicit' | 'fact' | false {
  if (o.kind === 'failure') return 'explicit';
  if (o.kind === 'exit') {
    if (o.error !== undefined) return 'explicit';
    if (o.code !== 0 || (o.signal ?? null) !== null || o.denied === true) return 'fact';
  }
  return false;
}

function cleanSuccess(o: ReportedOutcome): boolean {
  return o.kind === 'exit' && o.code === 0 && (o.signal ?? null) === null && o.denied !== true && o.error === undefined;
}

/** `single-result`: the caller reports at most one terminal result. */
export const singleResult: Checker<{ observed: Observed }> = ({ observed }) => {
  const terminal = observed.results.filter((r) => r.outcome.kind !== 'running');
  if (terminal.length <= 1) return pass(terminal.length === 1 ? 'exactly one terminal result' : 'no terminal result (see terminates)');
  return fail(
    `${terminal.length} terminal results: ${terminal.map((r) => describeReported(r.outcome)).join(' then ')}`,
    terminal.map((r) => ({ t: r.t, note: `result: ${describeReported(r.outcome)}` })),
  );
};

/** `no-false-failure`: a process that succeeded is never reported as failed, unless the run was unrecoverable and the failure is explicit. */
export const noFalseFailure: Checker<VerdictInput> = ({ truth, observed }) => {
  const r = terminalResult(observed);
  if (!r) return pass('no terminal result (see terminates)');
  const how = reportedAsFailing(r.outcome);
  if (!how) return pass(`reported ${describeReported(r.outcome)}`);
  if (truth.outcome.kind === 'exit' && !trueSuccess(truth.outcome))
    return pass(`reported ${describeReported(r.outcome)}; the process really failed (${describeTrue(truth.outcome)})`);
  if (how === 'explicit' && !truth.recoverable) {
    return pass(`explicit failure in an unrecoverable run (${truth.unrecoverableBecause.join('; ') || 'unrecoverable'})`);
  }
  const really = describeTrue(truth.outcome);
  return fail(
    `false failure: reported ${describeReported(r.outcome)} but the process ${truth.outcome.kind === 'running' ? 'was still running' : `really ended with ${really}`}`,
    [{ t: r.t, note: `reported ${describeReported(r.outcome)}; truth: ${really}` }],
  );
};

/** `no-false-success`: a clean success is reported only for a process that succeeded and whose output arrived whole (or its loss was announced). */
export const noFalseSuccess: Checker<VerdictInput> = ({ truth, observed }) => {
  const r = terminalResult(observed);
  if (!r || !cleanSuccess(r.outcome)) return pass(r ? `reported ${describeReported(r.outcome)}` : 'no terminal result (see terminates)');
  if (!trueSuccess(truth.outcome)) {
    const really = describeTrue(truth.outcome);
    return fail(
      `false success: reported exit 0 but the process ${truth.outcome.kind === 'running' ? 'was still running' : `ended with ${really}`}`,
      [{ t: r.t, note: `reported exit 0; truth: ${really}` }],
    );
  }
  const silent = accountOutput({ truth, observed }).filter((a) => a.lost.length > 0 && !a.announced);
  if (silent.length > 0) {
    const what = silent.map((a) => `${bytes(sumRanges(a.lost))} of ${a.stream}`).join(', ');
    return fail(`false success: a clean exit 0 with output missing (${what})`, [
      { t: r.t, note: `clean exit 0 reported while ${what} never arrived` },
    ]);
  }
  return pass('clean success, and the process succeeded with its output whole');
};

/** `truthful-exit`: a reported exit status (without an attached error) equals the real one: code, signal and denial. */
export const truthfulExit: Checker<VerdictInput> = ({ truth, observed }) => {
  const r = terminalResult(observed);
  if (!r || r.outcome.kind !== 'exit' || r.outcome.error !== undefined)
    return pass(r ? `reported ${describeReported(r.outcome)}` : 'no terminal result');
  const t = truth.outcome;
  if (t.kind !== 'exit')
    return fail(`reported ${describeReported(r.outcome)} for a process still running`, [{ t: r.t, note: 'exit reported while running' }]);
  const o = r.outcome;
  const problems: string[] = [];
  if (t.signal !== null) {
    if ((o.signal ?? null) !== t.signal && o.code === 0) problems.push(`a process killed by ${t.signal} reported as exit 0`);
  } else if (o.code !== t.code)
    problems.push(`exit ${o.code === null ? 'null' : o.code} reported, really ${t.code === null ? 'null' : t.code}`);
  if (o.denied !== undefined && o.denied !== t.denied)
    problems.push(t.denied ? 'a sandbox denial reported as an ordinary exit' : 'a denial reported that did not happen');
  if (problems.length === 0) return pass(`reported ${describeReported(o)}, as it was`);
  return fail(problems.join('; '), [{ t: r.t, note: problems.join('; ') }]);
};
