/**
 * The client pump against the runner, spec scenarios 1–6 (cuts, drains, 409, a silent drain
 * socket, eviction), variant by variant.
 */
import { describe, expect, it } from 'vitest';
import { A_THEN_B, ECHO_HELLO, run, scenario } from './helpers.ts';
import type { AttachWorkload } from '../../../reference-impl/attach-pump/target.ts';

const CUT_FIRST_ATTACH = { at: 0, kind: 'attach-cut', target: 'client->runner#1', afterFrames: 0 };

describe('spec scenario 1: cut before any frame, fast command (#627)', () => {
  it('pre-627: the probe says completed, the probed exit 0 is emitted and "hello\\n" is lost silently', async () => {
    const r = await run(scenario('pre-627', ECHO_HELLO, [CUT_FIRST_ATTACH]));
    expect(r.stdout).toBe('');
    expect(r.results).toEqual([{ t: expect.any(Number), exitCode: 0 }]);
    expect(r.violated).toEqual(expect.arrayContaining(['no-lost-output', 'no-false-success']));
  });

  it('fixed-627: one immediate re-attach (no 15 s sleep) drains "hello\\n"; exit 0 from the exit frame; one result', async () => {
    const r = await run(scenario('fixed-627', ECHO_HELLO, [CUT_FIRST_ATTACH]));
    expect(r.stdout).toBe('hello\n');
    expect(r.results).toHaveLength(1);
    expect(r.results[0]?.exitCode).toBe(0);
    expect(r.results[0]?.t).toBeLessThan(1_000);
    expect(r.events('pump.drain-attach')).toHaveLength(1);
    expect(r.violated).toEqual([]);
  });
});

describe('spec scenario 2: cut after partial output', () => {
  // WS #1 delivers A, then the proxy drops it at the frame carrying B (written with the exit).
  const cut = [{ at: 0, kind: 'attach-cut', target: 'client->runner#1', afterFrames: 1 }];

  it('pre-627 loses the tail: out = "A\\n", clean exit 0', async () => {
    const r = await run(scenario('pre-627', A_THEN_B, cut));
    expect(r.stdout).toBe('A\n');
    expect(r.violated).toEqual(expect.arrayContaining(['no-lost-output', 'no-false-success']));
  });

  it('fixed-627 duplicates the prefix: the drain replays the backlog from its head, out = "A\\nA\\nB\\n"', async () => {
    const r = await run(scenario('fixed-627', A_THEN_B, cut));
    expect(r.stdout).toBe('A\nA\nB\n');
    expect(r.violated).toEqual(['no-duplicate-output']);
  });

  it('cursor resumes at its cursor: out = "A\\nB\\n"', async () => {
    const r = await run(scenario('cursor', A_THEN_B, cut));
    expect(r.stdout).toBe('A\nB\n');
    expect(r.outcome.observed.streams.stdout?.map((c) => c.offset)).toEqual([0, 2]);
    expect(r.violated).toEqual([]);
  });
});

describe('spec scenario 3: cut while still running', () => {
  const w: AttachWorkload = {
    command: 'yes | head -c 1000; sleep 60',
    steps: [{ atMs: 0, stream: 'stdout', bytes: 1_000 }],
    exit: { atMs: 60_000, code: 0 },
  };
  const faults = [{ at: 2_000, kind: 'cut', target: 'client->runner' }];

  it('fixed-627: StillRunning → sleep 15 s → reconnect at ~17 s; the replay re-sends the 1000 bytes; exit 0 from the frame', async () => {
    const r = await run(scenario('fixed-627', w, faults));
    const attaches = r.events('pump.attached');
    expect(attaches).toHaveLength(2);
    expect(attaches[1]?.t).toBeGreaterThanOrEqual(17_000);
    expect(attaches[1]?.t).toBeLessThan(17_100);
    expect(r.stdout.length).toBe(2_000);
    expect(r.results).toEqual([{ t: expect.any(Number), exitCode: 0 }]);
    expect(r.violated).toEqual(['no-duplicate-output']);
  });

  it('no-probe bails on the disconnect: -1 with the cause (a false failure)', async () => {
    const r = await run(scenario('no-probe', w, faults));
    expect(r.results).toEqual([{ t: expect.any(Number), exitCode: -1, error: 'WS stream read error: connection reset' }]);
    expect(r.violated).toEqual(['no-false-failure']);
  });

  it('cursor: resumes after 1000 bytes, nothing repeated', async () => {
    const r = await run(scenario('cursor', w, faults));
    expect(r.stdout.length).toBe(1_000);
    expect(r.violated).toEqual([]);
  });
});

