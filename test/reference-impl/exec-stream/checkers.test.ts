import { describe, expect, it } from 'vitest';
import type { ReportedOutcome } from '../../../sim/check/index.ts';
import { ServerLedger, type LedgerSeq } from '../../../reference-impl/exec-stream/server/ledger.ts';
import {
  authoritativeCompletion,
  deadlineMs,
  failedIsTerminal,
  truthfulExitExec,
} from '../../../reference-impl/exec-stream/target/checkers.ts';
import type { ExecObserved, ExecTruth } from '../../../reference-impl/exec-stream/target/history.ts';
import { detachWindows, unrecoverableBecause } from '../../../reference-impl/exec-stream/target/recoverable.ts';
import type { ExecWorkload } from '../../../reference-impl/exec-stream/target/workload.ts';

const P = 'p1';
const seqs = (denied = false, exitCode = 0): LedgerSeq[] => [
  { t: 1, processId: P, seq: 1, type: 'output', stream: 'stdout', offset: 0, bytes: 8 },
  { t: 2, processId: P, seq: 2, type: 'output', stream: 'stdout', offset: 8, bytes: 8 },
  { t: 3, processId: P, seq: 3, type: 'exited', exitCode, sandboxDenied: denied, watcherLost: false },
  { t: 4, processId: P, seq: 4, type: 'closed' },
];

function truth(extra: Partial<ExecTruth> = {}): ExecTruth {
  return {
    streams: {},
    outcome: { kind: 'exit', code: 0, signal: null, denied: false, t: 3 },
    recoverable: true,
    unrecoverableBecause: [],
    runEndedAt: 1_000,
    processId: P,
    seqs: seqs(),
    ...extra,
  };
}

function observed(results: Array<[number, ReportedOutcome]>, deliveries: number[], extra: Partial<ExecObserved> = {}): ExecObserved {
  return {
    streams: {},
    notices: [],
    results: results.map(([t, outcome]) => ({ t, outcome })),
    deliveries: deliveries.map((seq) => ({ t: 5, seq })),
    gaps: [],
    ...extra,
  };
}

const EXIT0: ReportedOutcome = { kind: 'exit', code: 0, denied: false };

describe('authoritative-completion (I4)', () => {
  it('passes a completion after Closed with every seq applied and the recorded exit and denial', () => {
    expect(authoritativeCompletion({ truth: truth(), observed: observed([[10, EXIT0]], [1, 2]) }).valid).toBe(true);
  });
  it('passes failures and exits with an explicit error: they claim no completion', () => {
    expect(authoritativeCompletion({ truth: truth(), observed: observed([[10, { kind: 'failure', message: 'x' }]], []) }).valid).toBe(true);
    expect(
      authoritativeCompletion({ truth: truth(), observed: observed([[10, { kind: 'exit', code: -1, error: 'unknown' }]], []) }).valid,
    ).toBe(true);
  });
  it('fails a completion before the server closed the process (Lagged taken as closed)', () => {
    expect(authoritativeCompletion({ truth: truth(), observed: observed([[3, EXIT0]], [1, 2]) }).valid).toBe(false);
    expect(authoritativeCompletion({ truth: truth({ seqs: seqs().slice(0, 3) }), observed: observed([[10, EXIT0]], [1, 2]) }).valid).toBe(
      false,
    );
  });
  it('fails a completion with a seq below Closed neither applied nor announced (F5: Closed taken as it arrives)', () => {
    const r = authoritativeCompletion({ truth: truth(), observed: observed([[10, EXIT0]], [1]) });
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/seq 2 not applied/);
    const announced = observed([[10, EXIT0]], [1], { gaps: [{ t: 6, afterSeq: 1, throughSeq: 2 }] });
    expect(authoritativeCompletion({ truth: truth(), observed: announced }).valid).toBe(true);
  });
  it('fails a completion whose exit code or denial is not what the server recorded (F6)', () => {
    expect(authoritativeCompletion({ truth: truth({ seqs: seqs(false, 2) }), observed: observed([[10, EXIT0]], [1, 2]) }).valid).toBe(
      false,
    );
    const denied = truth({ seqs: seqs(true, 1) });
    expect(
      authoritativeCompletion({ truth: denied, observed: observed([[10, { kind: 'exit', code: 1, denied: false }]], [1, 2]) }).valid,
    ).toBe(false);
    expect(
      authoritativeCompletion({ truth: denied, observed: observed([[10, { kind: 'exit', code: 1, denied: true }]], [1, 2]) }).valid,
    ).toBe(true);
  });
});

