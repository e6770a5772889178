/**
 * The session-wait checkers on hand-written histories: each must fail where the property is
 * broken and pass where it holds, including the boundaries (the 61 s life-after-death window,
 * the terminates deadline, an unrecoverable run).
 */
import { describe, expect, it } from 'vitest';
import { completedMarker } from '../../../reference-impl/session-wait/completion.ts';
import type { WaitRun } from '../../../reference-impl/session-wait/caller.ts';
import {
  LIFE_AFTER_DEATH_MS,
  noFalseFailure,
  noFalseSuccess,
  LIVENESS,
  TERMINATES_BOUND_MS,
  terminatesDeadline,
  truthfulCapExit,
  type SessionCheckInput,
} from '../../../reference-impl/session-wait/target/checkers.ts';
import { classify, observe } from '../../../reference-impl/session-wait/target/observe.ts';
import type { SessionTruth } from '../../../reference-impl/session-wait/target/truth.ts';
import { S, scenario, workload } from './helpers.ts';
import { livenessChecker } from '../../../sim/judge.ts';

// `terminates` is judged by the harness from the target's LIVENESS spec, as every run judges it
const terminates = livenessChecker(LIVENESS);

const KV = `<!-- CSA:SESSION_WAIT_KV_WARM session=${S} status=alive elapsed=3s action=re-wait cmd="csa session wait --session ${S}" -->\n`;
const TIMEOUT_DEAD = `<!-- CSA:SESSION_WAIT_TIMEOUT session=${S} elapsed=3s status=dead cmd="csa session result --session ${S}" -->\n`;

function run(endedAt: number, exitCode: number | null, stdout: string, stderr: string, host = 'wait'): WaitRun {
  return { host, attempt: 1, pid: 400, startedAt: endedAt - 1_000, endedAt, capSecs: 3, exitCode, stdout, stderr };
}
const completion = (t: number, status: string, exit: number, synthetic = false) => {
  const m = completedMarker(S, status, exit, synthetic) + '\n';
  return run(t, exit, m, m);
};
const kvWarm = (t: number) => run(t, 0, '', KV);
const timeoutDead = (t: number) => run(t, 124, '', TIMEOUT_DEAD);
const deadExit = (t: number) => run(t, 1, '', `Session ${S} has no live daemon process and no terminal result packet.\n`);
const lockHeld = (t: number) => run(t, 1, '', 'ERROR: another csa session wait is already running for session X (lock held). ...\n');

/** A session whose daemon ran [0, 2400) and wrote `final` at 2000. */
function truth(
  over: Partial<SessionTruth> = {},
  final: { status: string; exitCode: number } | null = { status: 'success', exitCode: 0 },
): SessionTruth {
  const writes = final ? [{ t: 2_000, file: 'result.toml' as const, ...final }] : [];
  const t: SessionTruth = {
    streams: {},
    outcome: { kind: 'exit', code: 0, signal: null, denied: false, t: 2_000 },
    recoverable: true,
    unrecoverableBecause: [],
    runEndedAt: 400_000,
    resultWrites: writes,
    alive: [{ name: 'csa-daemon', from: 0, to: 2_400 }],
    endedAt: 2_400,
    ...over,
  };
  const last = writes.at(-1);
  if (last && !('finalResult' in over)) t.finalResult = { ...last, success: last.status === 'success' && last.exitCode === 0 };
  return t;
}

function input(t: SessionTruth, runs: WaitRun[]): SessionCheckInput {
  const observed = observe(runs);
  return { history: [], observed, truth: t, scenario: scenario('fixed', workload()) };
}

