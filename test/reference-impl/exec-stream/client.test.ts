import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcessScript } from '../../../sim/ports/index.ts';
import { DEFAULT_CLIENT_OPTIONS, ExecClient } from '../../../reference-impl/exec-stream/client/execClient.ts';
import { OrderedSessionEvents, type OrderingOptions } from '../../../reference-impl/exec-stream/client/orderedEvents.ts';
import { recoverEvents } from '../../../reference-impl/exec-stream/client/recovery.ts';
import { ExecProcessEventLog } from '../../../reference-impl/exec-stream/eventLog/eventLog.ts';
import type { ExecProcessEvent } from '../../../reference-impl/exec-stream/eventLog/events.ts';
import { Watch } from '../../../reference-impl/exec-stream/eventLog/watch.ts';
import type { ReadResult } from '../../../reference-impl/exec-stream/protocol/wire.ts';
import { START, harness, inWorld } from './serverHarness.ts';

const out = (seq: number, text = 'x'): ExecProcessEvent => ({ type: 'output', seq, stream: 'stdout', chunk: Buffer.from(text) });

function ordered(opts: Partial<OrderingOptions> = {}) {
  const log = new ExecProcessEventLog();
  const wake = new Watch();
  const failures: string[] = [];
  const ev = new OrderedSessionEvents('p1', log, wake, { ordering: 'seq', pendingEventsMax: 256, pendingBytesMax: 1 << 20, ...opts }, (m) =>
    failures.push(m),
  );
  const published = () => log.replayable.map((e) => (e.type === 'failed' ? 'failed' : `${e.type}#${e.seq}`));
  return { ev, log, wake, failures, published };
}

describe('client ordering layer (OrderedSessionEvents)', () => {
  it('publishes in seq order whatever the arrival order, drops duplicates, and Closed only after every lower seq', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer(), (n, shuffleSeed) => {
        const events: ExecProcessEvent[] = [];
        for (let s = 1; s <= n; s++) events.push(out(s));
        events.push({ type: 'exited', seq: n + 1, exitCode: 0, sandboxDenied: false }, { type: 'closed', seq: n + 2 });
        const arrivals = fc.sample(fc.shuffledSubarray([...events, ...events], { minLength: 2 * events.length }), {
          seed: shuffleSeed,
          numRuns: 1,
        })[0] as ExecProcessEvent[];
        const { ev, published } = ordered();
        for (const e of arrivals) ev.accept(e);
        expect(published()).toEqual(events.map((e) => `${e.type}#${(e as { seq: number }).seq}`));
      }),
      { numRuns: 200 },
    );
  });

  it('F5: closed(4), output(1), exited(3), output(2) is published 1, 2, 3, 4', () => {
    const { ev, published } = ordered();
    ev.accept({ type: 'closed', seq: 4 });
    ev.accept(out(1));
    ev.accept({ type: 'exited', seq: 3, exitCode: 1, sandboxDenied: true });
    expect(published()).toEqual(['output#1']);
    ev.accept(out(2));
    expect(published()).toEqual(['output#1', 'output#2', 'exited#3', 'closed#4']);
  });

  it('arrival ordering (#18020) publishes as events come', () => {
    const { ev, published } = ordered({ ordering: 'arrival' });
    ev.accept({ type: 'closed', seq: 3 });
    ev.accept(out(1));
    expect(published()).toEqual(['closed#3']);
  });

  it('F14: more pending events than the cap is a failure, but the event that closes the gap is exempt; an event over the byte cap is rejected', () => {
    const a = ordered({ pendingEventsMax: 2 });
    a.ev.accept(out(2));
    a.ev.accept(out(3));
    a.ev.accept(out(1)); // closes the gap: exempt
    expect(a.published()).toEqual(['output#1', 'output#2', 'output#3']);
    a.ev.accept(out(5));
    a.ev.accept(out(6));
    a.ev.accept(out(7));
    expect(a.failures).toHaveLength(1);
    expect(a.published().at(-1)).toBe('failed');
    const b = ordered({ pendingBytesMax: 4 });
    b.ev.accept(out(1, 'too large'));
    expect(b.failures).toHaveLength(1);
  });

  it('F21: a failure after Closed is ignored, and events after a failure are dropped; the synthesized read says closed + failure', () => {
    const a = ordered();
    a.ev.accept(out(1));
    a.ev.accept({ type: 'exited', seq: 2, exitCode: 0, sandboxDenied: false });
    a.ev.accept({ type: 'closed', seq: 3 });
    a.ev.setFailure('late');
    expect(a.published()).toEqual(['output#1', 'exited#2', 'closed#3']);
    const b = ordered();
    b.ev.accept(out(1));
    b.ev.setFailure('gone');
    b.ev.accept(out(2));
    expect(b.published()).toEqual(['output#1', 'failed']);
    expect(b.ev.synthesizedRead()).toEqual({
      chunks: [],
      nextSeq: 2,
      exited: true,
      exitCode: null,
      closed: true,
      failure: 'gone',
      sandboxDenied: false,
    });
  });
});

