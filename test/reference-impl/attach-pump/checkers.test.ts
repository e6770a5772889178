/** The attach-pump's own checker parts: the termination bound and the recoverability estimate. */
import { describe, expect, it } from 'vitest';
import type { Observed, Truth } from '../../../sim/check/index.ts';
import type { Fault } from '../../../sim/index.ts';
import type { Scenario } from '../../../sim/target.ts';
import { livenessChecker } from '../../../sim/judge.ts';
import {
  CHECKERS,
  LIVENESS,
  PROPERTIES,
  TERMINATION_BOUND_MS,
  lingeringCostMs,
  settledAt,
  terminationDeadline,
} from '../../../reference-impl/attach-pump/target/checkers.ts';
import { budgetEstimateMs, delayEstimateMs, unrecoverableBecause } from '../../../reference-impl/attach-pump/target/recoverability.ts';
import type { AttachWorkload } from '../../../reference-impl/attach-pump/target.ts';
import { ECHO_HELLO, scenario } from './helpers.ts';

// `terminates` as the harness judges it, from the target's liveness declaration
const terminatesCheck = livenessChecker(LIVENESS);

const exitAt = (t: number): Pick<Truth, 'outcome'> => ({ outcome: { kind: 'exit', code: 0, signal: null, denied: false, t } });

function input(s: Scenario<AttachWorkload>, resultAt: number | undefined, exitT = 10, runEndedAt = 10_000_000) {
  const truth: Truth = {
    streams: {},
    outcome: { kind: 'exit', code: 0, signal: null, denied: false, t: exitT },
    recoverable: true,
    unrecoverableBecause: [],
    runEndedAt,
  };
  const observed: Observed = {
    streams: {},
    notices: [],
    results: resultAt === undefined ? [] : [{ t: resultAt, outcome: { kind: 'exit', code: 0 } }],
  };
  return { scenario: s, truth, observed, history: [] };
}

describe('the termination bound', () => {
  it('is 45 + 2 + 5 + 30 + 270 + 5 + 3 = 360 s', () => {
    expect(TERMINATION_BOUND_MS).toBe(360_000);
  });

  it('counts from the later of the exit and the faults settling (the end of the last window; liveness: the heal)', () => {
    const faults: Fault[] = [
      { at: 1_000, kind: 'cut', target: 'client->runner' },
      { at: 2_000, kind: 'refuse', target: 'client->runner', scope: 'ws', status: 502, durationMs: 50_000 },
    ];
    const safety = scenario('cursor', ECHO_HELLO, faults);
    expect(settledAt(safety)).toBe(52_000);
    expect(terminationDeadline(safety, exitAt(10))).toBe(52_000 + 360_000);
    expect(terminationDeadline(safety, exitAt(100_000))).toBe(100_000 + 360_000);
    const live = scenario('cursor', ECHO_HELLO, faults, { mode: 'liveness', healAtMs: 20_000 });
    expect(terminationDeadline(live, exitAt(10))).toBe(20_000 + 360_000);
    expect(terminationDeadline(live, { outcome: { kind: 'running' } })).toBeUndefined();
  });

  it('adds what can act after the window: silent refusals, muted loops, lag in flight (not after a heal, but for lag)', () => {
    const faults: Fault[] = [
      { at: 0, kind: 'refuse', target: 'client->runner', scope: 'ws', timeout: true, count: 2 },
      { at: 0, kind: 'refuse', target: 'client->runner', scope: 'http', timeout: true, count: 1 },
      { at: 0, kind: 'mute-exit', target: 'runner', count: 2 },
      { at: 0, kind: 'lag', target: 'client->runner', durationMs: 10, extraMs: 4_000 },
    ];
    expect(lingeringCostMs(scenario('cursor', ECHO_HELLO, faults))).toBe(2 * 35_000 + 5_000 + 2 * 50_000 + 8_000);
    expect(lingeringCostMs(scenario('cursor', ECHO_HELLO, faults, { mode: 'liveness', healAtMs: 100 }))).toBe(8_000);
  });

  it('terminates passes a result within the bound and fails one after it, or none at all', () => {
    const s = scenario('cursor', ECHO_HELLO);
    const by = terminationDeadline(s, exitAt(10)) as number;
    expect(terminatesCheck(input(s, by)).valid).toBe(true);
    expect(terminatesCheck(input(s, by + 1)).valid).toBe(false);
    expect(terminatesCheck(input(s, undefined)).valid).toBe(false);
    // a run that really ended before the deadline with no result cannot tell
    expect(terminatesCheck(input(s, undefined, 10, 1_000)).valid).toBe('unknown');
  });
});

