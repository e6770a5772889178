/**
 * The spec's fault schedules (§4, F1-F22) where they apply to this model, each on the variants
 * it separates. F7/F8 (server denial race), F14/F21 (client caps, late failure) and F17/F18
 * (writeId, -32010) are covered in server.test.ts and client.test.ts; F19 (a bounded reader
 * blocking initialize) and F20 (two processes) are not modelled.
 */
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../../sim/index.ts';
import { runScenario } from '../../../sim/runner.ts';
import { target } from '../../../reference-impl/exec-stream/target.ts';
import type { ChunkSpec, ExecWorkload } from '../../../reference-impl/exec-stream/target/workload.ts';

const BASE: ExecWorkload = {
  chunks: [],
  exitAfterMs: 5,
  end: { code: 0 },
  sandboxed: false,
  denied: false,
  childHoldsPipesMs: 0,
  pipeJitterMsMax: 0,
  sendJitterMsMax: 0,
  eventCapacity: 4,
  eventBytes: 1 << 20,
};

const burst = (n: number, firstGapMs = 0, bytes = 16): ChunkSpec[] =>
  Array.from({ length: n }, (_, i) => ({ gapMs: i === 0 ? firstGapMs : 0, stream: 'stdout' as const, bytes }));

async function run(variant: string, workload: Partial<ExecWorkload>, faults: Fault[], seed = 1) {
  const r = await runScenario(target, {
    format: 1,
    target: 'exec-stream',
    variant,
    seed,
    mode: 'safety',
    workload: { ...BASE, ...workload },
    faults,
    expect: 'pass',
  });
  return { violated: r.violated, result: r.outcome.observed.results[0]?.outcome, truth: r.outcome.truth, r };
}

describe('F1: everything published before the consumer subscribes', () => {
  it('the replay history carries output, exit and close: every variant completes', async () => {
    for (const v of Object.keys(target.variants)) {
      const r = await run(v, { chunks: burst(2, 1) }, [{ at: 0, kind: 'subscriber-delay', delayMs: 500 }]);
      expect([v, r.violated]).toEqual([v, []]);
      expect(r.result).toMatchObject({ kind: 'exit', code: 0 });
    }
  });
});

describe('F2: more events than the replay holds before subscribing', () => {
  const w = { chunks: burst(10, 1) };
  const f: Fault[] = [{ at: 0, kind: 'subscriber-delay', delayMs: 500 }];
  it('v1 sees seq > 1 first, reads from 0, and loses nothing', async () => {
    expect((await run('v1-pushed', w, f)).violated).toEqual([]);
    expect((await run('v1-strict', w, f)).violated).toEqual([]);
  });
  it('lag-skips (#37207) never notices the jump: the prefix is lost silently', async () => {
    expect((await run('lag-skips', w, f)).violated).toContain('no-lost-output');
  });
});

describe('F3/F4: the receiver falls behind the live ring during a burst', () => {
  // output starts after the subscription; the consumer stalls through a burst of 12 events (ring 4)
  const w = { chunks: [...burst(12, 100), { gapMs: 2_000, stream: 'stdout' as const, bytes: 16 }] };
  const f: Fault[] = [{ at: 50, kind: 'consumer-stall', durationMs: 300 }];
  it('v1 reads from its cursor on Lagged and loses nothing', async () => {
    expect((await run('v1-pushed', w, f)).violated).toEqual([]);
    expect((await run('v1-strict', w, f)).violated).toEqual([]);
  });
  it('lag-skips (#37207) loses the skipped output silently', async () => {
    expect((await run('lag-skips', w, f)).violated).toContain('no-lost-output');
  });
  it('lag-closes (#18212) takes Lagged for the end: a false failure', async () => {
    const r = await run('lag-closes', w, f);
    expect(r.violated).toContain('no-false-failure');
    expect(r.result).toMatchObject({ kind: 'failure' });
  });
  it('no-dedupe (#18212) applies the ring events the read already covered: duplicates (F4)', async () => {
    expect((await run('no-dedupe', w, f)).violated).toContain('no-duplicate-output');
  });
});

