/**
 * The wire-level checks on frame histories that must fail and must pass (the validator also shows
 * them against real broken executors, in test/sim/real/validate.test.ts; blind exploration meets
 * a broken simulated server in test/reference-impl/maskedServerBug.test.ts), and the wire record
 * of a simulated run's history that they read.
 */
import { describe, expect, it } from 'vitest';
import {
  nextSeqRule,
  seqDiscipline,
  WIRE_RECORD,
  wireFramesOf,
  type Frame,
} from '../../../reference-impl/exec-stream/target/wireCheckers.ts';
import type { TraceEvent } from '../../../sim/trace.ts';

const P = 'p1';
const out = (seq: number, chunk = 'aGkK', t = 1): Frame => ({
  t,
  dir: 'in',
  message: { method: 'process/output', params: { processId: P, seq, stream: 'stdout', chunk } },
});
const exited = (seq: number, t = 2): Frame => ({
  t,
  dir: 'in',
  message: { method: 'process/exited', params: { processId: P, seq, exitCode: 0, sandboxDenied: false } },
});
const closed = (seq: number, t = 3): Frame => ({ t, dir: 'in', message: { method: 'process/closed', params: { processId: P, seq } } });
const readReq = (id: number, afterSeq: number, maxBytes: number | null): Frame => ({
  t: 4,
  dir: 'out',
  message: { id, method: 'process/read', params: { processId: P, afterSeq, maxBytes, waitMs: 0 } },
});
const readRes = (id: number, seqs: number[], nextSeq: number, closedFlag = true): Frame => ({
  t: 5,
  dir: 'in',
  message: {
    id,
    result: {
      chunks: seqs.map((s) => ({ seq: s, stream: 'stdout', chunk: 'aGkK' })),
      nextSeq,
      exited: true,
      exitCode: 0,
      closed: closedFlag,
      failure: null,
    },
  },
});

const disc = seqDiscipline(P);
const next = nextSeqRule(P);

describe('seq-discipline', () => {
  it('passes a well-numbered process (output may follow Exited)', () => {
    expect(disc({ frames: [out(1), exited(2), out(3), closed(4)] }).valid).toBe(true);
  });
  it('is not applicable without numbered events, and ignores other processes', () => {
    const other: Frame = { t: 1, dir: 'in', message: { method: 'process/closed', params: { processId: 'p2', seq: 1 } } };
    expect(disc({ frames: [other] }).summary).toMatch(/^not applicable/);
  });
  it('fails Closed before Exited, and Closed not the largest seq', () => {
    const r = disc({ frames: [out(1), closed(2), exited(3)] });
    expect(r.valid).toBe(false);
    expect(r.summary).toBe('Closed (seq 2) comes before Exited (seq 3); Closed (seq 2) is not the largest seq: exited 3');
  });
  it('fails one seq naming two events, even across a notification and a read', () => {
    const r = disc({ frames: [out(1, 'YQ=='), readReq(7, 0, null), readRes(7, [1], 2, false)] });
    expect(r.valid).toBe(false);
    expect(r.summary).toContain('seq 1 names two events: output (notification) and output (read)');
    expect(disc({ frames: [out(0)] }).summary).toContain('seq 0 is not a positive integer');
  });
});