describe('spec scenario 4: the drain re-attach gets 409', () => {
  // WS #1 is cut before any frame; the one drain attempt is answered 409.
  const faults = [CUT_FIRST_ATTACH, { at: 21, kind: 'refuse', target: 'client->runner', scope: 'ws', status: 409, count: 1 }];

  it('fixed-627 falls back to the probed exit 0 with out = "": no retry, no hang, exactly one result', async () => {
    const r = await run(scenario('fixed-627', ECHO_HELLO, faults));
    expect(r.events('pump.attach-failed').map((e) => e.data.status)).toEqual([409]);
    expect(r.stdout).toBe('');
    expect(r.results).toEqual([{ t: expect.any(Number), exitCode: 0 }]);
    expect(r.results[0]?.t).toBeLessThan(1_000);
    expect(r.violated).toEqual(expect.arrayContaining(['no-lost-output', 'no-false-success']));
  });

  it('cursor retries through the reconnect loop and drains "hello\\n" 15 s later', async () => {
    const r = await run(scenario('cursor', ECHO_HELLO, faults));
    expect(r.stdout).toBe('hello\n');
    expect(r.results[0]?.t).toBeGreaterThan(15_000);
    expect(r.violated).toEqual([]);
  });
});

describe('spec scenario 5: the drain socket never sends exit', () => {
  const hi: AttachWorkload = { command: 'echo hi', steps: [{ atMs: 0, stream: 'stdout', text: 'hi' }], exit: { atMs: 5, code: 0 } };
  const faults = [CUT_FIRST_ATTACH, { at: 0, kind: 'mute-exit', target: 'runner', count: 2 }];

  it('fixed-627: the watchdog fires at 45 s, the probe says Terminal, the flag is set: the probed code at ~45–50 s, out = "hi"', async () => {
    const r = await run(scenario('fixed-627', hi, faults));
    expect(r.stdout).toBe('hi');
    expect(r.results).toHaveLength(1);
    expect(r.results[0]?.exitCode).toBe(0);
    expect(r.results[0]?.t).toBeGreaterThanOrEqual(45_000);
    expect(r.results[0]?.t).toBeLessThan(50_100);
    expect(r.events('pump.drain-attach')).toHaveLength(1);
  });

  it('cursor: every byte was delivered (totals in the probe), so the probed code is final at once after the watchdog', async () => {
    const r = await run(scenario('cursor', hi, faults));
    expect(r.stdout).toBe('hi');
    expect(r.violated).toEqual([]);
  });
});

describe('spec scenario 6: the execution is evicted before the drain', () => {
  // seed 1: WS #1 opens at 18 ms and is cut at once; the retention expires at 15 ms, after the
  // upgrade and before the probe.
  const faults = [
    { at: 0, kind: 'attach-cut', target: 'client->runner#1', afterFrames: 0 },
    { at: 15, kind: 'evict', target: 'runner' },
  ];

  it('the probe gets 404 → Gone → emit_or_fallback gets 404 again → -1 with the cause; never a hang, one result', async () => {
    for (const v of ['pre-627', 'fixed-627', 'cursor']) {
      const r = await run(scenario(v, ECHO_HELLO, faults));
      expect(r.events('pump.attached')).toHaveLength(1);
      expect(r.events('pump.probe').map((e) => e.data.outcome)).toEqual(['gone', 'gone']);
      expect(r.results).toEqual([{ t: expect.any(Number), exitCode: -1, error: 'WS stream read error: connection reset' }]);
      expect(r.outcome.truth.recoverable).toBe(false);
    }
  });
});

describe('spec scenario 6b: the probe still says completed but the drain connect gets 404', () => {
  it('fixed-627 emits the probed code with empty out; cursor re-probes, sees the execution, retries and drains', async () => {
    const faults = [
      { at: 0, kind: 'attach-cut', target: 'client->runner#1', afterFrames: 0 },
      { at: 0, kind: 'refuse', target: 'client->runner#2', scope: 'ws', status: 404, count: 1 },
    ];
    const fixed = await run(scenario('fixed-627', ECHO_HELLO, faults));
    expect(fixed.stdout).toBe('');
    expect(fixed.results).toEqual([{ t: expect.any(Number), exitCode: 0 }]);
    const cursor = await run(scenario('cursor', ECHO_HELLO, faults));
    expect(cursor.stdout).toBe('hello\n');
    expect(cursor.results).toEqual([{ t: expect.any(Number), exitCode: 0 }]);
    expect(cursor.violated).toEqual([]);
  });
});