describe('the termination bound: edges mutation testing showed unguarded', () => {
  it('a heal counts only in liveness mode, and liveness without a heal falls back to the windows', () => {
    const faults: Fault[] = [{ at: 2_000, kind: 'refuse', target: 'client->runner', scope: 'ws', status: 502, durationMs: 8_000 }];
    expect(settledAt(scenario('cursor', ECHO_HELLO, faults, { mode: 'safety', healAtMs: 99_000 }))).toBe(10_000);
    expect(settledAt(scenario('cursor', ECHO_HELLO, faults, { mode: 'liveness' }))).toBe(10_000);
  });

  it('a half-open window lasts until its close, so closeAfterMs adds to the window', () => {
    const halfOpen: Fault = { at: 1_000, kind: 'half-open', target: 'client->runner', durationMs: 4_000, closeAfterMs: 3_000 };
    expect(settledAt(scenario('cursor', ECHO_HELLO, [halfOpen]))).toBe(8_000);
  });

  it('only silent refusals with a count linger: answered ones, windows and other kinds cost nothing', () => {
    const cost = (f: Fault) => lingeringCostMs(scenario('cursor', ECHO_HELLO, [f]));
    expect(cost({ at: 0, kind: 'refuse', target: 'client->runner', scope: 'ws', status: 502, count: 2 })).toBe(0);
    expect(cost({ at: 0, kind: 'refuse', target: 'client->runner', scope: 'ws', timeout: true, durationMs: 9_000 })).toBe(0);
    expect(cost({ at: 0, kind: 'cut', target: 'client->runner', timeout: true, count: 3 })).toBe(0);
    expect(cost({ at: 0, kind: 'mute-exit', target: 'runner' })).toBe(45_000 + 5_000);
  });

  it('the lingering cost moves the deadline out, and terminates judges against the moved deadline', () => {
    const s = scenario('cursor', ECHO_HELLO, [{ at: 0, kind: 'mute-exit', target: 'runner', count: 1 }]);
    const by = terminationDeadline(s, exitAt(10)) as number;
    expect(by).toBe(10 + 360_000 + 50_000);
    expect(terminatesCheck(input(s, by)).valid).toBe(true);
    const late = terminatesCheck(input(s, by + 1));
    expect(late?.valid).toBe(false);
    expect(late?.summary).toMatch(/^the result came only at/);
  });
});

describe('the property list', () => {
  it('names exactly the checkers, each with a summary (the CLI and reports list properties from it)', () => {
    expect(PROPERTIES.map((p) => p.name)).toEqual([...Object.keys(CHECKERS), LIVENESS.property]);
    for (const p of PROPERTIES) expect(p.summary.length).toBeGreaterThan(20);
    expect(PROPERTIES.find((p) => p.name === 'terminates')?.summary).toMatch(/within 360 s/);
  });
});

