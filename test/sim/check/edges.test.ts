/**
 * Edge cases of the checkers, added where mutation testing showed the other tests blind:
 * the aligner's tie-breaks and candidate window, positioned deliveries, the boundaries at the
 * result time, evidence and counts, and every branch of the verdicts' wording.
 */
import { describe, expect, it } from 'vitest';
import {
  accountOutput,
  accountStream,
  align,
  formatRanges,
  mergeValid,
  noDuplicateOutput,
  noFalseFailure,
  noLostOutput,
  singleResult,
  sumRanges,
  terminates,
  truthfulExit,
  describeReported,
  describeTrue,
  pass,
  fail,
} from '../../../sim/check/index.ts';
import { tape } from '../../../sim/workload/tape.ts';
import { EXIT0, delivered, enc, observed, produced, truth } from './helpers.ts';

const lost = (a: ReturnType<typeof accountStream>) => a.lost.map((r) => [r.start, r.end]);

describe('aligner', () => {
  it('between equally long matches, prefers bytes never delivered over a replay', () => {
    // after "AB", the next "AB" matches both offset 0 (already delivered) and offset 3 (new)
    const a = accountStream('stdout', produced([1, 'ABxAB']), delivered([2, 'AB'], [3, 'AB']), { claimsCompletion: true });
    expect(lost(a)).toEqual([[2, 3]]);
    expect(a.duplicated).toEqual([]);
  });

  it('between equally long new matches, prefers the one nearest the cursor', () => {
    const a = accountStream('stdout', produced([1, 'ABxABxAB']), delivered([2, 'AB'], [3, 'AB']), { claimsCompletion: true });
    expect(lost(a)).toEqual([
      [2, 3],
      [5, 8],
    ]);
  });

  it('freshness wins over nearness: an old chunk arriving late is out of order, not a duplicate', () => {
    // "AB" occurs at 0 (never delivered, far) and 7 (just delivered, near)
    const a = accountStream('stdout', produced([1, 'AB12345ABxx']), [
      { t: 2, data: enc('12345AB'), offset: 2 },
      { t: 3, data: enc('AB') },
    ]);
    expect(a.outOfOrder.map((r) => [r.start, r.end])).toEqual([[0, 2]]);
    expect(a.duplicated).toEqual([]);
  });

  it('among fresh matches, the nearest to the cursor wins even when it comes later in the list', () => {
    const a = accountStream(
      'stdout',
      produced([1, 'ABxAByyy']),
      [
        { t: 2, data: enc('yyy'), offset: 5 },
        { t: 3, data: enc('AB') },
      ],
      { claimsCompletion: true },
    );
    expect(a.outOfOrder.map((r) => [r.start, r.end])).toEqual([[3, 5]]);
    expect(lost(a)).toEqual([[0, 3]]);
  });

  it('in very repetitive output (yes), searches a window around the cursor and keeps the longest match', () => {
    const P = 'y'.repeat(100) + 'z' + 'y'.repeat(100);
    const a = accountStream('stdout', produced([1, P]), delivered([2, 'y'.repeat(100)], [3, 'y'.repeat(100)]), { claimsCompletion: true });
    expect(lost(a)).toEqual([[100, 101]]);
    expect(a.duplicated).toEqual([]);
    expect(a.unknownBytes).toBe(0);
  });

  it('places positioned chunks where they say, and flags content that does not match there', () => {
    const segs = align(enc('hello world'), [
      { t: 1, data: enc('hello'), offset: 0 },
      { t: 2, data: enc('WORLD'), offset: 6 },
      { t: 3, data: enc('!!'), offset: 40 },
    ]);
    expect(segs.filter((s) => s.p >= 0)).toEqual([{ delivery: 0, p: 0, len: 5 }]);
    expect(segs.filter((s) => s.p < 0).reduce((n, s) => n + s.len, 0)).toBe(7);
  });

  it('positioned chunks only: a replay is a duplicate, a chunk before the highest is out of order, a skipped one lost', () => {
    const P = produced([1, 'aaaa'], [2, 'bbbb'], [3, 'cccc'], [4, 'dddd']);
    const replay = accountStream('stdout', P, delivered([5, 'aaaa', 0], [6, 'bbbb', 4], [7, 'aaaabbbb', 0], [8, 'ccccdddd', 8]));
    expect(replay.duplicated.map((r) => [r.start, r.end, r.deliveredAt])).toEqual([[0, 8, 7]]);
    expect(replay.okBytes).toBe(16);
    const swapped = accountStream('stdout', P, delivered([5, 'bbbb', 4], [6, 'aaaa', 0], [7, 'ccccdddd', 8]));
    expect(swapped.outOfOrder.map((r) => [r.start, r.end])).toEqual([[0, 4]]);
    expect(swapped.okBytes).toBe(12);
    const skipped = accountStream('stdout', P, delivered([5, 'aaaa', 0], [7, 'cccc', 8]), { claimsCompletion: true, resultAt: 9 });
    expect(lost(skipped)).toEqual([[4, 8], [12, 16]]);
    expect(skipped.okBytes).toBe(8);
  });

  it('a chunk whose offset is not a whole number matches nothing produced (not the bytes it rounds to)', () => {
    // P.subarray truncates 0.5 to 0: the chunk must not be placed there, nor counted in order or twice
    const P = produced([1, 'abcdefgh']);
    const after = accountStream('stdout', P, delivered([2, 'abcd', 0.5], [3, 'efgh', 4]), { claimsCompletion: true });
    expect([after.unknownBytes, after.okBytes, lost(after), after.duplicated, after.outOfOrder]).toEqual([4, 4, [[0, 4]], [], []]);
    const again = accountStream('stdout', P, delivered([2, 'abcd', 0], [3, 'abcd', 0.5], [4, 'efgh', 4]));
    expect([again.unknownBytes, again.okBytes, again.duplicated, again.outOfOrder]).toEqual([4, 8, [], []]);
    // an unpositioned chunk after one is still found by its content
    const unpositioned = accountStream('stdout', P, [
      { t: 2, data: enc('abcd'), offset: 1.5 },
      { t: 3, data: enc('efgh') },
    ]);
    expect([unpositioned.unknownBytes, unpositioned.okBytes]).toEqual([4, 4]);
  });

  it('continues an unpositioned chunk after a positioned one', () => {
    const a = accountStream('stdout', produced([1, 'abcdefgh']), [
      { t: 2, data: enc('abc'), offset: 0 },
      { t: 3, data: enc('def') },
      { t: 4, data: enc('gh') },
    ]);
    expect(a.okBytes).toBe(8);
    expect(a.unknownBytes).toBe(0);
  });

  it('a short tail after a jump is found by scanning', () => {
    const a = accountStream('stdout', produced([1, 'abcdefghijklmnop']), delivered([2, 'abc'], [3, 'mnop']), { claimsCompletion: true });
    expect(lost(a)).toEqual([[3, 12]]);
  });
});

