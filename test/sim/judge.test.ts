/**
 * The harness judges every run in one place (sim/judge.ts): the target's checkers, its liveness
 * property from what it says it waits for, no-crash from the world, and "not applicable" (never
 * "held") for what a run cannot judge. The runner takes any world factory.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fail, pass, type Checker } from '../../sim/check/result.ts';
import { classOf, judge, livenessChecker, NO_CRASH, violationsByClass } from '../../sim/judge.ts';
import { checkTargetShape } from '../../sim/registry.ts';
import { runScenario, simulatedWorld, type WorldFactory } from '../../sim/runner.ts';
import type { CheckInput, Scenario, Target } from '../../sim/target.ts';
import { anyObject } from '../../sim/schema/fields.ts';

const bad: Checker<CheckInput> = () => fail('always violated', [{ t: 1, note: 'bad' }]);

function fakeTarget(over: Partial<Target> = {}): Target {
  return {
    name: 'fake',
    summary: 'a target for judging',
    variants: { only: { summary: 'the only one', source: 'test', expected: 'pass' } },
    defaultVariant: 'only',
    properties: [
      { name: 'safe', summary: 'always violated' },
      { name: 'late', summary: 'liveness only, always violated', livenessOnly: true },
      { name: 'wired', summary: 'needs the wire, always violated', needs: ['wire'] },
      { name: 'terminates', summary: 'a result within 100 ms of settling' },
    ],
    checkers: { safe: bad, late: bad, wired: bad },
    liveness: { property: 'terminates', pending: 'answer', boundMs: 100, settledAt: () => 50 },
    workload: { arbitrary: fc.constant({}), schema: anyObject('anything'), describe: () => 'nothing' },
    faults: { kernelKinds: [], specs: [], arbitrary: () => fc.constant({ at: 0, kind: 'cut', target: '*' }) },
    run: async (world) => {
      await world.run(10);
      return { history: world.trace.events, observed: { streams: {}, notices: [], results: [] }, truth: emptyTruth };
    },
    ...over,
  };
}

const emptyTruth = { streams: {}, outcome: { kind: 'running' as const }, recoverable: true, unrecoverableBecause: [], runEndedAt: 1_000 };
const scenario = (mode: Scenario['mode']): Scenario => ({
  format: 1,
  target: 'fake',
  variant: 'only',
  seed: 1,
  mode,
  ...(mode === 'liveness' ? { healAtMs: 5 } : {}),
  workload: {},
  faults: [],
  expect: 'pass',
});
const inputWithResultAt = (mode: Scenario['mode'], t: number | undefined): CheckInput => ({
  scenario: scenario(mode),
  history: [],
  observed: { streams: {}, notices: [], results: t === undefined ? [] : [{ t, outcome: { kind: 'exit', code: 0 } }] },
  truth: emptyTruth,
});

describe('judge', () => {
  it('a safety run reports a liveness-only property as not applicable, not as held; a liveness run judges it', () => {
    const t = fakeTarget();
    const safety = judge(t, inputWithResultAt('safety', 10), { mode: 'safety' });
    expect(safety.results.safe?.valid).toBe(false);
    expect(safety.results.late?.notApplicable).toMatch(/liveness mode only/);
    expect(safety.results.late?.summary).toMatch(/^not applicable: /);
    const live = judge(t, inputWithResultAt('liveness', 10), { mode: 'liveness' });
    expect(live.results.late?.valid).toBe(false);
    expect(live.results.late?.notApplicable).toBeUndefined();
  });

  it('a property needing a record the run does not keep is not applicable, with the reason; a run keeping it judges it', () => {
    const t = fakeTarget();
    expect(judge(t, inputWithResultAt('safety', 10), { mode: 'safety' }).results.wired?.notApplicable).toBe(
      'needs the wire record, which this run does not keep',
    );
    expect(judge(t, inputWithResultAt('safety', 10), { mode: 'safety', records: ['wire'] }).results.wired?.valid).toBe(false);
  });

  it("judges the liveness property from the target's declaration: settled at 50, bound 100", () => {
    const t = fakeTarget();
    expect(judge(t, inputWithResultAt('safety', 150), { mode: 'safety' }).results.terminates?.valid).toBe(true);
    const late = judge(t, inputWithResultAt('safety', 151), { mode: 'safety' }).results.terminates;
    expect(late?.valid).toBe(false);
    expect(late?.summary).toMatch(/the answer came only at t=0\.151s, after the deadline t=0\.150s/);
    expect(judge(t, inputWithResultAt('safety', undefined), { mode: 'safety' }).results.terminates?.valid).toBe(false);
    // a real run knows its own settle time and keeps the target's bound
    expect(judge(t, inputWithResultAt('safety', 151), { mode: 'safety', settledAt: () => 60 }).results.terminates?.valid).toBe(true);
    expect(judge(t, inputWithResultAt('safety', 161), { mode: 'safety', settledAt: () => 60 }).results.terminates?.valid).toBe(false);
    // no answer due: not applicable to the run
    const none = livenessChecker({ property: 'terminates', pending: 'answer', boundMs: 1, settledAt: () => undefined });
    expect(none(inputWithResultAt('safety', undefined)).valid).toBe(true);
  });

  it("no-crash comes from the world's errors, last, and only for a run with a world", () => {
    const t = fakeTarget();
    const errors = [{ t: 2_500, actor: 'client', message: 'boom' }];
    const r = judge(t, inputWithResultAt('safety', 10), { mode: 'safety', errors });
    expect(Object.keys(r.results).at(-1)).toBe(NO_CRASH.name);
    expect(r.results['no-crash']).toMatchObject({ valid: false, summary: 'client threw at t=2.500s: boom' });
    expect(judge(t, inputWithResultAt('safety', 10), { mode: 'safety', errors: [] }).results['no-crash']?.valid).toBe(true);
    expect(judge(t, inputWithResultAt('safety', 10), { mode: 'safety' }).results['no-crash']).toBeUndefined();
  });

  it('classes: the liveness property and livenessOnly ones are liveness, the rest safety', () => {
    const t = fakeTarget();
    expect(classOf(t, 'terminates')).toBe('liveness');
    expect(classOf(t, 'late')).toBe('liveness');
    expect(classOf(t, 'safe')).toBe('safety');
    expect(classOf(t, 'no-crash')).toBe('safety');
    expect(violationsByClass(t, ['safe', 'terminates', 'no-crash'])).toEqual({ safety: ['safe', 'no-crash'], liveness: ['terminates'] });
  });

  it('the registry refuses a checker for the property the harness judges, and a malformed liveness', () => {
    expect(() => checkTargetShape(fakeTarget(), 'fake')).not.toThrow();
    expect(() => checkTargetShape(fakeTarget({ checkers: { safe: bad, late: bad, wired: bad, terminates: bad } }), 'fake')).toThrow(
      /checkers\.terminates: the harness judges the liveness property/,
    );
    expect(() => checkTargetShape(fakeTarget({ liveness: { property: 'terminates' } as never }), 'fake')).toThrow(/liveness: expected/);
    expect(() => checkTargetShape(fakeTarget({ liveness: undefined }), 'fake')).toThrow(/checkers\.terminates: expected a checker/);
  });
});

describe('runScenario', () => {
  it('runs in the world the factory builds, disposes it, and judges no-crash with the rest', async () => {
    let disposed = 0;
    const worlds: WorldFactory = (options) => ({ world: simulatedWorld(options).world, dispose: () => void disposed++ });
    const crashing = fakeTarget({
      checkers: { safe: () => pass('fine'), late: bad, wired: bad },
      run: async (world) => {
        world.spawn('client', () => Promise.reject(new Error('boom')));
        await world.run(10);
        return {
          history: world.trace.events,
          observed: { streams: {}, notices: [], results: [{ t: 1, outcome: { kind: 'exit', code: 0 } }] },
          truth: emptyTruth,
        };
      },
    });
    const run = await runScenario(crashing, scenario('safety'), worlds);
    expect(disposed).toBe(1);
    expect(run.violated).toEqual(['no-crash']);
    expect(run.checks.results['no-crash']?.summary).toMatch(/client threw at t=0\.000s: Error: boom/);
    expect(run.checks.results.late?.notApplicable).toBeDefined();
  });
});