describe('client recovery merge (recover_events)', () => {
  const read = (chunks: number[], nextSeq: number, extra: Partial<ReadResult> = {}): ReadResult => ({
    chunks: chunks.map((seq) => ({ seq, stream: 'stdout', chunk: 'eA==' })),
    nextSeq,
    exited: false,
    exitCode: null,
    closed: false,
    failure: null,
    sandboxDenied: false,
    ...extra,
  });

  it('F11: fills the output missed while detached, synthesizes the one missing Exited with the denial, inserts Closed at nextSeq - 1', () => {
    const { ev, published } = ordered();
    ev.accept(out(1));
    expect(recoverEvents(ev, read([2, 3], 6, { exited: true, exitCode: 1, closed: true, sandboxDenied: true }))).toBeUndefined();
    expect(published()).toEqual(['output#1', 'output#2', 'output#3', 'exited#4', 'closed#5']);
    const exited = ev.closedPublished && (ev as unknown as { log: ExecProcessEventLog }).log.replayable[3];
    expect(exited).toMatchObject({ type: 'exited', exitCode: 1, sandboxDenied: true });
  });

  it('F12: live events far ahead wait in pending; the read fills the middle; duplicates drop', () => {
    const { ev, published } = ordered();
    ev.accept(out(1));
    ev.accept(out(5));
    ev.accept(out(6));
    expect(recoverEvents(ev, read([2, 3, 4, 5], 7))).toBeUndefined();
    expect(published()).toEqual(['output#1', 'output#2', 'output#3', 'output#4', 'output#5', 'output#6']);
  });

  it('F13: a hole the read cannot fill (retention evicted it) is an error, never a splice', () => {
    const { ev } = ordered();
    ev.accept(out(1));
    expect(recoverEvents(ev, read([4, 5], 6))).toMatch(/no longer retained while recovering through sequence 5/);
    const two = ordered();
    expect(recoverEvents(two.ev, read([], 4, { exited: true, exitCode: 0, closed: false }))).toMatch(/no longer retained/); // two holes, one exit
  });
});