describe('next-seq', () => {
  it('passes both rules (nextSeq one past the last assigned; with maxBytes, last returned + 1)', () => {
    const frames = [out(1), out(2), exited(3), closed(4), readReq(7, 0, null), readRes(7, [1, 2], 5), readReq(8, 1, 1), readRes(8, [2], 3)];
    expect(next({ frames }).valid).toBe(true);
  });
  it('is not applicable without reads', () => {
    expect(next({ frames: [out(1)] }).summary).toMatch(/^not applicable/);
  });
  it('fails nextSeq off by one with maxBytes', () => {
    const r = next({ frames: [out(1), closed(2), readReq(7, 0, 1), readRes(7, [1], 3)] });
    expect(r).toMatchObject({ valid: false, summary: 'read with maxBytes 1: nextSeq 3, expected the last returned seq + 1 = 2' });
  });
  it('a process that exited and closed unseen (the client away): nextSeq past the two seqs the wire never named', () => {
    // the reference after a cut: 12 outputs, Exited 13 and Closed 14 while disconnected, read back
    const seen = [out(1), readReq(7, 1, null), readRes(7, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 15)];
    expect(next({ frames: seen }).valid).toBe(true);
    // the old rule (last returned + 1) gives the terminal events no room
    const old = next({ frames: [out(1), readReq(7, 1, null), readRes(7, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 13)] });
    expect(old.summary).toBe(
      'read of a closed process: nextSeq 13, expected at least 15: past the largest seq seen (12) and the Exited and Closed events assigned after it',
    );
    // Exited unseen in a hole below trailing output (a lost exit watcher reports Exited while the
    // process still writes, §1.5): outputs 1-4, Exited 5, output 6, Closed 7 while away
    const hole = [out(1), readReq(7, 1, null), readRes(7, [2, 3, 4, 6], 8)];
    expect(next({ frames: hole }).valid).toBe(true);
    // ...but Closed still has to come past every seq named
    expect(next({ frames: [out(1), readReq(7, 1, null), readRes(7, [2, 3, 4, 6], 7)] }).summary).toBe(
      'read of a closed process: nextSeq 7, expected at least 8: past the largest seq seen (6) and the Closed event assigned after it',
    );
    // Exited seen, Closed not: one seq of room
    expect(next({ frames: [out(1), exited(2), readReq(7, 0, null), readRes(7, [1], 4)] }).valid).toBe(true);
    expect(next({ frames: [out(1), exited(2), readReq(7, 0, null), readRes(7, [1], 3)] }).valid).toBe(false);
  });
  it('fails the old rule on a closed process, and chunks out of order or not after afterSeq', () => {
    const old = next({ frames: [out(1), out(2), exited(3), closed(4), readReq(7, 0, null), readRes(7, [1, 2], 3)] });
    expect(old.summary).toBe('read of a closed process: nextSeq 3, expected one past the last seq assigned (4) = 5');
    const bad = next({ frames: [out(1), out(2), readReq(7, 1, null), readRes(7, [2, 1], 3, false)] });
    expect(bad.summary).toContain('read after 1 returned chunks out of order or not after it: 2, 1');
  });
});

describe('the wire record in a simulated history', () => {
  // the events target/wireTap.ts writes: each frame's message, as the client's host
  const ev = (f: Frame, actor = 'client'): TraceEvent => ({
    t: f.t,
    actor,
    kind: f.dir === 'in' ? WIRE_RECORD.in : WIRE_RECORD.out,
    data: f.message,
  });
  const good = [out(1), out(2), readReq(7, 1, null), readRes(7, [2], 3, false)];

  it('gives back the frames, in order, of the named host only', () => {
    const history: TraceEvent[] = [
      { t: 0, actor: 'world', kind: 'world.start', data: { seed: 1 } },
      ...good.map((f) => ev(f)),
      ev(out(9), 'exec-server'),
      { t: 6, actor: 'client', kind: 'consumer.result', data: {} },
    ];
    expect(wireFramesOf(history, 'client')).toEqual(good);
    expect(wireFramesOf(history, 'nobody')).toEqual([]);
  });

  it('next-seq fails a history whose recovery read resends the chunk at afterSeq, and passes it without', () => {
    expect(
      next({
        frames: wireFramesOf(
          good.map((f) => ev(f)),
          'client',
        ),
      }).valid,
    ).toBe(true);
    const resent = [out(1), out(2), readReq(7, 1, null), readRes(7, [1, 2], 3, false)];
    const r = next({
      frames: wireFramesOf(
        resent.map((f) => ev(f)),
        'client',
      ),
    });
    expect(r).toMatchObject({ valid: false, summary: 'read after 1 returned chunks out of order or not after it: 1, 2' });
  });

  it('seq-discipline fails a history where a read names a notified seq with other bytes', () => {
    const twice = [out(1, 'YQ=='), readReq(7, 0, null), readRes(7, [1], 2, false)];
    expect(
      disc({
        frames: wireFramesOf(
          twice.map((f) => ev(f)),
          'client',
        ),
      }).summary,
    ).toContain('seq 1 names two events');
  });
});
