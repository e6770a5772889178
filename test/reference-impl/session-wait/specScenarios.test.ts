/**
 * The spec's scenarios (csa-session-wait.md, "Scenarios") that the daemon model can play, run
 * through the target: exit codes, exact marker lines, when the answer comes, and which
 * properties each variant violates. Times in the spec are relative to the wait's start.
 */
import { describe, expect, it } from 'vitest';
import { completedMarker, NEXT_SESSION_HINT, retryWaitHint } from '../../../reference-impl/session-wait/completion.ts';
import { PATHS, S, lines, story, workload } from './helpers.ts';

const completed = (status: string, exit: number, synthetic = false) => completedMarker(S, status, exit, synthetic);

describe('scenario 1: result success, then the daemon exits non-zero (#1442)', () => {
  const w = workload({ exitCode: 1 }); // result success/0 at 2.0 s, packet failure/1 at 2.4 s

  it('pre-1445 drops the older result and reports the packet: a false failure', async () => {
    const r = await story('pre-1445', w);
    const [wait] = r.waits;
    expect(wait?.exitCode).toBe(1);
    expect(lines(wait?.stderr ?? '')).toEqual([completed('failure', 1), NEXT_SESSION_HINT]);
    expect(r.violated).toEqual(['no-false-failure']);
  });

  it('fixed trusts result.toml: success, exit 0, stdout.log streamed before the marker', async () => {
    const r = await story('fixed', w);
    const [wait] = r.waits;
    expect(wait?.exitCode).toBe(0);
    expect(wait?.endedAt).toBe(2_500); // the first poll after the exit
    expect(wait?.stdout).toBe(`o000000\no000001\no000002\n${completed('success', 0)}\n`);
    expect(lines(wait?.stderr ?? '')).toEqual([completed('success', 0), NEXT_SESSION_HINT]);
    expect(r.violated).toEqual([]);
  });

  it('a SIGTERM after the result (packet 143 "signal") is a false failure before #1445 only', async () => {
    const sigterm = [{ at: 2_200, kind: 'kill', target: 'csa-daemon', signal: 'SIGTERM' }];
    const pre = await story('pre-1445', workload({ exitAtMs: 5_000 }), sigterm);
    expect(pre.waits[0]?.verdict).toEqual({ kind: 'completed', status: 'signal', exit: 1, synthetic: false });
    const fixed = await story('fixed', workload({ exitAtMs: 5_000 }), sigterm);
    expect(fixed.waits[0]?.verdict).toEqual({ kind: 'completed', status: 'success', exit: 0, synthetic: false });
  });
});

describe('scenario 2: same-second tie under a coarse mtime', () => {
  it('1 s granularity: both files stamp 2.000 s; pre-1445 lets the packet win, fixed reports success', async () => {
    const w = workload({ exitCode: 1, mtimeGranularity: '1s' });
    expect((await story('pre-1445', w)).waits[0]?.verdict).toEqual({ kind: 'completed', status: 'failure', exit: 1, synthetic: false });
    expect((await story('fixed', w)).waits[0]?.verdict).toEqual({ kind: 'completed', status: 'success', exit: 0, synthetic: false });
  });

  it('the mirror case (packet 0, result failure/2) exits 1 in both versions', async () => {
    const w = workload({ results: [{ atMs: 2_000, status: 'failure', exitCode: 2 }], exitCode: 0, mtimeGranularity: '1s' });
    for (const v of ['pre-1445', 'fixed']) {
      const r = await story(v, w);
      expect(r.waits[0]?.verdict, v).toEqual({ kind: 'completed', status: 'failure', exit: 1, synthetic: false });
      expect(r.violated, v).toEqual([]);
    }
  });

  it('an explicit equal mtime (set-mtime on the packet) is the same tie', async () => {
    const equal = [{ at: 1_000, kind: 'set-mtime', target: `${PATHS.packet}.tmp`, offsetMs: -400 }];
    const r = await story('pre-1445', workload({ exitCode: 1 }), equal);
    expect(r.world.fs.mtimeOf(PATHS.packet)).toBe(r.world.fs.mtimeOf(PATHS.result));
    expect(r.violated).toEqual(['no-false-failure']);
  });
});

describe('scenario 3: enrichment moves the result mtime (UNCONFIRMED path)', () => {
  const base = { exitCode: 1, tool: { startMs: 100, endMs: 1_500, outputEveryMs: 1_000, outputResult: null } };

  it('pre-1445: the same inputs give exit 0 when the refresh rewrites result.toml, exit 1 when it does not', async () => {
    const enriched = await story('pre-1445', workload({ ...base, enrichedResults: true }));
    const rewritten = await story('pre-1445', workload({ ...base, enrichedResults: false }));
    expect(enriched.waits[0]?.verdict).toMatchObject({ status: 'failure', exit: 1 });
    expect(rewritten.waits[0]?.verdict).toMatchObject({ status: 'success', exit: 0 });
    expect(rewritten.world.trace.events.some((e) => e.kind === 'wait.refresh-enriched')).toBe(true);
    // the oracle does not depend on the side effect: the first is caught, the second is not
    expect(enriched.violated).toEqual(['no-false-failure']);
    expect(rewritten.violated).toEqual([]);
  });

  it('fixed gives exit 0 either way', async () => {
    for (const enrichedResults of [true, false])
      expect((await story('fixed', workload({ ...base, enrichedResults }))).waits[0]?.exitCode).toBe(0);
  });
});