describe('observe: a wait is classified by its exit code and markers', () => {
  it('tells every exit path apart', () => {
    expect(classify(completion(1, 'signal', 1))).toEqual({ kind: 'completed', status: 'signal', exit: 1, synthetic: false });
    expect(classify(kvWarm(1))).toEqual({ kind: 'kv-warm' });
    expect(classify(timeoutDead(1))).toEqual({ kind: 'timeout', status: 'dead' });
    expect(classify(deadExit(1))).toEqual({ kind: 'dead' });
    expect(classify(lockHeld(1))).toEqual({ kind: 'lock-held' });
    expect(classify(run(1, 1, '', 'Error: failed to parse x\n'))).toEqual({ kind: 'fatal', message: 'failed to parse x' });
    expect(classify(run(1, null, '', ''))).toEqual({ kind: 'killed' });
    expect(classify(run(1, 0, '', ''))).toEqual({ kind: 'unrecognized' });
  });

  it('delivers the stdout.log copy (before the first marker) of completions only', () => {
    const o = observe([run(5, 0, 'o000000\n' + completedMarker(S, 'success', 0, false) + '\n', ''), kvWarm(3)]);
    expect(o.streams.stdout?.map((c) => Buffer.from(c.data).toString())).toEqual(['o000000\n']);
    expect(o.results.map((r) => r.outcome.kind)).toEqual(['running', 'exit']);
  });
});

describe('no-false-failure', () => {
  it('fails on exit 1 or 124 for a session whose final result is success, from any wait', () => {
    for (const bad of [completion(2_500, 'failure', 1), timeoutDead(2_500), deadExit(2_500), completion(2_500, 'failure', 1, true)])
      expect(noFalseFailure(input(truth(), [kvWarm(1_000), bad])).valid).toBe(false);
    expect(noFalseFailure(input(truth(), [completion(2_500, 'success', 0), completion(2_600, 'failure', 1)])).valid).toBe(false);
  });

  it('passes for success, for a refused second wait, for a failed session, and excuses an unrecoverable run', () => {
    expect(noFalseFailure(input(truth(), [lockHeld(1_000), kvWarm(1_000), completion(2_500, 'success', 0)])).valid).toBe(true);
    expect(noFalseFailure(input(truth({}, { status: 'failure', exitCode: 2 }), [completion(2_500, 'failure', 1)])).valid).toBe(true);
    expect(noFalseFailure(input(truth({ recoverable: false, unrecoverableBecause: ['torn read'] }), [deadExit(2_500)])).valid).toBe(true);
  });
});

describe('no-false-success', () => {
  it('fails on COMPLETED exit=0 for a failed, or result-less, session', () => {
    expect(noFalseSuccess(input(truth({}, { status: 'failure', exitCode: 1 }), [completion(2_500, 'success', 0)])).valid).toBe(false);
    expect(noFalseSuccess(input(truth({}, null), [completion(2_500, 'success', 0)])).valid).toBe(false);
  });

  it('fails on any completion before the final result existed, even one with the right answer', () => {
    expect(noFalseSuccess(input(truth(), [completion(1_999, 'success', 0)])).valid).toBe(false);
    expect(noFalseSuccess(input(truth(), [completion(1_999, 'failure', 1)])).valid).toBe(false);
  });

  it('passes a completion at or after the final result, and any exit 1 of a failed session', () => {
    expect(noFalseSuccess(input(truth(), [completion(2_000, 'success', 0)])).valid).toBe(true);
    expect(noFalseSuccess(input(truth({}, null), [completion(2_500, 'signal', 1)])).valid).toBe(true);
    expect(noFalseSuccess(input(truth(), [kvWarm(1_000), timeoutDead(1_500)])).valid).toBe(true);
  });
});

describe('truthful-cap-exit', () => {
  it('fails on 124 while a session process is alive, and on 124 after a result was written', () => {
    expect(truthfulCapExit(input(truth(), [timeoutDead(1_000)])).valid).toBe(false);
    expect(truthfulCapExit(input(truth(), [timeoutDead(2_400)])).valid).toBe(false);
  });

  it('passes 124 with nothing alive and no result', () => {
    expect(truthfulCapExit(input(truth({}, null), [timeoutDead(2_400)])).valid).toBe(true);
  });

  it(`fails on KV-warm more than ${LIFE_AFTER_DEATH_MS} ms after the last session process, or with a COMPLETED marker`, () => {
    expect(truthfulCapExit(input(truth(), [kvWarm(2_400 + LIFE_AFTER_DEATH_MS)])).valid).toBe(true);
    expect(truthfulCapExit(input(truth(), [kvWarm(2_401 + LIFE_AFTER_DEATH_MS)])).valid).toBe(false);
    expect(truthfulCapExit(input(truth(), [run(1_000, 0, '', KV + completedMarker(S, 'success', 0, false))])).valid).toBe(false);
  });
});

