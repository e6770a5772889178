/**
 * The client pump against the runner, spec scenarios 7–15 and the pump's timeouts.
 */
import { describe, expect, it } from 'vitest';
import { ECHO_HELLO, run, scenario } from './helpers.ts';
import type { AttachWorkload } from '../../../reference-impl/attach-pump/target.ts';

describe('spec scenario 7: killed via DELETE', () => {
  it('the execution is evicted at once: the probe after a cut returns 404 → Gone → -1 with the disconnect cause', async () => {
    const w: AttachWorkload = { command: 'sleep 60', steps: [{ atMs: 0, stream: 'stdout', bytes: 16 }], exit: { atMs: 60_000, code: 0 } };
    const r = await run(
      scenario('fixed-627', w, [
        { at: 1_000, kind: 'cut', target: 'client->runner' },
        { at: 1_000, kind: 'evict', target: 'runner', kill: true },
      ]),
    );
    expect(r.events('pump.probe').map((e) => e.data.outcome)).toEqual(['gone', 'gone']);
    expect(r.results).toEqual([{ t: expect.any(Number), exitCode: -1, error: 'WS stream read error: connection reset' }]);
    expect(r.outcome.truth.outcome).toMatchObject({ kind: 'exit', signal: 'SIGKILL' });
    expect(r.violated).toEqual([]);
  });
});

describe('spec scenario 8: proxy 502 on the initial upgrade (#1546)', () => {
  const faults = [{ at: 0, kind: 'refuse', target: 'client->runner', scope: 'ws', status: 502, count: 1 }];

  it('fixed-627: attach_ws → emit_or_fallback → completed/0 → {0, None} with out = "" (not covered by the fix)', async () => {
    const r = await run(scenario('fixed-627', ECHO_HELLO, faults));
    expect(r.events('pump.attach-failed').map((e) => e.data.status)).toEqual([502]);
    expect(r.stdout).toBe('');
    expect(r.results).toEqual([{ t: expect.any(Number), exitCode: 0 }]);
    expect(r.violated).toEqual(expect.arrayContaining(['no-lost-output', 'no-false-success']));
  });

  it('cursor treats the failed first attach like any disconnect and drains "hello\\n"', async () => {
    const r = await run(scenario('cursor', ECHO_HELLO, faults));
    expect(r.stdout).toBe('hello\n');
    expect(r.violated).toEqual([]);
  });

  it('pre-627 on a command still running: emit_or_fallback says -1 with the cause (a false failure)', async () => {
    const w: AttachWorkload = {
      command: 'sleep 5; echo done',
      steps: [{ atMs: 5_000, stream: 'stdout', text: 'done\n' }],
      exit: { atMs: 5_000, code: 0 },
    };
    const r = await run(scenario('pre-627', w, faults));
    expect(r.results).toEqual([{ t: expect.any(Number), exitCode: -1, error: 'WS connect failed: HTTP 502 on the upgrade' }]);
    expect(r.violated).toContain('no-false-failure');
  });
});

describe('spec scenario 9: the reconnect budget (270 s) is shared by every flap and never reset', () => {
  const long: AttachWorkload = { command: 'long job', steps: [{ atMs: 0, stream: 'stdout', bytes: 8 }], exit: { atMs: 900_000, code: 0 } };

  it('all connects failing: sleeps 15, 30×8, 15 = 270 s, so at most 10 attempts, then emit_or_fallback (-1, still running)', async () => {
    const r = await run(
      scenario('fixed-627', long, [
        { at: 1_000, kind: 'cut', target: 'client->runner' },
        { at: 1_000, kind: 'refuse', target: 'client->runner', scope: 'ws', status: 502, durationMs: 600_000 },
      ]),
    );
    const fails = r.events('pump.attach-failed');
    expect(fails).toHaveLength(10);
    const gaps = fails.map((e, i) => e.t - (i === 0 ? 1_000 : (fails[i - 1] as { t: number }).t));
    expect(gaps.map((g) => Math.round(g / 1000))).toEqual([15, 30, 30, 30, 30, 30, 30, 30, 30, 15]);
    expect(r.results).toEqual([{ t: expect.any(Number), exitCode: -1, error: 'WS stream read error: connection reset' }]);
    expect(r.outcome.truth.recoverable).toBe(false);
  });

  it('a second flap only has what the first left: 270 − (15+30+30+30) = 165 s', async () => {
    const r = await run(
      scenario('fixed-627', long, [
        { at: 100_000, kind: 'cut', target: 'client->runner' },
        { at: 100_000, kind: 'refuse', target: 'client->runner', scope: 'ws', status: 502, count: 3 },
        { at: 400_000, kind: 'cut', target: 'client->runner' },
        { at: 400_000, kind: 'refuse', target: 'client->runner', scope: 'ws', status: 502, durationMs: 400_000 },
      ]),
    );
    const second = r.events('pump.attach-failed').filter((e) => e.t > 400_000);
    const slept = second.reduce((n, e, i) => n + (e.t - (i === 0 ? 400_000 : (second[i - 1] as { t: number }).t)), 0);
    expect(Math.round(slept / 1000)).toBe(165);
    expect(r.results[0]?.exitCode).toBe(-1);
  });
});