describe('scenario 4: alive at the cap (#1439)', () => {
  const w = workload({ results: [{ atMs: 8_000, status: 'success', exitCode: 0 }], exitAtMs: 8_200 }, { capSecs: 3 });

  it('pre-1445 exits 124 with the old TIMEOUT marker while the daemon runs', async () => {
    const r = await story('pre-1445', w);
    const [first] = r.waits;
    expect(first?.exitCode).toBe(124);
    expect(first?.stdout).toBe('');
    expect(lines(first?.stderr ?? '')).toEqual([
      `Timeout: session ${S} did not complete within 3s`,
      `<!-- CSA:SESSION_WAIT_TIMEOUT session=${S} elapsed=3s cmd="csa session wait --session ${S}" -->`,
      'Hint: Call `csa session wait` again individually (not in a tight loop script). The 3s timeout is designed to let the calling agent generate tokens between waits, keeping its KV cache warm.',
      retryWaitHint(S, undefined, false),
    ]);
    expect(r.waits).toHaveLength(1); // the caller read 124 as a failure and stopped
    expect(r.violated.sort()).toEqual(['no-false-failure', 'truthful-cap-exit']);
  });

  it('fixed: KV-warm exit 0, no COMPLETED, empty stdout; the caller re-waits and gets the result', async () => {
    const r = await story('fixed', w);
    const [first, second, third] = r.waits;
    expect(first?.exitCode).toBe(0);
    expect(first?.stdout).toBe('');
    expect(lines(first?.stderr ?? '')).toEqual([
      `Session ${S} still running after 3s wait cap; returning so caller can warm its KV cache before re-waiting.`,
      `<!-- CSA:SESSION_WAIT_KV_WARM session=${S} status=alive elapsed=3s action=re-wait cmd="csa session wait --session ${S}" -->`,
      retryWaitHint(S, undefined, true),
    ]);
    expect([first?.verdict.kind, second?.verdict.kind, third?.verdict]).toEqual([
      'kv-warm',
      'kv-warm',
      { kind: 'completed', status: 'success', exit: 0, synthetic: false },
    ]);
    expect(r.violated).toEqual([]);
  });
});

describe('scenario 5: PID reuse after the daemon dies', () => {
  // dies at 10 s (last stderr write at 9 s), its pid reused at 12 s; no result, no packet
  const w = workload({ results: [], exitAtMs: 60_000, exitCode: 1, stdout: [], stderrEveryMs: 9_000 }, { startMs: 1, capSecs: 5 });
  const faults = [
    { at: 10_000, kind: 'kill', target: 'csa-daemon', signal: 'SIGKILL' },
    { at: 12_000, kind: 'pid-reuse', target: 'csa-daemon' },
  ];

  it('fixed: the start time differs, so dead; reconcile synthesizes once the 30 s window passed', async () => {
    const r = await story('fixed', w, faults);
    const done = r.waits.at(-1);
    expect(done?.verdict).toEqual({ kind: 'completed', status: 'failure', exit: 1, synthetic: true });
    expect(done?.endedAt).toBeGreaterThanOrEqual(39_000);
    expect(done?.endedAt).toBeLessThanOrEqual(41_000);
    expect(done?.stderr).toContain(`Session ${S} reached a synthesized terminal result because no live daemon process remained.`);
    expect(r.violated).toEqual([]);
  });

  it('pid-only: kill(pid, 0) answers for the squatter: KV-warm forever', async () => {
    const r = await story('pid-only', w, faults);
    expect(r.waits.every((x) => x.verdict.kind === 'kv-warm')).toBe(true);
    expect(r.waits.length).toBeGreaterThan(15);
    expect(r.violated.sort()).toEqual(['terminates', 'truthful-cap-exit']);
  });
});

describe('scenario 7: an intermediate result while the daemon is alive (#2034)', () => {
  const w = workload({
    results: [
      { atMs: 3_000, status: 'success', exitCode: 0 },
      { atMs: 30_000, status: 'failure', exitCode: 1 },
    ],
    exitAtMs: 31_000,
    exitCode: 1,
  });

  it('fixed waits for the daemon: exit 1 at about 31 s', async () => {
    const r = await story('fixed', w);
    expect(r.waits.at(-1)?.verdict).toEqual({ kind: 'completed', status: 'failure', exit: 1, synthetic: false });
    expect(r.waits.at(-1)?.endedAt).toBe(31_500);
    expect(r.violated).toEqual([]);
  });

  it('trust-any-result completes on the first result.toml: exit 0 at about 3 s', async () => {
    const r = await story('trust-any-result', w);
    expect(r.waits[0]?.verdict).toEqual({ kind: 'completed', status: 'success', exit: 0, synthetic: false });
    expect(r.waits[0]?.endedAt).toBe(3_500);
    expect(r.violated).toEqual(['no-false-success']);
  });
});

