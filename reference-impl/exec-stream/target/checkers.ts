/**
 * exec-stream's own checkers (spec §4): I4 authoritative completion and I7 Failed is terminal,
 * plus the deadline of I5. The others are the generic ones (sim/check).
 */
import { fail, pass, terminalResult, truthfulExit, type Checker } from '../../../sim/check/index.ts';
import type { Scenario } from '../../../sim/target.ts';
import { faultEndMs } from './faultKinds.ts';
import type { ExecCheckInput, ExecObserved, ExecTruth } from './history.ts';
import { SPEC_CALL_DEADLINE_MS, SPEC_RECOVERY_WINDOW_MS } from './spec.ts';
import { exitAtMs, type ExecWorkload } from './workload.ts';

/** How long a call may take once nothing stands in its way (spec I5: recovery window plus the call). */
export const CALL_DEADLINE_MS = SPEC_CALL_DEADLINE_MS;

/** I5's bound once nothing stands in the way: the 25 s recovery window plus the call deadline. */
export const TERMINATES_BOUND_MS = SPEC_RECOVERY_WINDOW_MS + CALL_DEADLINE_MS;

/**
 * When a run settles for I5: the later of the process's close and the end of every fault window
 * (or the heal, in liveness mode).
 */
export function settledAtMs(scenario: Pick<Scenario<ExecWorkload>, 'workload' | 'faults' | 'mode' | 'healAtMs'>): number {
  const w = scenario.workload;
  const processEnd = exitAtMs(w) + w.childHoldsPipesMs;
  let faultsEnd = 0;
  for (const f of scenario.faults) faultsEnd = Math.max(faultsEnd, faultEndMs(f));
  if (scenario.mode === 'liveness' && scenario.healAtMs !== undefined) faultsEnd = Math.min(faultsEnd, scenario.healAtMs);
  return Math.max(processEnd, faultsEnd);
}

/** I5's deadline: the settle time plus the bound. */
export function deadlineMs(scenario: Pick<Scenario<ExecWorkload>, 'workload' | 'faults' | 'mode' | 'healAtMs'>): number {
  return settledAtMs(scenario) + TERMINATES_BOUND_MS;
}

/**
 * `authoritative-completion` (I4): a clean completion (an exit result without an error) only
 * after the server's Closed, with every output seq below it delivered or announced as a gap,
 * and the exit code and denial state the server recorded. Failures and exits carrying an
 * explicit error are not completions (see no-false-failure).
 */
export const authoritativeCompletion: Checker<{ truth: ExecTruth; observed: ExecObserved }> = ({ truth, observed }) => {
  const r = terminalResult(observed);
  if (!r || r.outcome.kind !== 'exit' || r.outcome.error !== undefined)
    return pass(r ? 'not a completion claim' : 'no terminal result (see terminates)');
  const o = r.outcome;
  const closed = truth.seqs.find((s) => s.type === 'closed');
  if (!closed || closed.t > r.t) {
    return fail('completion reported before the server closed the process', [{ t: r.t, note: 'completion without Closed' }]);
  }
  const problems: string[] = [];
  const applied = new Set(observed.deliveries.filter((d) => d.t <= r.t).map((d) => d.seq));
  const announced = (seq: number) => observed.gaps.some((g) => g.t <= r.t && seq > g.afterSeq && seq <= g.throughSeq);
  const missing = truth.seqs
    .filter((s) => s.type === 'output' && s.seq < closed.seq && !applied.has(s.seq) && !announced(s.seq))
    .map((s) => s.seq);
  if (missing.length > 0)
    problems.push(`completed with output seq ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''} not applied`);
  const exited = truth.seqs.find((s) => s.type === 'exited');
  if (exited?.type === 'exited') {
    if (o.code !== exited.exitCode) problems.push(`exit ${o.code} reported, the server recorded ${exited.exitCode}`);
    if (o.denied !== undefined && o.denied !== exited.sandboxDenied) {
      problems.push(
        exited.sandboxDenied
          ? 'the sandbox denial the server recorded was not reported'
          : 'a denial reported that the server did not record',
      );
    }
  }
  if (problems.length === 0) return pass(`completed after Closed (seq ${closed.seq}) with every lower seq applied`);
  return fail(problems.join('; '), [{ t: r.t, note: problems.join('; ') }]);
};

/**
 * `failed-is-terminal` (I7): a failure is never reported after a completion (F21: a late
 * transport failure must not flip a success), and nothing follows a failure: no other result,
 * no output.
 */
export const failedIsTerminal: Checker<{ observed: ExecObserved }> = ({ observed }) => {
  const results = observed.results.filter((x) => x.outcome.kind !== 'running');
  const firstExit = results.findIndex((x) => x.outcome.kind === 'exit');
  const failAfterExit = results.findIndex((x, i) => i > firstExit && firstExit >= 0 && x.outcome.kind === 'failure');
  if (failAfterExit >= 0) {
    const t = (results[failAfterExit] as { t: number }).t;
    return fail('a failure was reported after the process completed', [{ t, note: 'Failed after completion' }]);
  }
  const firstFailure = results.find((x) => x.outcome.kind === 'failure');
  if (!firstFailure) return pass('no failure reported');
  const after = results.filter((x) => x.t >= firstFailure.t && x !== firstFailure);
  const outputAfter = observed.deliveries.filter((d) => d.t > firstFailure.t);
  if (after.length === 0 && outputAfter.length === 0) return pass('nothing followed the failure');
  const what = [after.length > 0 ? `${after.length} result(s)` : '', outputAfter.length > 0 ? `${outputAfter.length} output chunk(s)` : '']
    .filter(Boolean)
    .join(' and ');
  return fail(`${what} after the failure`, [{ t: firstFailure.t, note: `${what} followed` }]);
};

export type { ExecCheckInput };

/**
 * `truthful-exit`, judging the denial bit against what the server classified: the protocol
 * cannot be more truthful than its executor, whose 20 ms wait for trailing output is a known
 * race (spec F8: a pump that has not read the denial line yet, or a tiny retention cap, makes
 * the server say "not denied"). Code and signal are judged against the process itself.
 */
export const truthfulExitExec: Checker<{ truth: ExecTruth; observed: ExecObserved }> = (input) => {
  const { truth } = input;
  const exited = truth.seqs.find((s) => s.type === 'exited');
  if (truth.outcome.kind !== 'exit' || exited?.type !== 'exited' || exited.sandboxDenied === truth.outcome.denied)
    return truthfulExit(input);
  const r = truthfulExit({ ...input, truth: { ...truth, outcome: { ...truth.outcome, denied: exited.sandboxDenied } } });
  return {
    ...r,
    summary: `${r.summary} (the server classified the denial as ${exited.sandboxDenied}, the process ${truth.outcome.denied}: F8)`,
  };
};