describe('spec scenario 11: slow subscriber', () => {
  // 40 chunks of 64 B within 20 ms while the client does not read; 4-slot channels (test scale).
  const burst: AttachWorkload = {
    command: 'burst',
    steps: Array.from({ length: 40 }, (_, i) => ({ atMs: 100 + Math.floor(i / 2), stream: 'stdout' as const, bytes: 64 })),
    exit: { atMs: 300, code: 0 },
    runner: { subscriberChunksMax: 4 },
  };
  const stall = [{ at: 90, kind: 'slow-subscriber', target: 'runner', durationMs: 500 }];

  it('fixed-627: the live channel drops chunks, the pumps drain within 2 s: a silent gap and a clean exit 0', async () => {
    const r = await run(scenario('fixed-627', burst, stall));
    expect(r.stdout.length).toBeLessThan(40 * 64);
    expect(r.results).toEqual([{ t: expect.any(Number), exitCode: 0 }]);
    expect(r.violated).toEqual(expect.arrayContaining(['no-lost-output', 'no-false-success']));
  });

  it('cursor sees the offsets jump, re-attaches at its cursor and gets the dropped bytes from the backlog', async () => {
    const r = await run(scenario('cursor', burst, stall));
    expect(r.events('runner.drop').length).toBeGreaterThan(0);
    expect(r.stdout.length).toBe(40 * 64);
    expect(r.violated).toEqual([]);
  });
});

describe('spec scenario 12: backlog overflow while detached', () => {
  // 60 × 64 B while the client is away, with a 1 KiB backlog (test scale): only the tail is replayed.
  const w: AttachWorkload = {
    command: 'chatty',
    steps: [
      { atMs: 100, stream: 'stdout', bytes: 64 },
      ...Array.from({ length: 60 }, (_, i) => ({ atMs: 1_000 + i * 10, stream: 'stdout' as const, bytes: 64 })),
    ],
    exit: { atMs: 20_000, code: 0 },
    runner: { backlogBytesMax: 1_024 },
  };
  const detach = [{ at: 500, kind: 'cut', target: 'client->runner' }];

  it('fixed-627: the replay is a duplicated head, if still retained, joined to a gap, with no marker', async () => {
    const r = await run(scenario('fixed-627', w, detach));
    expect(r.violated).toEqual(expect.arrayContaining(['no-lost-output', 'no-false-success']));
    expect(r.outcome.observed.notices).toEqual([]);
  });

  it('cursor: the expired cursor comes back as an explicit gap notice; the rest is whole; exit 0', async () => {
    const r = await run(scenario('cursor', w, detach));
    expect(r.outcome.observed.notices).toEqual([expect.objectContaining({ kind: 'gap', stream: 'stdout' })]);
    expect(r.results).toEqual([{ t: expect.any(Number), exitCode: 0 }]);
    expect(r.violated).toEqual([]);
  });

  it('a replay cut mid-codepoint becomes U+FFFD in the per-frame lossy decode (#1155): invented bytes', async () => {
    const text: AttachWorkload = {
      command: 'printf é…',
      steps: [
        { atMs: 100, stream: 'stdout', text: 'x' },
        { atMs: 1_000, stream: 'stdout', text: 'éééé' },
      ],
      exit: { atMs: 20_000, code: 0 },
      runner: { backlogBytesMax: 7 },
    };
    const r = await run(scenario('fixed-627', text, detach));
    expect(r.stdout).toContain('\uFFFD');
    expect(r.violated).toContain('ordered-output');
  });
});