describe('failed-is-terminal (I7)', () => {
  const FAIL: ReportedOutcome = { kind: 'failure', message: 'transport disconnected' };
  it('passes one failure with nothing after it, and a plain completion', () => {
    expect(failedIsTerminal({ observed: observed([[10, FAIL]], []) }).valid).toBe(true);
    expect(failedIsTerminal({ observed: observed([[10, EXIT0]], [1, 2]) }).valid).toBe(true);
  });
  it('fails a failure after a completion (F21: a late failure flips a success)', () => {
    expect(
      failedIsTerminal({
        observed: observed(
          [
            [10, EXIT0],
            [20, FAIL],
          ],
          [1, 2],
        ),
      }).valid,
    ).toBe(false);
  });
  it('fails output or another result after a failure (resurrection)', () => {
    expect(failedIsTerminal({ observed: { ...observed([[4, FAIL]], []), deliveries: [{ t: 9, seq: 2 }] } }).valid).toBe(false);
    expect(
      failedIsTerminal({
        observed: observed(
          [
            [4, FAIL],
            [9, FAIL],
          ],
          [],
        ),
      }).valid,
    ).toBe(false);
  });
});

describe('truthful-exit judges the denial against the server (F8)', () => {
  it('a denial the server missed is not held against the consumer; one it recorded is', () => {
    const missed = truth({ outcome: { kind: 'exit', code: 1, signal: null, denied: true, t: 3 }, seqs: seqs(false, 1) });
    expect(truthfulExitExec({ truth: missed, observed: observed([[10, { kind: 'exit', code: 1, denied: false }]], []) }).valid).toBe(true);
    const seen = truth({ outcome: { kind: 'exit', code: 1, signal: null, denied: true, t: 3 }, seqs: seqs(true, 1) });
    expect(truthfulExitExec({ truth: seen, observed: observed([[10, { kind: 'exit', code: 1, denied: false }]], []) }).valid).toBe(false);
  });
  it('the exit code is still judged against the process (F22: -1 for a clean exit)', () => {
    const lost = truth({ seqs: seqs(false, -1) });
    expect(truthfulExitExec({ truth: lost, observed: observed([[10, { kind: 'exit', code: -1, denied: false }]], []) }).valid).toBe(false);
    expect(truthfulExitExec({ truth: lost, observed: observed([[10, { kind: 'exit', code: -1, error: 'unknown' }]], []) }).valid).toBe(
      true,
    );
  });
});

