import { describe, expect, it } from 'vitest';
import {
  compose,
  mergeValid,
  checkSafe,
  noFalseFailure,
  noFalseSuccess,
  singleResult,
  terminates,
  truthfulExit,
  type Checker,
} from '../../../sim/check/index.ts';
import { EXIT0, delivered, observed, produced, truth } from './helpers.ts';

const ok = truth({ stdout: produced([1, 'hi\n']) });
const failed3 = truth({ stdout: produced([1, 'hi\n']) }, { outcome: { kind: 'exit', code: 3, signal: null, denied: false, t: 5 } });
const killed = truth({}, { outcome: { kind: 'exit', code: null, signal: 'SIGKILL', denied: false, t: 5 } });
const denied = truth({}, { outcome: { kind: 'exit', code: 1, signal: null, denied: true, t: 5 } });
const got = observed({ stdout: delivered([2, 'hi\n']) });

describe('terminal verdict: histories that must fail', () => {
  it('no-false-failure: exit 1 reported for a process that exited 0 (#1442)', () => {
    const r = noFalseFailure({ truth: ok, observed: { ...got, results: [{ t: 9, outcome: { kind: 'exit', code: 1 } }] } });
    expect(r).toMatchObject({ valid: false, summary: 'false failure: reported exit 1 but the process really ended with exit 0' });
  });

  it('no-false-failure: an explicit failure in a recoverable run', () => {
    const r = noFalseFailure({
      truth: ok,
      observed: { ...got, results: [{ t: 9, outcome: { kind: 'failure', message: 'Transport closed' } }] },
    });
    expect(r.valid).toBe(false);
  });

  it('no-false-success: exit 0 reported for exit 3, for a killed process, for a running one', () => {
    for (const t of [failed3, killed, truth({}, { outcome: { kind: 'running' } })]) {
      expect(noFalseSuccess({ truth: t, observed: { ...got, results: [{ t: 9, outcome: EXIT0 }] } }).valid).toBe(false);
    }
  });

  it('no-false-success: a clean exit 0 with output missing (#804)', () => {
    const r = noFalseSuccess({ truth: ok, observed: observed({}, [9, EXIT0]) });
    expect(r).toMatchObject({ valid: false, summary: 'false success: a clean exit 0 with output missing (3 bytes of stdout)' });
  });

  it('single-result: two terminal results', () => {
    const r = singleResult({
      observed: {
        ...got,
        results: [
          { t: 5, outcome: EXIT0 },
          { t: 6, outcome: { kind: 'failure', message: 'x' } },
        ],
      },
    });
    expect(r).toMatchObject({ valid: false, summary: '2 terminal results: exit 0 then failure "x"' });
  });

  it('truthful-exit: wrong code, killed reported as 0, denial reported as an ordinary exit (#29424)', () => {
    const wrong = truthfulExit({ truth: failed3, observed: { ...got, results: [{ t: 9, outcome: { kind: 'exit', code: 1 } }] } });
    expect(wrong.summary).toBe('exit 1 reported, really 3');
    expect(truthfulExit({ truth: killed, observed: observed({}, [9, EXIT0]) }).summary).toBe(
      'a process killed by SIGKILL reported as exit 0',
    );
    expect(truthfulExit({ truth: denied, observed: observed({}, [9, { kind: 'exit', code: 1, denied: false }]) }).summary).toBe(
      'a sandbox denial reported as an ordinary exit',
    );
  });
});

describe('terminal verdict: histories that must pass', () => {
  it('the true outcome, reported once', () => {
    const input = { truth: ok, observed: { ...got, results: [{ t: 9, outcome: EXIT0 }] } };
    for (const c of [noFalseFailure, noFalseSuccess, singleResult, truthfulExit] as Checker<typeof input>[])
      expect(c(input).valid).toBe(true);
    const input3 = { truth: failed3, observed: { ...got, results: [{ t: 9, outcome: { kind: 'exit' as const, code: 3 } }] } };
    for (const c of [noFalseFailure, noFalseSuccess, truthfulExit] as Checker<typeof input3>[]) expect(c(input3).valid).toBe(true);
  });

  it('an explicit failure when the run was unrecoverable; an explicit error attached to an exit', () => {
    const unrec = { ...ok, recoverable: false, unrecoverableBecause: ['detached 40 s > 30 s TTL'] };
    expect(noFalseFailure({ truth: unrec, observed: observed({}, [9, { kind: 'failure', message: 'gone' }]) })).toMatchObject({
      valid: true,
      summary: 'explicit failure in an unrecoverable run (detached 40 s > 30 s TTL)',
    });
    expect(
      noFalseSuccess({ truth: ok, observed: observed({}, [9, { kind: 'exit', code: 0, error: 'WS closed before exit frame' }]) }).valid,
    ).toBe(true);
  });

  it('a still-running answer is not a terminal result', () => {
    const r = singleResult({ observed: observed({}, [5, { kind: 'running' }]) });
    expect(r.valid).toBe(true);
  });
});

describe('liveness: terminates', () => {
  const deadline = (ms?: number): Checker<{ truth: typeof ok; observed: typeof got }> => terminates(() => ms);
  it('fails with no result by the deadline, or a late one', () => {
    expect(deadline(100)({ truth: ok, observed: got }).valid).toBe(false);
    expect(deadline(100)({ truth: ok, observed: observed({}, [150, EXIT0]) }).summary).toBe(
      'the terminal result came only at t=0.150s, after the deadline t=0.100s',
    );
  });
  it('passes in time; is unknown when the run ended early; not applicable without a deadline', () => {
    expect(deadline(100)({ truth: ok, observed: observed({}, [50, EXIT0]) }).valid).toBe(true);
    expect(deadline(5_000)({ truth: ok, observed: got }).valid).toBe('unknown');
    expect(deadline(undefined)({ truth: ok, observed: got }).valid).toBe(true);
  });
});

describe('composition', () => {
  it('false wins over unknown over true; a crashing checker becomes unknown', () => {
    expect(mergeValid([true, 'unknown', true])).toBe('unknown');
    expect(mergeValid([true, false, 'unknown'])).toBe(false);
    expect(mergeValid([])).toBe(true);
    expect(() => mergeValid(['maybe' as never])).toThrow(/unknown verdict/);
    const boom: Checker<number> = () => {
      throw new Error('bad input');
    };
    expect(checkSafe(boom, 1)).toMatchObject({ valid: 'unknown', summary: 'checker crashed: bad input' });
    const c = compose({ a: () => ({ valid: true, summary: '', evidence: [] }), b: boom }, 1);
    expect(c.valid).toBe('unknown');
    expect(Object.keys(c.results)).toEqual(['a', 'b']);
  });
});