describe('spec scenario 14: control frames', () => {
  it('an error frame is remembered and becomes the cause when the budget runs out', async () => {
    const { parseServerFrame } = await import('../../../reference-impl/attach-pump/wire.ts');
    expect(parseServerFrame('{"type":"exit"}', false)).toEqual({ type: 'exit', exitCode: -1 });
    expect(parseServerFrame('{"type":"exit","exit_code":"3"}', false)).toEqual({ type: 'exit', exitCode: -1 });
    expect(parseServerFrame('{"type":"exit","exit_code":7}', false)).toEqual({ type: 'exit', exitCode: 7 });
    expect(parseServerFrame('{"type":"error"}', false)).toEqual({ type: 'error', message: 'server reported error without message' });
    expect(parseServerFrame('{"type":"bogus"}', false)).toEqual({ type: 'ignored', why: 'unrecognized text frame' });
    expect(parseServerFrame(new Uint8Array([0x07, 65]), true)).toEqual({ type: 'ignored', why: 'unknown channel prefix 7' });
    expect(parseServerFrame(new Uint8Array([]), true)).toEqual({ type: 'ignored', why: 'empty frame' });
  });
});

describe('spec scenario 15: runner drain timeout', () => {
  it('Done while a pump write is blocked: Close 1011 (after that write), no exit frame; Terminal; fixed-627 drains and duplicates', async () => {
    const w: AttachWorkload = {
      command: 'two parts',
      steps: [
        { atMs: 100, stream: 'stdout', text: 'part one\n' },
        { atMs: 500, stream: 'stdout', text: 'part two\n' },
      ],
      exit: { atMs: 500, code: 0 },
    };
    const r = await run(scenario('fixed-627', w, [{ at: 300, kind: 'slow-subscriber', target: 'runner', durationMs: 5_000 }]));
    expect(r.events('runner.drain-timeout')).toHaveLength(1);
    // the blocked write of "part two" completes when the client reads again, then the 1011
    expect(r.stdout).toBe('part one\npart two\npart one\npart two\n');
    expect(r.violated).toEqual(['no-duplicate-output']);
    const c = await run(scenario('cursor', w, [{ at: 300, kind: 'slow-subscriber', target: 'runner', durationMs: 5_000 }]));
    expect(c.stdout).toBe('part one\npart two\n');
    expect(c.violated).toEqual([]);
  });
});

describe('timeouts of the pump', () => {
  it('a silent command trips the 10 s first-frame timeout (first ping at 15 s): StillRunning, sleep 15 s, reconnect; correct result, later', async () => {
    const w: AttachWorkload = {
      command: 'sleep 30; echo late',
      steps: [{ atMs: 30_000, stream: 'stdout', text: 'late\n' }],
      exit: { atMs: 30_000, code: 0 },
    };
    const r = await run(scenario('fixed-627', w));
    const disconnects = r.events('pump.disconnect');
    expect(disconnects[0]?.data.cause).toMatch(/no WS traffic/);
    expect(disconnects[0]?.t).toBeGreaterThanOrEqual(10_000);
    expect(disconnects[0]?.t).toBeLessThan(10_100);
    expect(r.stdout).toBe('late\n');
    expect(r.violated).toEqual([]);
  });

  it('after a first frame the watchdog is 45 s: a dead (half-open) socket is noticed 45 s after the last frame', async () => {
    const w: AttachWorkload = { command: 'job', steps: [{ atMs: 0, stream: 'stdout', text: 'x' }], exit: { atMs: 120_000, code: 0 } };
    const r = await run(scenario('fixed-627', w, [{ at: 20_000, kind: 'half-open', target: 'client->runner' }]));
    const d = r.events('pump.disconnect')[0];
    expect(d?.data.cause).toMatch(/no WS traffic/);
    // the last frame the client read was the 15 s ping
    expect(d?.t).toBeGreaterThanOrEqual(60_000);
    expect(d?.t).toBeLessThan(60_100);
  });

  it('a probe that gets no answer gives up after 5 s (Unavailable) and the pump reconnects', async () => {
    const w: AttachWorkload = { command: 'job', steps: [{ atMs: 0, stream: 'stdout', text: 'x' }], exit: { atMs: 60_000, code: 0 } };
    const r = await run(
      scenario('cursor', w, [
        { at: 1_000, kind: 'cut', target: 'client->runner' },
        { at: 999, kind: 'refuse', target: 'client->runner', scope: 'http', timeout: true, count: 1 },
      ]),
    );
    const probe = r.events('pump.probe')[0];
    expect(probe?.data.outcome).toBe('unavailable');
    expect(probe?.t).toBeGreaterThanOrEqual(6_000);
    expect(probe?.t).toBeLessThan(6_100);
    expect(r.violated).toEqual([]);
  });
});