describe('recoverable: the written definition, rule by rule', () => {
  const ledger = (fill: (l: ServerLedger) => void = () => undefined) => {
    const l = new ServerLedger();
    l.starts.push({ t: 20, processId: P });
    fill(l);
    return l;
  };
  const facts = { exitAt: 100, closedAt: 100, outputBytes: 10, outputWrites: 2 };
  const base = { processId: P, resultAt: 1_000, eventCapacity: 8, latencyMsMax: 10, runEndedAt: 1_000, process: facts };

  it('a healthy run, a short cut after the start and a short stall are recoverable', () => {
    expect(unrecoverableBecause({ ...base, faults: [], ledger: ledger() })).toEqual([]);
    expect(unrecoverableBecause({ ...base, faults: [{ at: 500, kind: 'transport-cut', refuseMs: 22_000 }], ledger: ledger() })).toEqual([]);
  });
  it('0: a cut before process/start completed', () => {
    expect(unrecoverableBecause({ ...base, faults: [{ at: 30, kind: 'transport-cut', refuseMs: 0 }], ledger: ledger() })[0]).toMatch(
      /before process\/start/,
    );
  });
  it('1: detach windows merged past 23 s', () => {
    const faults = [
      { at: 500, kind: 'transport-cut', refuseMs: 15_000 },
      { at: 10_000, kind: 'transport-cut', refuseMs: 14_000 },
    ];
    expect(detachWindows(faults)).toEqual([{ start: 500, end: 24_000 }]);
    expect(unrecoverableBecause({ ...base, faults, ledger: ledger() })[0]).toMatch(/detached 23500 ms/);
  });
  it('1: a lag that holds messages as long as the detach limit, or as long as the connect timeout, is a detach', () => {
    const lag = (extraMs: number) => [{ at: 0, kind: 'lag', target: 'client->exec-server', durationMs: 10, extraMs }];
    expect(unrecoverableBecause({ ...base, faults: lag(22_999), ledger: ledger() })).toEqual([]);
    expect(unrecoverableBecause({ ...base, faults: lag(23_000), ledger: ledger() })[0]).toMatch(/lag held messages 23000 ms from t=0/);
    // a world whose connects time out after 5 s: a 5 s lag on the connect cannot be outlasted
    expect(unrecoverableBecause({ ...base, connectTimeoutMs: 5_000, faults: lag(4_999), ledger: ledger() })).toEqual([]);
    expect(unrecoverableBecause({ ...base, connectTimeoutMs: 5_000, faults: lag(5_000), ledger: ledger() })[0]).toMatch(/lag held/);
  });
  it('2-5: over-retention, expiry before the result, lost exit watcher, injected read errors', () => {
    const l = ledger((x) => x.readErrors.push({ t: 7, processId: P }));
    const faults = [
      { at: 0, kind: 'retention-size', bytes: 8, chunks: 4 },
      { at: 50, kind: 'exit-watcher-lost' },
    ];
    const why = unrecoverableBecause({ ...base, resultAt: 30_200, faults, ledger: l });
    expect(why.map((w) => w.split(':')[0])).toEqual([
      'retention overrun',
      'retention expiry',
      'the exit watcher was lost at t=50',
      '1 process/read request(s) failed on purpose',
    ]);
    expect(unrecoverableBecause({ ...base, process: { ...facts, outputWrites: 50_001 }, faults: [], ledger: ledger() })[0]).toMatch(
      /50001 writes, over the 50000-chunk/,
    );
    // a consumer done within 30 s of the close, or a watcher lost after the exit, is not excused
    expect(unrecoverableBecause({ ...base, resultAt: 30_100, faults: [], ledger: ledger() })).toEqual([]);
    expect(unrecoverableBecause({ ...base, faults: [{ at: 101, kind: 'exit-watcher-lost' }], ledger: ledger() })).toEqual([]);
  });
  it("never takes the server's own timers as an excuse: its eviction, its forgetting or its session expiry (issue 12)", () => {
    const l = ledger((x) => {
      x.evicted.push({ t: 5, processId: P, seq: 1 });
      x.forgotten.push({ t: 900, processId: P });
      x.expiredSessions.push({ t: 800, sessionId: 's1' });
    });
    expect(unrecoverableBecause({ ...base, faults: [{ at: 500, kind: 'transport-cut', refuseMs: 3_000 }], ledger: l })).toEqual([]);
  });
  it('6: a notification overtaken by as many later ones as the pending cap', () => {
    const l = ledger((x) => {
      for (const seq of [2, 3, 1]) x.notifications.push({ t: seq, processId: P, seq, dropped: false });
    });
    expect(unrecoverableBecause({ ...base, eventCapacity: 3, faults: [], ledger: l })).toEqual([]);
    expect(unrecoverableBecause({ ...base, eventCapacity: 2, faults: [], ledger: l })[0]).toMatch(/overtaken by 2/);
  });
});

