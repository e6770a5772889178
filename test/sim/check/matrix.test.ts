/**
 * Every pairing of a true outcome with a reported one, and the verdict each checker must give:
 * the table is the specification of no-false-failure and no-false-success.
 */
import { describe, expect, it } from 'vitest';
import { noFalseFailure, noFalseSuccess, type ReportedOutcome, type TrueOutcome } from '../../../sim/check/index.ts';
import { delivered, observed, produced, truth } from './helpers.ts';

const T: Record<string, TrueOutcome> = {
  ok: { kind: 'exit', code: 0, signal: null, denied: false, t: 5 },
  exit3: { kind: 'exit', code: 3, signal: null, denied: false, t: 5 },
  killed: { kind: 'exit', code: null, signal: 'SIGKILL', denied: false, t: 5 },
  denied: { kind: 'exit', code: 0, signal: null, denied: true, t: 5 },
  running: { kind: 'running' },
};
const R: Record<string, ReportedOutcome> = {
  exit0: { kind: 'exit', code: 0 },
  exit1: { kind: 'exit', code: 1 },
  signal: { kind: 'exit', code: null, signal: 'SIGKILL' },
  deniedExit: { kind: 'exit', code: 0, denied: true },
  exit0err: { kind: 'exit', code: 0, error: 'lost the stream' },
  failure: { kind: 'failure', message: 'gone' },
  running: { kind: 'running' },
};

// [truth, reported, no-false-failure valid (recoverable run), no-false-success valid]
const TABLE: Array<[string, string, boolean, boolean]> = [
  ['ok', 'exit0', true, true],
  ['ok', 'exit1', false, true],
  ['ok', 'signal', false, true],
  ['ok', 'deniedExit', false, true],
  ['ok', 'exit0err', false, true],
  ['ok', 'failure', false, true],
  ['ok', 'running', true, true],
  ['exit3', 'exit0', true, false],
  ['exit3', 'exit1', true, true],
  ['exit3', 'failure', true, true],
  ['killed', 'exit0', true, false],
  ['killed', 'signal', true, true],
  ['denied', 'exit0', true, false],
  ['denied', 'deniedExit', true, true],
  ['running', 'exit0', true, false],
  ['running', 'failure', false, true],
  ['running', 'exit1', false, true],
];

describe('verdict table', () => {
  for (const [t, r, nff, nfs] of TABLE) {
    it(`truth ${t}, reported ${r}: no-false-failure ${nff}, no-false-success ${nfs}`, () => {
      const input = {
        truth: truth({ stdout: produced([1, 'out']) }, { outcome: T[t] as TrueOutcome }),
        observed: observed({ stdout: delivered([2, 'out']) }, [9, R[r] as ReportedOutcome]),
      };
      expect(noFalseFailure(input).valid).toBe(nff);
      expect(noFalseSuccess(input).valid).toBe(nfs);
    });
  }

  it('an unrecoverable run excuses explicit failures only, never a failing fact', () => {
    const unrec = (r: ReportedOutcome) => ({
      truth: truth({}, { recoverable: false, unrecoverableBecause: [] }),
      observed: observed({}, [9, r]),
    });
    expect(noFalseFailure(unrec(R.failure as ReportedOutcome)).summary).toBe('explicit failure in an unrecoverable run (unrecoverable)');
    expect(noFalseFailure(unrec(R.exit0err as ReportedOutcome)).valid).toBe(true);
    expect(noFalseFailure(unrec(R.exit1 as ReportedOutcome)).valid).toBe(false);
  });

  it('names what really happened in the summary', () => {
    const s = (t: string, r: string) => ({
      truth: truth({}, { outcome: T[t] as TrueOutcome }),
      observed: observed({}, [9, R[r] as ReportedOutcome]),
    });
    expect(noFalseSuccess(s('running', 'exit0'))).toEqual({
      valid: false,
      summary: 'false success: reported exit 0 but the process was still running',
      evidence: [{ t: 9, note: 'reported exit 0; truth: still running' }],
    });
    expect(noFalseSuccess(s('killed', 'exit0')).summary).toBe(
      'false success: reported exit 0 but the process ended with killed by SIGKILL',
    );
    expect(noFalseSuccess(s('exit3', 'exit1')).summary).toBe('reported exit 1');
    expect(noFalseFailure(s('exit3', 'exit1')).summary).toBe('reported exit 1; the process really failed (exit 3)');
    expect(noFalseSuccess(s('ok', 'exit0')).summary).toBe('clean success, and the process succeeded with its output whole');
    expect(
      noFalseSuccess({ truth: truth({ stdout: produced([1, 'ab']) }), observed: observed({}, [9, R.exit0 as ReportedOutcome]) }).evidence,
    ).toEqual([{ t: 9, note: 'clean exit 0 reported while 2 bytes of stdout never arrived' }]);
  });
});