describe('F5: notifications reordered', () => {
  const w = { chunks: burst(3, 100) };
  const f: Fault[] = [{ at: 0, kind: 'notification-reorder', seq: 1, holdMs: 200 }];
  it('the client reorders by seq: v1 completes with everything', async () => {
    expect((await run('v1-strict', w, f)).violated).toEqual([]);
  });
  it('arrival-order (#18020) completes on Closed as it arrives: the tail is lost and completion is not authoritative', async () => {
    const r = await run('arrival-order', { chunks: [{ gapMs: 100, stream: 'stderr', bytes: 16 }, ...burst(2, 0)] }, [
      { at: 0, kind: 'notification-reorder', seq: 1, holdMs: 200 },
    ]);
    expect(r.violated).toEqual(expect.arrayContaining(['authoritative-completion', 'no-lost-output']));
  });
});

describe('F6: a legacy server omits sandboxDenied from process/exited', () => {
  const w = { chunks: burst(1, 1), sandboxed: true, denied: true, end: { code: 1 } };
  const f: Fault[] = [{ at: 0, kind: 'legacy-server' }];
  it('v1 reads the denial before marking the exit', async () => {
    const r = await run('v1-pushed', w, f);
    expect(r.violated).toEqual([]);
    expect(r.result).toMatchObject({ kind: 'exit', code: 1, denied: true });
  });
  it('legacy-denial (#29424) reports an ordinary failure', async () => {
    const r = await run('legacy-denial', w, f);
    expect(r.result).toMatchObject({ kind: 'exit', code: 1, denied: false });
    expect(r.violated).toEqual(expect.arrayContaining(['truthful-exit', 'authoritative-completion']));
  });
  it('without the legacy server legacy-denial is right (the bug needs the fault)', async () => {
    expect((await run('legacy-denial', w, [])).violated).toEqual([]);
  });
});

describe('F9: a grandchild holds the pipes after the exit', () => {
  it('every consumer waits for Closed; v0 does not spin (one read per wake)', async () => {
    for (const v of ['v0-poll', 'v1-pushed', 'v1-strict']) {
      const r = await run(v, { chunks: burst(2, 1), childHoldsPipesMs: 2_000 }, []);
      expect([v, r.violated]).toEqual([v, []]);
      const reads = r.r.outcome.history.filter((e) => e.kind === 'net.send' && String(e.data?.text).includes('process/read')).length;
      expect(reads).toBeLessThan(8);
    }
  });
});

describe('F10/F11/F13: the transport drops', () => {
  const w = { chunks: [...burst(3, 100), ...burst(3, 400)] };
  it('F11: shorter than the recovery window: every variant resumes and loses nothing', async () => {
    for (const v of ['v0-poll', 'v1-pushed', 'v1-strict']) {
      expect([v, (await run(v, w, [{ at: 150, kind: 'transport-cut', refuseMs: 1_000 }])).violated]).toEqual([v, []]);
    }
  });
  it('F10: past the 25 s window of #28512 (v0-poll): an explicit failure in an unrecoverable run, not a false one', async () => {
    const r = await run('v0-poll', w, [{ at: 150, kind: 'transport-cut', refuseMs: 26_000 }]);
    expect(r.truth.recoverable).toBe(false);
    expect(r.result).toMatchObject({ kind: 'failure' });
    expect((r.result as { message: string }).message).toMatch(/within the recovery window/);
    expect(r.violated).toEqual([]);
  });
  it('codex 0.169 (v1-pushed, v1-strict): no client deadline, so the same 26 s cut resumes within the TTL; both answers are legal', async () => {
    for (const v of ['v1-pushed', 'v1-strict']) {
      const r = await run(v, w, [{ at: 150, kind: 'transport-cut', refuseMs: 26_000 }]);
      expect(r.truth.recoverable).toBe(false); // the spec lets a client give up at 25 s
      expect([v, r.result]).toMatchObject([v, { kind: 'exit', code: 0 }]);
      expect([v, r.violated]).toEqual([v, []]);
    }
  });
  it('F13: past the server TTL the resume is refused (-32600 unknown session id) and every session fails', async () => {
    const r = await run('v1-pushed', w, [{ at: 150, kind: 'transport-cut', refuseMs: 31_000 }]);
    expect(r.result).toMatchObject({ kind: 'failure' });
    expect((r.result as { message: string }).message).toMatch(/resume failed: unknown session id/);
    expect(r.violated).toEqual([]);
  });
  it('F13: resuming after retention evicted the missed output fails explicitly (and kills the process)', async () => {
    const r = await run('v1-pushed', w, [
      { at: 0, kind: 'retention-size', bytes: 32, chunks: 4 },
      { at: 150, kind: 'transport-cut', refuseMs: 1_000 },
    ]);
    expect(r.result).toMatchObject({ kind: 'failure' });
    expect((r.result as { message: string }).message).toMatch(/failed to recover process p1/);
    expect(r.violated).toEqual([]);
  });
});