describe('client: resume and synthesized failure, end to end', () => {
  const slow: ProcessScript = {
    steps: [1, 2, 3, 4, 5, 6].map((i) => ({ atMs: 1 + (i - 1) * 300, stream: 'stdout' as const, data: `line${i}\n` })),
    end: { atMs: 1_800, code: 7 },
  };

  async function follow(seed: number, cutAtMs: number, refuseMs: number, reconnect = true) {
    const h = harness(seed, { sh: { script: slow } });
    const seen: string[] = [];
    let final: ReadResult | undefined;
    await inWorld(h, async () => {
      const client = await ExecClient.connect(h.client, { ...DEFAULT_CLIENT_OPTIONS, reconnect, url: 'ws://exec-server:4000' });
      const session = await client.start(START('p1', 'sh'));
      const rx = session.subscribeEvents();
      h.world.schedule([
        ...(refuseMs > 0 ? [{ at: cutAtMs, kind: 'refuse', target: 'client->exec-server', scope: 'ws', durationMs: refuseMs }] : []),
        { at: cutAtMs, kind: 'cut', target: 'client->exec-server' },
      ]);
      for (;;) {
        const r = await rx.recv();
        if (r.kind !== 'value') break;
        const e = r.value;
        seen.push(e.type === 'failed' ? `failed:${e.message}` : `${e.type}#${e.seq}`);
        if (e.type === 'closed' || e.type === 'failed') break;
      }
      final = await session.read(0, null, 0);
    });
    return { seen, final, h };
  }

  it('F11: a cut shorter than the recovery window resumes the same session and loses nothing (the observed cut)', async () => {
    const { seen, final } = await follow(21, 520, 1_150);
    expect(seen).toEqual(['output#1', 'output#2', 'output#3', 'output#4', 'output#5', 'output#6', 'exited#7', 'closed#8']);
    expect(final?.chunks.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('F10/F13: past the 25 s window every session fails, and read answers the synthesized closed + failure', async () => {
    const { seen, final } = await follow(22, 520, 26_000);
    expect(seen.slice(0, 2)).toEqual(['output#1', 'output#2']);
    expect(seen[2]).toMatch(/^failed:exec-server transport disconnected/);
    expect(final).toMatchObject({ chunks: [], exited: true, exitCode: null, closed: true, sandboxDenied: false });
    expect(final?.failure).toMatch(/transport disconnected/);
  });

  it('without a reconnect strategy a disconnect fails every session at once', async () => {
    const { seen } = await follow(23, 520, 0, false);
    expect(seen.at(-1)).toBe('failed:exec-server transport disconnected');
  });

  it('a read whose send is refused (the connection cut, its close event still to come) waits out the recovery, never spins', async () => {
    // The runaway of scenarios/found/exec-stream-v1-strict-refused-send-spin.json: a cut marks the
    // socket CLOSED at once and delivers its close a task later; a read issued in between used to
    // retry on the refused send in microtasks forever (no task ran, time never moved, the trace grew).
    const h = harness(25, { sh: { script: slow } });
    let read: ReadResult | undefined;
    const refused = () => h.world.trace.events.filter((e) => e.kind === 'net.send-refused').length;
    await inWorld(h, async () => {
      const client = await ExecClient.connect(h.client, { ...DEFAULT_CLIENT_OPTIONS, url: 'ws://exec-server:4000' });
      const session = await client.start(START('p1', 'sh'));
      h.world.net.cut('client->exec-server');
      expect(h.world.net.openConnections()).toEqual([]);
      expect(client.state).toBe('connected'); // the close event has not arrived yet
      const pending = session.read(0, null, 0);
      expect(client.state).toBe('recovering'); // the refused send said the transport is gone
      read = await pending;
    });
    expect(refused()).toBe(1);
    expect(h.world.trace.events.some((e) => e.kind === 'exec-client.resumed')).toBe(true);
    expect(read?.failure ?? null).toBeNull();
  });

  it('F13: resume after retention evicted the missed output terminates the process and fails the session explicitly', async () => {
    const h = harness(24, { sh: { script: slow } }, { retainedBytesMax: 12 });
    const seen: string[] = [];
    await inWorld(h, async () => {
      const client = await ExecClient.connect(h.client, { ...DEFAULT_CLIENT_OPTIONS, url: 'ws://exec-server:4000' });
      const session = await client.start(START('p1', 'sh'));
      const rx = session.subscribeEvents();
      h.world.schedule([
        { at: 400, kind: 'refuse', target: 'client->exec-server', scope: 'ws', durationMs: 1_000 },
        { at: 400, kind: 'cut', target: 'client->exec-server' },
      ]);
      for (;;) {
        const r = await rx.recv();
        if (r.kind !== 'value') break;
        const e = r.value;
        seen.push(e.type === 'failed' ? `failed:${e.message}` : `${e.type}#${e.seq}`);
        if (e.type === 'closed' || e.type === 'failed') break;
      }
    });
    expect(seen.at(-1)).toMatch(/^failed:failed to recover process p1: process events are no longer retained/);
    expect(h.world.proc.records.find((r) => r.name === 'job')?.exit?.status.signal).toBe('SIGKILL');
  });
});
