import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Broadcast } from '../../../reference-impl/exec-stream/eventLog/broadcast.ts';
import { ExecProcessEventLog } from '../../../reference-impl/exec-stream/eventLog/eventLog.ts';
import type { ExecProcessEvent } from '../../../reference-impl/exec-stream/eventLog/events.ts';
import { Watch } from '../../../reference-impl/exec-stream/eventLog/watch.ts';

const out = (seq: number, text: string): ExecProcessEvent => ({ type: 'output', seq, stream: 'stdout', chunk: Buffer.from(text) });

async function drain(log: ExecProcessEventLog, n: number) {
  const rx = log.subscribe();
  const got: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await rx.recv();
    got.push(
      r.kind === 'value'
        ? `${r.value.type}#${'seq' in r.value ? r.value.seq : ''}`
        : r.kind === 'lagged'
          ? `lagged(${r.skipped})`
          : 'closed',
    );
  }
  return got;
}

describe('event log: bounded replay', () => {
  it('an event larger than the byte cap is evicted at once (the upstream unit test: 8 events / 3 bytes)', async () => {
    const log = new ExecProcessEventLog({ eventCapacity: 8, byteCapacity: 3 });
    log.publish(out(1, 'large'));
    log.publish({ type: 'exited', seq: 2, exitCode: 0, sandboxDenied: false });
    log.publish({ type: 'closed', seq: 3 });
    expect(await drain(log, 2)).toEqual(['exited#2', 'closed#3']);
  });

  it('is bounded by count: a late subscriber starts at seq > 1', async () => {
    const log = new ExecProcessEventLog({ eventCapacity: 3, byteCapacity: 1000 });
    for (let s = 1; s <= 5; s++) log.publish(out(s, 'x'));
    expect(await drain(log, 3)).toEqual(['output#3', 'output#4', 'output#5']);
  });

  it('is bounded by bytes', async () => {
    const log = new ExecProcessEventLog({ eventCapacity: 100, byteCapacity: 4 });
    for (let s = 1; s <= 4; s++) log.publish(out(s, 'ab'));
    expect(log.replayable.map((e) => ('seq' in e ? e.seq : 0))).toEqual([3, 4]);
  });
});

describe('event log: live fan-out and lag', () => {
  it('a receiver more than capacity behind gets lagged once, then the oldest still held', async () => {
    const b = new Broadcast<number>(3);
    const rx = b.subscribe();
    for (let i = 1; i <= 5; i++) b.send(i);
    expect(await rx.recv()).toEqual({ kind: 'lagged', skipped: 2 });
    expect(await rx.recv()).toEqual({ kind: 'value', value: 3 });
    expect(await rx.recv()).toEqual({ kind: 'value', value: 4 });
    expect(rx.tryRecv()).toEqual({ kind: 'value', value: 5 });
    expect(rx.tryRecv()).toBeUndefined();
  });

  it('a fast receiver never lags and a slow one does not slow the sender', async () => {
    const b = new Broadcast<number>(2);
    const fast = b.subscribe();
    const slow = b.subscribe();
    const got: number[] = [];
    for (let i = 1; i <= 10; i++) {
      b.send(i);
      const r = await fast.recv();
      if (r.kind === 'value') got.push(r.value);
    }
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(slow.tryRecv()).toEqual({ kind: 'lagged', skipped: 8 });
  });

  it('live events published while a subscriber drains its replay count toward its lag', async () => {
    const log = new ExecProcessEventLog({ eventCapacity: 2, byteCapacity: 1000 });
    log.publish(out(1, 'a'));
    log.publish(out(2, 'b'));
    const rx = log.subscribe();
    for (let s = 3; s <= 6; s++) log.publish(out(s, 'c'));
    expect((await rx.recv()).kind).toBe('value'); // replay 1
    expect((await rx.recv()).kind).toBe('value'); // replay 2
    expect(await rx.recv()).toEqual({ kind: 'lagged', skipped: 2 });
  });

  it('closing the channel ends receivers after they drain', async () => {
    const b = new Broadcast<number>(4);
    const rx = b.subscribe();
    b.send(1);
    b.close();
    expect(await rx.recv()).toEqual({ kind: 'value', value: 1 });
    expect(await rx.recv()).toEqual({ kind: 'closed' });
  });

  it('no duplicate and no gap at the replay/live seam, whatever the interleaving (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.oneof(fc.constant('publish' as const), fc.constant('subscribe' as const), fc.constant('recv' as const)), {
          maxLength: 60,
        }),
        async (cap, ops) => {
          const log = new ExecProcessEventLog({ eventCapacity: cap, byteCapacity: 1 << 20 });
          let seq = 0;
          const subs: Array<{ rx: ReturnType<ExecProcessEventLog['subscribe']>; seen: number[]; lagged: boolean }> = [];
          for (const op of ops) {
            if (op === 'publish') log.publish(out(++seq, 'x'));
            else if (op === 'subscribe') subs.push({ rx: log.subscribe(), seen: [], lagged: false });
            else
              for (const s of subs) {
                const r = s.rx.pending > 0 ? await s.rx.recv() : undefined;
                if (r?.kind === 'value' && r.value.type === 'output') s.seen.push(r.value.seq);
                if (r?.kind === 'lagged') s.lagged = true;
              }
          }
          for (const s of subs) {
            while (s.rx.pending > 0) {
              const r = await s.rx.recv();
              if (r.kind === 'value' && r.value.type === 'output') s.seen.push(r.value.seq);
              if (r.kind === 'lagged') s.lagged = true;
            }
            // strictly increasing (no duplicate), and contiguous unless a lag was reported
            for (let i = 1; i < s.seen.length; i++) {
              expect(s.seen[i]).toBeGreaterThan(s.seen[i - 1] as number);
              if (!s.lagged) expect(s.seen[i]).toBe((s.seen[i - 1] as number) + 1);
            }
            if (!s.lagged && s.seen.length > 0) expect(s.seen[s.seen.length - 1]).toBe(seq);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('wake watch', () => {
  it('coalesces changes and reports a closed sender', async () => {
    const w = new Watch();
    const rx = w.subscribe();
    w.raise(3);
    w.raise(2);
    w.raise(5);
    expect(await rx.changed()).toBe(true);
    expect(rx.value).toBe(5);
    const pending = rx.changed();
    w.close();
    expect(await pending).toBe(false);
  });
});