describe('recoverability: within the 270 s reconnect budget', () => {
  it('a few cuts and refusals are recoverable', () => {
    const s = scenario('cursor', ECHO_HELLO, [
      { at: 0, kind: 'cut', target: 'client->runner' },
      { at: 0, kind: 'refuse', target: 'client->runner', scope: 'ws', status: 502, count: 3 },
      { at: 0, kind: 'half-open', target: 'client->runner' },
    ]);
    expect(budgetEstimateMs(s)).toBe(15_000 + 90_000 + 75_000);
    expect(unrecoverableBecause(s, true)).toEqual([]);
  });

  it('a long refusal window could use up the budget: unrecoverable', () => {
    const s = scenario('cursor', ECHO_HELLO, [
      { at: 0, kind: 'refuse', target: 'client->runner', scope: 'ws', status: 502, durationMs: 200_000 },
    ]);
    expect(budgetEstimateMs(s)).toBe(15 * 30_000);
    expect(unrecoverableBecause(s, true)).toEqual([expect.stringMatching(/reconnect budget/)]);
  });

  it('an eviction, or an exec that never started, is unrecoverable; a fault skipped by the heal does not count', () => {
    const evict: Fault = { at: 500, kind: 'evict', target: 'runner' };
    expect(unrecoverableBecause(scenario('cursor', ECHO_HELLO, [evict]), true)).toEqual([
      'the runner evicted the execution (evict at t=500 ms)',
    ]);
    expect(unrecoverableBecause(scenario('cursor', ECHO_HELLO, [evict], { mode: 'liveness', healAtMs: 100 }), true)).toEqual([]);
    expect(unrecoverableBecause(scenario('cursor', ECHO_HELLO), false)).toEqual(['the exec request failed: the command never ran']);
  });

  it('a command silent for a long time costs budget through first-frame timeouts', () => {
    const silent: AttachWorkload = { command: 'sleep', steps: [], exit: { atMs: 100_000, code: 0 } };
    expect(budgetEstimateMs(scenario('cursor', silent))).toBe(5 * 15_000);
    expect(budgetEstimateMs(scenario('cursor', ECHO_HELLO))).toBe(0);
  });

  it("waits that could outlast the runner's 5 min retention of an exited execution: unrecoverable (explore seed 1, run 975)", () => {
    const mute = (count: number): Fault => ({ at: 0, kind: 'mute-exit', target: 'runner', count });
    const probe500 = (count: number): Fault => ({ at: 1, kind: 'refuse', target: 'client->runner', scope: 'http', count, status: 500 });
    const run975 = scenario('cursor', ECHO_HELLO, [
      mute(1),
      mute(1),
      mute(2),
      probe500(1),
      probe500(3),
      { at: 4, kind: 'refuse', target: 'client->runner', scope: 'ws', count: 2, timeout: true },
    ]);
    // 120 s of sleep: well within the budget, so only the wall-time rule excuses it
    expect(budgetEstimateMs(run975)).toBe(120_000);
    expect(delayEstimateMs(run975)).toBe(120_000 + 4 * 65_000 + 2 * 30_000);
    expect(unrecoverableBecause(run975, true, 2_827, 362_709)).toEqual([expect.stringMatching(/past the runner's 5 min retention/)]);
    expect(unrecoverableBecause(run975, true, 2_827)).toHaveLength(1); // never answered
    // an answer before the retention ran out cannot blame it: the execution was still there
    expect(unrecoverableBecause(run975, true, 2_827, 302_826)).toEqual([]);
    // without an exit there is no retention to outlast
    expect(unrecoverableBecause(run975, true)).toEqual([]);
    // one muted exit with failing probes stays recoverable: giving up there is still a false failure
    const one = scenario('cursor', ECHO_HELLO, [mute(1), probe500(3)]);
    expect(unrecoverableBecause(one, true, 2_827, 400_000)).toEqual([]);
    // the rule counts from the later of the exit and the faults: waits that start late in the retention outlast it
    expect(unrecoverableBecause(scenario('cursor', ECHO_HELLO, [{ ...mute(1), at: 290_000 }]), true, 2_827, 400_000)).toHaveLength(1);
  });
});