describe('F15: the consumer lags past the server retention', () => {
  const w = { chunks: [...burst(12, 100), { gapMs: 2_000, stream: 'stdout' as const, bytes: 16 }] };
  const f: Fault[] = [
    { at: 0, kind: 'retention-size', bytes: 64, chunks: 4 },
    { at: 50, kind: 'consumer-stall', durationMs: 300 },
  ];
  it('v1-pushed reads after a hole and splices silently (upstream as it is)', async () => {
    const r = await run('v1-pushed', w, f);
    expect(r.truth.recoverable).toBe(false);
    expect(r.violated).toContain('no-lost-output');
  });
  it('v1-strict announces the hole and fails explicitly', async () => {
    const r = await run('v1-strict', w, f);
    expect(r.result).toMatchObject({ kind: 'failure' });
    expect((r.result as { message: string }).message).toMatch(/unrecoverable sequence gap/);
    expect(r.violated).toEqual([]);
  });
  it('v0-poll has the same hole: its read starts after the evicted output, unnoticed', async () => {
    const r = await run('v0-poll', w, f);
    expect(r.violated).toContain('no-lost-output');
  });
});

describe('F16: lag plus a fallback read more than 30 s after Closed', () => {
  const w = { chunks: burst(12, 100) };
  const f: Fault[] = [{ at: 50, kind: 'consumer-stall', durationMs: 35_000 }];
  it('the read finds the process forgotten: both v1 variants fail explicitly, and the run is unrecoverable (the lagged output is gone)', async () => {
    for (const v of ['v1-pushed', 'v1-strict']) {
      const r = await run(v, w, f);
      expect(r.result).toMatchObject({ kind: 'failure', message: 'unknown process id p1' });
      expect(r.truth.unrecoverableBecause.join()).toMatch(/retention expiry/);
      expect([v, r.violated]).toEqual([v, []]);
    }
  });
});

describe('F22: the server loses its exit watcher', () => {
  const w = { chunks: [...burst(2, 10), ...burst(1, 300)] };
  const f: Fault[] = [{ at: 100, kind: 'exit-watcher-lost' }];
  it('v1-pushed and v0-poll report exit -1 as a real exit', async () => {
    for (const v of ['v1-pushed', 'v0-poll']) {
      const r = await run(v, w, f);
      expect(r.result).toMatchObject({ kind: 'exit', code: -1 });
      expect(r.violated).toContain('truthful-exit');
    }
  });
  it('v1-strict reports it with an explicit error', async () => {
    const r = await run('v1-strict', w, f);
    expect(r.result).toMatchObject({ kind: 'exit', code: -1 });
    expect((r.result as { error?: string }).error).toMatch(/exit status unknown/);
    expect(r.violated).toEqual([]);
  });
});
