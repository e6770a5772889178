/**
 * Each consumer on canned inputs (the upstream tests' shape, process_tests.rs): a fake session
 * whose events come from an event log and whose reads answer from a script.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../sim/ports/index.ts';
import type { Session } from '../../../reference-impl/exec-stream/client/session.ts';
import { ExecProcessEventLog } from '../../../reference-impl/exec-stream/eventLog/eventLog.ts';
import type { ExecProcessEvent } from '../../../reference-impl/exec-stream/eventLog/events.ts';
import { Watch } from '../../../reference-impl/exec-stream/eventLog/watch.ts';
import { pushedConsumer } from '../../../reference-impl/exec-stream/consumer/pushed.ts';
import { ConsumerKnobs, type ConsumerOutcome } from '../../../reference-impl/exec-stream/consumer/report.ts';
import { VARIANTS } from '../../../reference-impl/exec-stream/variants/index.ts';
import type { ReadResult } from '../../../reference-impl/exec-stream/protocol/wire.ts';

const clock = { now: () => 0 } as unknown as Clock;
const out = (seq: number): ExecProcessEvent => ({ type: 'output', seq, stream: 'stdout', chunk: Buffer.from(`o${seq}`) });
const chunk = (seq: number) => ({ seq, stream: 'stdout' as const, chunk: Buffer.from(`o${seq}`).toString('base64') });
const resp = (chunks: number[], nextSeq: number, extra: Partial<ReadResult> = {}): ReadResult => ({
  chunks: chunks.map(chunk),
  nextSeq,
  exited: true,
  exitCode: 0,
  closed: true,
  failure: null,
  sandboxDenied: false,
  ...extra,
});

async function consume(variant: string, events: ExecProcessEvent[], reads: Array<ReadResult | Error> = [], capacity = 256) {
  const log = new ExecProcessEventLog({ eventCapacity: capacity });
  const wake = new Watch();
  for (const e of events) {
    log.publish(e);
    if (e.type !== 'failed') wake.raise(e.seq);
  }
  const readCalls: Array<number | null> = [];
  const session = {
    subscribeEvents: () => log.subscribe(),
    subscribeWake: () => wake.subscribe(),
    read: async (afterSeq: number | null) => {
      readCalls.push(afterSeq);
      wake.bump(); // the next notification arrives while the read is answered
      const r = reads.shift();
      if (!r) throw new Error('no more reads scripted');
      if (r instanceof Error) throw r;
      return r;
    },
  } as unknown as Session;
  const delivered: number[] = [];
  const gaps: string[] = [];
  let result: ConsumerOutcome | undefined;
  const report = {
    output: (seq: number) => delivered.push(seq),
    gap: (a: number, b: number) => gaps.push(`${a + 1}-${b}`),
    result: (o: ConsumerOutcome) => (result = o),
  };
  const policy = (VARIANTS[variant] as (typeof VARIANTS)[string]).slots;
  await policy.consume(clock, () => undefined, session, policy, new ConsumerKnobs(), report);
  return { delivered, gaps, result, readCalls };
}

const done = (exitCode = 0, sandboxDenied: boolean | null = false): ExecProcessEvent[] => [
  { type: 'exited', seq: 3, exitCode, sandboxDenied },
  { type: 'closed', seq: 4 },
];

describe('v1 consumers on pushed events', () => {
  it('complete on the in-order Closed with no read (#30273: no final read)', async () => {
    const r = await consume('v1-pushed', [out(1), out(2), ...done()]);
    expect(r).toMatchObject({ delivered: [1, 2], readCalls: [], result: { kind: 'exit', code: 0, denied: false } });
  });
  it('Exited does not complete: output after it is still applied', async () => {
    const r = await consume('v1-strict', [
      out(1),
      { type: 'exited', seq: 2, exitCode: 0, sandboxDenied: false },
      out(3),
      { type: 'closed', seq: 4 },
    ]);
    expect(r.delivered).toEqual([1, 3]);
  });
  it('a truncated replay (first event seq 2) is recovered by one read (remote_process_recovers_output_missing_from_event_replay)', async () => {
    const r = await consume('v1-pushed', [out(2), ...done()], [resp([1, 2], 5)]);
    expect(r).toMatchObject({ delivered: [1, 2], readCalls: [0], result: { kind: 'exit', code: 0 } });
  });
  it('a legacy Exited costs exactly one read and takes its denial from it (remote_process_reads_legacy_exit_event_for_sandbox_denial)', async () => {
    const r = await consume('v1-pushed', [out(1), out(2), ...done(1, null)], [resp([], 5, { exitCode: 1, sandboxDenied: true })]);
    expect(r).toMatchObject({ readCalls: [2], result: { kind: 'exit', code: 1, denied: true } });
  });
  it('legacy-denial takes a missing denial as false and never reads', async () => {
    const r = await consume('legacy-denial', [out(1), out(2), ...done(1, null)]);
    expect(r).toMatchObject({ readCalls: [], result: { kind: 'exit', code: 1, denied: false } });
  });
  it('a read error fails the call; a read answered with failure fails it too', async () => {
    expect((await consume('v1-pushed', [out(2)], [new Error('boom')])).result).toEqual({ kind: 'failure', message: 'boom' });
    expect((await consume('v1-pushed', [out(2)], [resp([], 3, { failure: 'gone' })])).result).toEqual({ kind: 'failure', message: 'gone' });
  });
  it('F15: v1-pushed splices a read that starts after a hole; v1-strict announces it and fails', async () => {
    const pushed = await consume(
      'v1-pushed',
      [
        out(1),
        out(5),
        ...([
          { type: 'exited', seq: 6, exitCode: 0, sandboxDenied: false },
          { type: 'closed', seq: 7 },
        ] as ExecProcessEvent[]),
      ],
      [resp([4, 5], 8)],
    );
    expect(pushed).toMatchObject({ delivered: [1, 4, 5], result: { kind: 'exit', code: 0 } });
    const strict = await consume('v1-strict', [out(1), out(5)], [resp([4, 5], 8)]);
    expect(strict).toMatchObject({ delivered: [1], gaps: ['2-3'], result: { kind: 'failure' } });
  });
  it('v1-strict accepts a read whose only missing seq is the exit it has not applied', async () => {
    // seqs: out1, exited2, out3, closed4; after a gap at 3 the read returns 3 and closed
    const r = await consume('v1-strict', [out(1), out(3)], [resp([3], 5, { exitCode: 0 })]);
    expect(r).toMatchObject({ delivered: [1, 3], gaps: [], result: { kind: 'exit', code: 0 } });
  });
  it('F22: v1-pushed reports exit -1 as it is; v1-strict attaches an error', async () => {
    expect((await consume('v1-pushed', [out(1), out(2), ...done(-1)])).result).toEqual({ kind: 'exit', code: -1, denied: false });
    expect((await consume('v1-strict', [out(1), out(2), ...done(-1)])).result).toMatchObject({
      kind: 'exit',
      code: -1,
      error: expect.stringMatching(/unknown/),
    });
  });
  it('a Failed event ends the call with its message', async () => {
    expect((await consume('v1-pushed', [out(1), { type: 'failed', message: 'transport disconnected' }])).result).toEqual({
      kind: 'failure',
      message: 'transport disconnected',
    });
  });
});

describe('lag handling per variant (a ring of 2, six events waiting)', () => {
  const events = () =>
    [out(1), out(2), out(3), out(4), ...done().map((e) => ({ ...e, seq: (e as { seq: number }).seq + 2 }))] as ExecProcessEvent[];
  // subscribe before publishing: the receiver lags by 4; the ring keeps 5 and 6
  async function lagged(variant: string, reads: ReadResult[] = []) {
    const log = new ExecProcessEventLog({ eventCapacity: 2 });
    const rx = log.subscribe();
    for (const e of events()) log.publish(e);
    const delivered: number[] = [];
    let result: ConsumerOutcome | undefined;
    const session = { subscribeEvents: () => rx, read: async () => reads.shift() as ReadResult } as unknown as Session;
    const policy = (VARIANTS[variant] as (typeof VARIANTS)[string]).slots;
    await pushedConsumer(clock, () => undefined, session, policy, new ConsumerKnobs(), {
      output: (s) => delivered.push(s),
      gap: () => undefined,
      result: (o) => (result = o),
    });
    return { delivered, result };
  }
  it('v1 reads from its cursor and completes with everything', async () => {
    expect(await lagged('v1-pushed', [resp([1, 2, 3, 4], 7)])).toMatchObject({
      delivered: [1, 2, 3, 4],
      result: { kind: 'exit', code: 0 },
    });
  });
  it('lag-skips continues with what the ring kept: output 1-4 lost, success reported', async () => {
    expect(await lagged('lag-skips')).toMatchObject({ delivered: [], result: { kind: 'exit', code: 0 } });
  });
  it('lag-closes ends at the lag: no exit status, a failure', async () => {
    expect((await lagged('lag-closes')).result).toMatchObject({ kind: 'failure' });
  });
});

describe('v0-poll: wake + read', () => {
  it('reads on every wake and completes only on a read that says closed (the final read after close)', async () => {
    const r = await consume('v0-poll', [out(1), out(2), ...done()], [resp([1, 2], 5)]);
    expect(r).toMatchObject({ delivered: [1, 2], readCalls: [null], result: { kind: 'exit', code: 0, denied: false } });
  });
  it('follows nextSeq - 1 as its cursor and reads the denial (#29424)', async () => {
    const r = await consume(
      'v0-poll',
      [out(1)],
      [resp([1], 2, { exited: false, exitCode: null, closed: false }), resp([], 4, { exitCode: 1, sandboxDenied: true })],
    );
    expect(r).toMatchObject({ readCalls: [null, 1], result: { kind: 'exit', code: 1, denied: true } });
  });
});