describe('terminates', () => {
  const by = 2_400 + TERMINATES_BOUND_MS; // the session ended at 2.4 s; the caller started at 0.5 s

  it('passes with a terminal answer by the deadline; KV-warm and refusals are not terminal', () => {
    expect(terminates(input(truth(), [kvWarm(10_000), lockHeld(11_000), timeoutDead(by)])).valid).toBe(true);
  });

  it('fails when only KV-warm exits came, or the first terminal answer came late', () => {
    expect(terminates(input(truth(), [kvWarm(30_000), kvWarm(by + 5_000)])).valid).toBe(false);
    expect(terminates(input(truth(), [completion(by + 1, 'success', 0)])).valid).toBe(false);
  });

  it('does not apply while a session process still runs, and cannot tell when the run ended early', () => {
    const running = terminates(input(truth({ alive: [{ name: 'csa-daemon', from: 0 }], endedAt: undefined }), []));
    expect(running.valid).toBe(true);
    expect(running.notApplicable).toMatch(/no terminal answer is due/);
    expect(terminates(input(truth({ runEndedAt: by - 1 }), [kvWarm(3_000)])).valid).toBe('unknown');
  });
});

describe('session-wait checkers: edges mutation testing showed unguarded', () => {
  it('truthful-cap-exit: a 124 is judged against results written by then, not later ones; wording names the wait', () => {
    // the result is written at 2 s: a 124 at 2.5 s (nothing alive after 2.4 s) had it on disk
    const r = truthfulCapExit(input(truth({ alive: [{ name: 'csa-daemon', from: 0, to: 1_500 }] }), [timeoutDead(2_500)]));
    expect(r.valid).toBe(false);
    expect(r.summary).toBe(
      'untruthful cap exit: wait #1 exited 124 at t=2.500s although result.toml (success) existed since t=2.000s',
    );
    // a 124 at 1.8 s, before the result existed and with nothing alive, was truthful
    expect(truthfulCapExit(input(truth({ alive: [{ name: 'csa-daemon', from: 0, to: 1_500 }] }), [timeoutDead(1_800)])).valid).toBe(true);
    expect(truthfulCapExit(input(truth(), [])).summary).toBe('no wait reached its cap');
    expect(truthfulCapExit(input(truth(), [kvWarm(1_000), kvWarm(2_000)])).summary).toBe('2 cap exits, each truthful');
  });

  it('truthful-cap-exit: a KV-warm marker with exit 1, or with output, is untruthful', () => {
    expect(truthfulCapExit(input(truth(), [run(1_000, 1, '', KV)])).valid).toBe(false);
    expect(truthfulCapExit(input(truth(), [run(1_000, 0, 'some output\n', KV)])).valid).toBe(false);
  });

  it('terminates: the deadline runs from the latest of the session end, the first wait and the heal (liveness only)', () => {
    const at = (over: Partial<SessionCheckInput['scenario']>, wait: Partial<SessionCheckInput['scenario']['workload']['wait']> = {}) => {
      const i = input(truth(), []);
      i.scenario = { ...i.scenario, ...over, workload: { ...i.scenario.workload, wait: { ...i.scenario.workload.wait, ...wait } } };
      return terminatesDeadline(i);
    };
    expect(LIFE_AFTER_DEATH_MS).toBe(61_000);
    expect(TERMINATES_BOUND_MS).toBe(62_000);
    expect(at({})).toBe(2_400 + 62_000);
    expect(at({}, { rewaitDelayMs: 5_000 })).toBe(2_400 + 62_000 + 5_000);
    expect(at({}, { startMs: 45_000 })).toBe(45_000 + 62_000);
    expect(at({ mode: 'liveness', healAtMs: 10_000 })).toBe(10_000 + 62_000);
    expect(at({ mode: 'safety', healAtMs: 10_000 })).toBe(2_400 + 62_000);
    expect(at({ mode: 'liveness' })).toBe(2_400 + 62_000);
    // an answer after the plain deadline but before the heal-moved one is on time
    const healed = input(truth(), [completion(70_000, 'success', 0)]);
    healed.scenario = { ...healed.scenario, mode: 'liveness', healAtMs: 10_000 };
    expect(terminates(healed).valid).toBe(true);
    expect(terminates(input(truth(), [completion(70_000, 'success', 0)])).valid).toBe(false);
  });

  it('terminates: a late answer and a missing one are told apart; KV-warm exits are counted, refusals are not', () => {
    const late = terminates(input(truth(), [completion(by2 + 1, 'success', 0)]));
    expect(late.summary).toBe('the terminal answer (completed) came only at t=64.401s, after the deadline t=64.400s');
    expect(late.evidence).toEqual([{ t: by2, tEnd: by2 + 1, note: 'late result' }]);
    const none = terminates(input(truth(), [kvWarm(30_000), lockHeld(31_000)]));
    expect(none.summary).toBe(`no terminal answer by the deadline t=64.400s (the session ended at t=2.400s; 1 KV-warm exits)`);
    expect(none.evidence).toEqual([{ t: by2, note: 'deadline passed with no result' }]);
    // a run that ended exactly at the deadline had its chance
    expect(terminates(input(truth({ runEndedAt: by2 }), [kvWarm(3_000)])).valid).toBe(false);
  });

  it('truthful-cap-exit: a 124 at the very instant of the result write is untruthful; several truthful 124s are counted', () => {
    const deadEarly = { alive: [{ name: 'csa-daemon', from: 0, to: 1_500 }] };
    expect(truthfulCapExit(input(truth(deadEarly), [timeoutDead(2_000)])).valid).toBe(false);
    const r = truthfulCapExit(input(truth({}, null), [timeoutDead(2_400), timeoutDead(9_000)]));
    expect(r).toMatchObject({ valid: true, summary: '2 cap exits, each truthful' });
    // a completion is not a cap exit, whatever it printed
    expect(truthfulCapExit(input(truth(), [completion(3_000, 'success', 0)])).summary).toBe('no wait reached its cap');
  });

  it('no-false-failure: a fatal error counts as a failure; several are summarised; no final result is not a success', () => {
    const fatal = run(2_500, 1, '', 'Error: failed to parse result.toml\n');
    const r = noFalseFailure(input(truth(), [fatal, deadExit(2_600)]));
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(
      /^false failure: wait #1 reported exit 1 \(Error: failed to parse result\.toml\) at t=2\.500s.* \(and 1 more\)$/,
    );
    expect(r.evidence).toHaveLength(2);
    expect(noFalseFailure(input(truth({}, null), [deadExit(2_500)])).valid).toBe(true);
  });

  it('no-false-failure: a wait begun before the session existed fails truthfully on its error; one begun after does not', () => {
    const enoent = (startedAt: number) => ({ ...run(startedAt, 1, '', 'Error: ENOENT: no such file or directory, open .wait.lock\n'), startedAt });
    const later = { alive: [{ name: 'csa-daemon', from: 500, to: 2_400 }] };
    const r = noFalseFailure(input(truth(later), [enoent(500), completion(2_500, 'success', 0)]));
    expect(r).toMatchObject({ valid: true, summary: expect.stringMatching(/1 begun before the session existed failed truthfully/) });
    expect(noFalseFailure(input(truth(later), [enoent(501)])).valid).toBe(false);
    // only an error: a dead-session exit 1 from a wait begun early is still a false failure
    expect(noFalseFailure(input(truth(later), [{ ...deadExit(400), startedAt: 400 }])).valid).toBe(false);
  });
});

const by2 = 2_400 + TERMINATES_BOUND_MS;