describe('output accounting at the result time', () => {
  const t = truth({ stdout: produced([1, 'aa'], [5, 'bb'], [9, 'cc']) });
  it('a delivery at the very instant of the result counts; one after it is late', () => {
    const onTime = accountOutput({ truth: t, observed: observed({ stdout: delivered([3, 'aa'], [9, 'bb']) }, [9, EXIT0]) });
    expect(onTime[0]?.lateBytes).toBe(0);
    expect(onTime[0]?.okBytes).toBe(4);
    const late = accountOutput({ truth: t, observed: observed({ stdout: delivered([3, 'aa'], [10, 'bbcc']) }, [9, EXIT0]) });
    expect(late[0]?.lateBytes).toBe(4);
    expect(late[0]?.deliveredBytes).toBe(2);
  });

  it('bytes produced at the instant of a clean exit are expected; bytes produced after are not', () => {
    const r = noLostOutput({ truth: t, observed: observed({ stdout: delivered([3, 'aa']) }, [5, EXIT0]) });
    expect(r.summary).toBe('lost silently: 2 bytes of stdout (offsets 2-3)');
    expect(r.evidence).toEqual([{ t: 5, stream: 'stdout', bytes: [2, 4], note: '2 bytes of stdout lost (offsets 2-3)' }]);
  });

  it('reports exact counts per stream, streams sorted', () => {
    const tt = truth({ stdout: produced([1, 'abcdefgh']), stderr: produced([2, 'xyz']) });
    const o = observed({ stdout: delivered([3, 'abcd'], [4, 'abcd'], [5, 'efgh']), zzz: delivered([6, '?']) }, [7, EXIT0]);
    const r = noDuplicateOutput({ truth: tt, observed: o });
    expect(r.details).toEqual({
      stderr: { produced: 3, delivered: 0, ok: 0, lost: 3, duplicated: 0, outOfOrder: 0, unknown: 0, late: 0 },
      stdout: { produced: 8, delivered: 12, ok: 8, lost: 0, duplicated: 4, outOfOrder: 0, unknown: 0, late: 0 },
      zzz: { produced: 0, delivered: 1, ok: 0, lost: 0, duplicated: 0, outOfOrder: 0, unknown: 1, late: 0 },
    });
    expect(r.evidence).toEqual([{ t: 1, tEnd: 4, stream: 'stdout', bytes: [0, 4], note: '4 bytes of stdout duplicated (offsets 0-3)' }]);
  });

  it('a notice for every stream (no stream named) announces the loss everywhere', () => {
    const o = observed({}, [7, EXIT0], { notices: [{ t: 6, kind: 'error', message: 'transport lost' }] });
    expect(noLostOutput({ truth: t, observed: o }).summary).toBe(
      'output lost but announced to the caller: 4 bytes of stdout (offsets 0-3)',
    );
  });

  it('out-of-order bytes are not counted ok', () => {
    const a = accountStream('stdout', produced([1, 'aaaaaaaa'], [2, 'bbbbbbbb']), delivered([3, 'bbbbbbbb'], [4, 'aaaaaaaa']));
    expect(a.okBytes).toBe(8);
    expect(sumRanges(a.outOfOrder)).toBe(8);
  });

  it('evidence is capped and long range lists are shortened', () => {
    const chunks = Array.from({ length: 30 }, (_, i): [number, string] => [
      i,
      `${String.fromCharCode(65 + (i % 26))}${i.toString().padStart(7, '0')}`,
    ]);
    const every = chunks.filter((_, i) => i % 2 === 0);
    const r = noLostOutput({
      truth: truth({ stdout: produced(...chunks) }),
      observed: observed({ stdout: delivered(...every.map(([, s], i): [number, string] => [100 + i, s])) }, [200, EXIT0]),
    });
    expect(r.evidence).toHaveLength(15);
    const many = Array.from({ length: 30 }, (_, i) => ({ start: i * 3, end: i * 3 + 1, producedAt: 0 }));
    expect(noLostOutput({ truth: truth({ stdout: produced(...chunks) }), observed: observed({}, [200, EXIT0]) }).evidence.length).toBe(1);
    expect(formatRanges(many)).toBe('offsets 0, 3, 6, 9, … (30 ranges)');
    expect(formatRanges([{ start: 4, end: 9, producedAt: 0 }])).toBe('offsets 4-8');
  });

  it('a lost byte in a later chunk carries that chunk production time', () => {
    const r = noLostOutput({ truth: t, observed: observed({ stdout: delivered([2, 'aa'], [9, 'cc']) }, [10, EXIT0]) });
    expect(r.evidence[0]).toMatchObject({ t: 5, bytes: [2, 4] });
  });
});