describe('scenario 8: SIGKILL with no artifacts and recent stderr', () => {
  // killed at 5 s; stderr.log last written at 0 s (its start line), so -5 s on the wait's clock
  const w = workload({ results: [], exitAtMs: 60_000, exitCode: 1, stdout: [] }, { startMs: 5_000 });
  const faults = [{ at: 5_000, kind: 'kill', target: 'csa-daemon', signal: 'SIGKILL' }];

  it('fixed: no completion before 25 s; reconcile synthesizes at 26 s on the wait clock', async () => {
    const r = await story('fixed', w, faults);
    const [wait] = r.waits;
    expect(wait?.verdict).toEqual({ kind: 'completed', status: 'failure', exit: 1, synthetic: true });
    expect((wait?.endedAt ?? 0) - 5_000).toBe(26_000);
    expect(r.violated).toEqual([]);
  });
});

describe('scenario 9: SIGTERM with a packet and no result', () => {
  it('fixed: reconcile is blocked by the recent stderr, so the packet decides: signal, exit 1, never exit 0', async () => {
    const w = workload({ results: [], exitAtMs: 60_000, exitCode: 1, stdout: [] }, { startMs: 2_000 });
    const r = await story('fixed', w, [{ at: 2_000, kind: 'kill', target: 'csa-daemon', signal: 'SIGTERM' }]);
    expect(r.waits[0]?.verdict).toEqual({ kind: 'completed', status: 'signal', exit: 1, synthetic: false });
    expect(r.waits[0]?.endedAt).toBeLessThanOrEqual(3_000);
    expect(r.violated).toEqual([]);
  });
});

describe('scenario 14: the memory warning', () => {
  const w = workload(
    { results: [{ atMs: 40_000, status: 'success', exitCode: 0 }], exitAtMs: 40_500, rssMb: 150 },
    { startMs: 1_000, memoryWarnMb: 100 },
  );

  it('RSS 150 MB over a 100 MB limit at the 15 s sample: MEMORY_WARN on stdout, exit 33, the session left running', async () => {
    const r = await story('fixed', w);
    const [wait] = r.waits;
    expect(wait?.exitCode).toBe(33);
    expect(wait?.endedAt).toBe(16_000);
    expect(wait?.stdout).toBe(`<!-- CSA:MEMORY_WARN session=${S} rss_mb=150 limit_mb=100 -->\n`);
    expect(r.truth.alive.find((a) => a.name === 'csa-daemon')?.to).toBe(40_500);
  });

  it('an Unsupported sampler stops sampling without exiting', async () => {
    const r = await story('fixed', { ...w, wait: { ...w.wait, sampler: 'unsupported' } });
    expect(r.waits[0]?.verdict).toMatchObject({ kind: 'completed', exit: 0 });
  });
});

describe('scenario 15: only output/result.toml exists (#1370)', () => {
  it('the daemon vanished (SIGKILL) before writing result.toml; B2 falls back to the tool result', async () => {
    const w = workload(
      {
        results: [],
        exitAtMs: 60_000,
        exitCode: 1,
        tool: { startMs: 100, endMs: 1_500, outputEveryMs: 0, outputResult: { atMs: 1_000, status: 'success', exitCode: 0 } },
      },
      { startMs: 2_500 },
    );
    const r = await story('fixed', w, [{ at: 2_000, kind: 'kill', target: 'csa-daemon', signal: 'SIGKILL' }]);
    expect(r.waits[0]?.verdict).toEqual({ kind: 'completed', status: 'success', exit: 0, synthetic: false });
    expect(r.waits[0]?.endedAt).toBe(2_500);
    expect(r.violated).toEqual([]);
  });
});

describe('§7: the daemon died but an orphaned tool child holds its lock', () => {
  it('session_has_terminal_process stays true: no completion, KV-warm at the cap, then the result after the orphan ends', async () => {
    const w = workload(
      { results: [], exitAtMs: 60_000, exitCode: 1, tool: { startMs: 100, endMs: 20_000, outputEveryMs: 0, outputResult: null } },
      { startMs: 3_000, capSecs: 10 },
    );
    const r = await story('fixed', w, [{ at: 2_000, kind: 'kill', target: 'csa-daemon', signal: 'SIGKILL' }]);
    expect(r.waits.map((x) => [x.endedAt, x.verdict.kind])).toEqual([
      [13_000, 'kv-warm'],
      [23_000, 'kv-warm'], // the orphan ended at 20 s, but stderr.log (written at 0 s) still blocks reconcile
      [31_000, 'completed'],
    ]);
    expect(r.waits[2]?.verdict).toEqual({ kind: 'completed', status: 'failure', exit: 1, synthetic: true });
    expect(r.violated).toEqual([]);
  });
});