describe('terminates deadline', () => {
  const w = { chunks: [{ gapMs: 100, stream: 'stdout', bytes: 1 }], exitAfterMs: 50, childHoldsPipesMs: 1_000 } as ExecWorkload;
  it('is the later of the close and the last fault window, plus 25 s and 10 s; healing cuts the windows short', () => {
    expect(deadlineMs({ workload: w, faults: [], mode: 'safety' })).toBe(1_150 + 35_000);
    const stall = [{ at: 100, kind: 'consumer-stall', durationMs: 40_000 }];
    expect(deadlineMs({ workload: w, faults: stall, mode: 'safety' })).toBe(40_100 + 35_000);
    expect(deadlineMs({ workload: w, faults: stall, mode: 'liveness', healAtMs: 5_000 })).toBe(5_000 + 35_000);
  });
});

describe('exec-stream checkers: edges mutation testing showed unguarded', () => {
  it('authoritative-completion: a missing seq is excused only by a gap announced before the result, covering it', () => {
    const gap = (t: number, afterSeq: number, throughSeq: number) => ({ gaps: [{ t, afterSeq, throughSeq }] });
    expect(authoritativeCompletion({ truth: truth(), observed: observed([[10, EXIT0]], [2], gap(6, 0, 1)) }).valid).toBe(true);
    // announced after the completion: too late
    expect(authoritativeCompletion({ truth: truth(), observed: observed([[10, EXIT0]], [2], gap(11, 0, 1)) }).valid).toBe(false);
    // a gap that does not cover seq 1
    expect(authoritativeCompletion({ truth: truth(), observed: observed([[10, EXIT0]], [2], gap(6, 1, 2)) }).valid).toBe(false);
    // applied only after the completion does not count
    const late = observed([[10, EXIT0]], []);
    late.deliveries.push({ t: 9, seq: 1 }, { t: 11, seq: 2 });
    expect(authoritativeCompletion({ truth: truth(), observed: late })).toMatchObject({
      valid: false,
      summary: 'completed with output seq 2 not applied',
    });
  });

  it('authoritative-completion: the recorded exit code and denial must be the ones reported', () => {
    const r = authoritativeCompletion({
      truth: truth({ seqs: seqs(true, 1) }),
      observed: observed([[10, { kind: 'exit', code: 0, denied: false }]], [1, 2]),
    });
    expect(r.summary).toBe('exit 0 reported, the server recorded 1; the sandbox denial the server recorded was not reported');
    const invented = authoritativeCompletion({
      truth: truth(),
      observed: observed([[10, { kind: 'exit', code: 0, denied: true }]], [1, 2]),
    });
    expect(invented.summary).toBe('a denial reported that the server did not record');
  });

  it('failed-is-terminal: a failure after a completion, a result or output after a failure', () => {
    const failure: ReportedOutcome = { kind: 'failure', message: 'lost' };
    expect(
      failedIsTerminal({
        observed: observed(
          [
            [5, EXIT0],
            [6, failure],
          ],
          [],
        ),
      }).summary,
    ).toBe('a failure was reported after the process completed');
    expect(
      failedIsTerminal({
        observed: observed(
          [
            [5, failure],
            [6, EXIT0],
          ],
          [],
        ),
      }).summary,
    ).toBe('1 result(s) after the failure');
    const out = observed([[5, failure]], []);
    out.deliveries.push({ t: 7, seq: 3 });
    expect(failedIsTerminal({ observed: out }).summary).toBe('1 output chunk(s) after the failure');
    // output at the very instant of the failure came before it
    expect(failedIsTerminal({ observed: observed([[5, failure]], [1]) }).summary).toBe('nothing followed the failure');
    expect(
      failedIsTerminal({
        observed: observed(
          [
            [5, { kind: 'running' }],
            [9, failure],
          ],
          [],
        ),
      }).valid,
    ).toBe(true);
    expect(failedIsTerminal({ observed: observed([[9, EXIT0]], [1, 2]) }).summary).toBe('no failure reported');
  });
});