describe('verdict wording and branches', () => {
  it('describes every outcome', () => {
    expect(describeReported({ kind: 'exit', code: null, signal: 'SIGKILL' })).toBe('signal SIGKILL');
    expect(describeReported({ kind: 'exit', code: 1, denied: true, error: 'e' })).toBe('exit 1, sandbox denied, error "e"');
    expect(describeReported({ kind: 'exit', code: null })).toBe('exit null');
    expect(describeReported({ kind: 'failure', message: 'm' })).toBe('failure "m"');
    expect(describeReported({ kind: 'running' })).toBe('still running');
    expect(describeTrue({ kind: 'running' })).toBe('still running');
    expect(describeTrue({ kind: 'exit', code: null, signal: 'SIGTERM', denied: true, t: 1 })).toBe('killed by SIGTERM, sandbox denied');
    expect(describeTrue({ kind: 'exit', code: null, signal: null, denied: false, t: 1 })).toBe('exit null');
  });

  it('no-false-failure for a process still running: the wording says so, with evidence at the result', () => {
    const r = noFalseFailure({
      truth: truth({}, { outcome: { kind: 'running' } }),
      observed: observed({}, [9, { kind: 'failure', message: 'x' }]),
    });
    expect(r).toEqual({
      valid: false,
      summary: 'false failure: reported failure "x" but the process was still running',
      evidence: [{ t: 9, note: 'reported failure "x"; truth: still running' }],
    });
    expect(noFalseFailure({ truth: truth({}), observed: observed({}) }).summary).toBe('no terminal result (see terminates)');
    expect(noFalseFailure({ truth: truth({}), observed: observed({}, [9, { kind: 'running' }]) }).valid).toBe(true);
  });

  it('truthful-exit: signals, errors and denials', () => {
    const killed = truth({}, { outcome: { kind: 'exit', code: null, signal: 'SIGKILL', denied: false, t: 1 } });
    expect(truthfulExit({ truth: killed, observed: observed({}, [9, { kind: 'exit', code: null, signal: 'SIGKILL' }]) }).valid).toBe(true);
    expect(truthfulExit({ truth: killed, observed: observed({}, [9, { kind: 'exit', code: 137 }]) }).valid).toBe(true);
    expect(truthfulExit({ truth: killed, observed: observed({}, [9, { kind: 'exit', code: 0, error: 'gone' }]) }).valid).toBe(true);
    const plain = truth({});
    const denialInvented = truthfulExit({ truth: plain, observed: observed({}, [9, { kind: 'exit', code: 0, denied: true }]) });
    expect(denialInvented).toEqual({
      valid: false,
      summary: 'a denial reported that did not happen',
      evidence: [{ t: 9, note: 'a denial reported that did not happen' }],
    });
    const both = truthfulExit({
      truth: truth({}, { outcome: { kind: 'exit', code: 2, signal: null, denied: true, t: 1 } }),
      observed: observed({}, [9, { kind: 'exit', code: 1, denied: false }]),
    });
    expect(both.summary).toBe('exit 1 reported, really 2; a sandbox denial reported as an ordinary exit');
    const running = truthfulExit({ truth: truth({}, { outcome: { kind: 'running' } }), observed: observed({}, [9, EXIT0]) });
    expect(running).toEqual({
      valid: false,
      summary: 'reported exit 0 for a process still running',
      evidence: [{ t: 9, note: 'exit reported while running' }],
    });
    expect(truthfulExit({ truth: plain, observed: observed({}) }).summary).toBe('no terminal result');
  });

  it('single-result counts only terminal results', () => {
    const o = observed({}, [5, { kind: 'running' }]);
    o.results.push({ t: 6, outcome: EXIT0 });
    expect(singleResult({ observed: o }).summary).toBe('exactly one terminal result');
    expect(singleResult({ observed: observed({}) }).summary).toBe('no terminal result (see terminates)');
  });
});

