/** A real run's server record, rebuilt from the wire, and I4 judged against it (it can fail). */
import { describe, expect, it } from 'vitest';
import { authoritativeCompletion } from '../../../reference-impl/exec-stream/target/checkers.ts';
import type { ExecObserved, ExecTruth } from '../../../reference-impl/exec-stream/target/history.ts';
import { wireLedger } from '../../../reference-impl/exec-stream/target/wireLedger.ts';
import type { Frame } from '../../../reference-impl/exec-stream/target/wireCheckers.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const note = (t: number, method: string, params: Record<string, unknown>): Frame => ({
  t,
  dir: 'in',
  message: { method, params: { processId: 'p1', ...params } },
});
const FRAMES: Frame[] = [
  note(10, 'process/output', { seq: 1, stream: 'stdout', chunk: b64('hello ') }),
  note(20, 'process/output', { seq: 2, stream: 'stdout', chunk: b64('world\n') }),
  note(30, 'process/exited', { seq: 3, exitCode: 3, sandboxDenied: null }),
  note(40, 'process/closed', { seq: 4 }),
  note(45, 'process/output', { seq: 1, stream: 'stdout', chunk: b64('hello ') }), // a replay: first sighting kept
  note(50, 'process/output', { seq: 9, processId: 'other', stream: 'stdout', chunk: b64('x') }),
];

const observed = (resultAt: number, code: number, deliveredSeqs: number[]): ExecObserved => ({
  streams: {},
  notices: [],
  results: [{ t: resultAt, outcome: { kind: 'exit', code, denied: false } }],
  deliveries: deliveredSeqs.map((seq) => ({ t: resultAt - 1, seq })),
  gaps: [],
});
const truth = (frames: Frame[]): ExecTruth => ({
  streams: {},
  outcome: { kind: 'exit', code: 3, signal: null, denied: false, t: 0 },
  recoverable: true,
  unrecoverableBecause: [],
  runEndedAt: 100,
  processId: 'p1',
  seqs: wireLedger(frames, 'p1'),
});

describe('wireLedger', () => {
  it('every seq the executor named for the process, once, in seq order, with stream offsets', () => {
    const seqs = wireLedger(FRAMES, 'p1');
    expect(seqs.map((s) => [s.seq, s.type, s.t])).toEqual([
      [1, 'output', 10],
      [2, 'output', 20],
      [3, 'exited', 30],
      [4, 'closed', 40],
    ]);
    expect(seqs[1]).toMatchObject({ offset: 6, bytes: 6 });
    expect(seqs[2]).toMatchObject({ exitCode: 3, sandboxDenied: false });
  });

  it('a read of a closed process (without maxBytes) names Closed as nextSeq - 1; with maxBytes it does not', () => {
    const read = (id: number, maxBytes: number | null): Frame[] => [
      { t: 60, dir: 'out', message: { id, method: 'process/read', params: { processId: 'p1', afterSeq: 0, maxBytes } } },
      { t: 61, dir: 'in', message: { id, result: { chunks: [], nextSeq: 5, exited: true, exitCode: 3, closed: true, failure: null } } },
    ];
    expect(wireLedger(read(1, null), 'p1')).toEqual([{ t: 61, processId: 'p1', seq: 4, type: 'closed' }]);
    expect(wireLedger(read(2, 1), 'p1')).toEqual([]);
  });

  it('I4 on the wire record: holds for a completion after Closed; fails before Closed, with output missing, or a wrong code', () => {
    expect(authoritativeCompletion({ truth: truth(FRAMES), observed: observed(41, 3, [1, 2]) }).valid).toBe(true);
    expect(authoritativeCompletion({ truth: truth(FRAMES), observed: observed(39, 3, [1, 2]) }).summary).toMatch(
      /before the server closed/,
    );
    expect(authoritativeCompletion({ truth: truth(FRAMES), observed: observed(41, 3, [1]) }).summary).toMatch(/output seq 2 not applied/);
    expect(authoritativeCompletion({ truth: truth(FRAMES), observed: observed(41, 0, [1, 2]) }).summary).toMatch(
      /exit 0 reported, the server recorded 3/,
    );
  });
});