describe('liveness and merging at their boundaries', () => {
  const c = terminates<{ truth: ReturnType<typeof truth>; observed: ReturnType<typeof observed> }>(() => 100);
  it('a result exactly at the deadline is in time; a run that ends exactly at it without one fails', () => {
    expect(c({ truth: truth({}), observed: observed({}, [100, EXIT0]) })).toEqual(
      pass('a terminal result at t=0.100s, within the deadline t=0.100s'),
    );
    expect(c({ truth: truth({}, { runEndedAt: 100 }), observed: observed({}) })).toEqual(
      fail('no terminal result by the deadline t=0.100s', [{ t: 100, note: 'deadline passed with no result' }]),
    );
    expect(c({ truth: truth({}, { runEndedAt: 99 }), observed: observed({}) })).toEqual({
      valid: 'unknown',
      summary: 'the run ended at t=0.099s, before the deadline, with no terminal result',
      evidence: [],
    });
    expect(c({ truth: truth({}), observed: observed({}, [250, EXIT0]) }).evidence).toEqual([{ t: 100, tEnd: 250, note: 'late result' }]);
  });

  it('a still-running answer does not count as the terminal result', () => {
    const o = observed({}, [50, { kind: 'running' }]);
    expect(c({ truth: truth({}), observed: o }).valid).toBe(false);
    o.results.push({ t: 90, outcome: EXIT0 });
    expect(c({ truth: truth({}), observed: o }).summary).toBe('a terminal result at t=0.090s, within the deadline t=0.100s');
  });

  it('merge keeps the worst verdict, whatever the order; pass and fail carry details only when given', () => {
    expect(mergeValid(['unknown', 'unknown'])).toBe('unknown');
    expect(mergeValid([false, 'unknown'])).toBe(false);
    expect(mergeValid(['unknown', true])).toBe('unknown');
    expect(pass('ok')).toEqual({ valid: true, summary: 'ok', evidence: [] });
    expect(pass('ok', { n: 1 })).toEqual({ valid: true, summary: 'ok', evidence: [], details: { n: 1 } });
    expect(fail('no', [], { n: 2 })).toEqual({ valid: false, summary: 'no', evidence: [], details: { n: 2 } });
  });
});

describe('aligner across delivery boundaries', () => {
  it('a one-byte replay followed by the rest is a duplicate of byte 0, not a far byte (helper-found case)', () => {
    const P = tape('stdout', 0, 65);
    const a = accountStream(
      'stdout',
      [
        { t: 1, data: enc(P.slice(0, 1)) },
        { t: 2, data: enc(P.slice(1)) },
      ],
      [
        { t: 3, data: enc(P.slice(0, 1)) },
        { t: 4, data: enc(P.slice(0, 1)) },
        { t: 5, data: enc(P.slice(1)) },
      ],
    );
    expect(a.duplicated.map((r) => [r.start, r.end])).toEqual([[0, 1]]);
    expect(a.outOfOrder).toEqual([]);
    expect(a.okBytes).toBe(65);
  });

  it('segments still name the delivery each byte came from', () => {
    const segs = align(enc('abcdefghij'), [
      { t: 1, data: enc('abc') },
      { t: 2, data: enc('defg') },
      { t: 3, data: enc('hij') },
    ]);
    expect(segs).toEqual([
      { delivery: 0, p: 0, len: 3 },
      { delivery: 1, p: 3, len: 4 },
      { delivery: 2, p: 7, len: 3 },
    ]);
  });
});
