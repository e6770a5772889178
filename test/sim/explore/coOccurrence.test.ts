/**
 * The default explorer's co-occurrence schedule (issue 12): runs where two to six kinds all
 * occur, focused runs (the target's fault arbitrary asked for durations at its windows), one
 * fault aligned to another's start or end, and the target's boundary workloads; `plain` keeps
 * the schedule before it. And the bug it was built for: v1-strict's late-subscriber hang, found
 * blind by the default explorer where the plain one misses it on the same seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TARGETS } from '../../../reference-impl/targets.ts';
import { SPEC_RECOVERY_WINDOW_MS } from '../../../reference-impl/exec-stream/target/spec.ts';
import { exploreBatch, exploreSpace, planBatches, type ExplorerKind } from '../../../sim/explore/explore.ts';
import { scenarioArbitrary, type Schedule } from '../../../sim/explore/scenarioArbitrary.ts';
import { coOccurrenceSwarmArbitrary, swarmArbitrary } from '../../../sim/explore/swarm.ts';
import { endOf } from '../../../sim/explore/timeFields.ts';
import type { Fault } from '../../../sim/faults/fault.ts';
import { TargetRegistry, type AnyTarget } from '../../../sim/registry.ts';
import { runScenario } from '../../../sim/runner.ts';
import { faultSpecsOf } from '../../../sim/scenario/load.ts';
import type { FaultDraw, Scenario } from '../../../sim/target.ts';

const registry = new TargetRegistry(BUILTIN_TARGETS);
const KINDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];

const sample = (t: AnyTarget, schedule: Schedule, n: number, seed = 3): Scenario[] =>
  fc.sample(
    scenarioArbitrary({
      target: t,
      variant: t.defaultVariant,
      mode: 'safety',
      kinds: faultSpecsOf(t).map((s) => s.kind),
      maxFaults: 6,
      healSlackMsMax: 30_000,
      schedule,
    }),
    { seed, numRuns: n },
  );

describe('the co-occurrence swarm', () => {
  it('half its runs enable two to six kinds together, half are focused; the plain swarm has neither', () => {
    const co = fc.sample(coOccurrenceSwarmArbitrary(KINDS, 6), { seed: 1, numRuns: 2_000 });
    const together = co.filter((s) => s.together);
    expect(together.length / co.length).toBeGreaterThan(0.4);
    expect(together.length / co.length).toBeLessThan(0.6);
    for (const s of together) (expect(s.kinds.length).toBeGreaterThanOrEqual(2), expect(s.kinds.length).toBeLessThanOrEqual(6));
    const focused = co.filter((s) => s.focus).length / co.length;
    expect(focused).toBeGreaterThan(0.4);
    expect(focused).toBeLessThan(0.6);
    const plain = fc.sample(swarmArbitrary(KINDS), { seed: 1, numRuns: 500 });
    expect(plain.some((s) => s.together || s.focus)).toBe(false);
  });

  it('a focused run asks the target for focused faults, and a pair of kinds is in one run far more often than in the plain schedule', async () => {
    const base = await registry.get('exec-stream');
    const asked: Array<FaultDraw | undefined> = [];
    const spy = {
      ...base,
      faults: { ...base.faults, arbitrary: (k: string, w: unknown, d?: FaultDraw) => (asked.push(d), base.faults.arbitrary(k, w, d)) },
    } as AnyTarget;
    const runs = sample(spy, 'co-occurrence', 400);
    expect(asked.some((d) => d?.focus === true)).toBe(true);
    expect(asked.some((d) => d === undefined)).toBe(true);
    // with every kind in most runs, a pair shows up together far more often than in the plain schedule
    const pair = (s: Scenario) => ['subscriber-delay', 'transport-cut'].every((k) => s.faults.some((f) => f.kind === k));
    const co = sample(base, 'co-occurrence', 4_000).filter(pair).length;
    const plain = sample(base, 'plain', 4_000).filter(pair).length;
    expect(co).toBeGreaterThan(2 * plain);
    asked.length = 0;
    sample(spy, 'plain', 400);
    expect(asked.every((d) => d === undefined)).toBe(true);
    expect(runs.length).toBe(400);
  });

  it("a third of the runs move one fault to start or end a few ms from another's (plain: only by chance)", async () => {
    const t = await registry.get('exec-stream');
    const OFFSETS = [-100, -10, -1, 0, 1, 10, 100, 1_000];
    const times = (f: Fault) => [...(f.at > 0 ? [f.at] : []), ...(endOf(t, f) > f.at ? [endOf(t, f)] : [])];
    const aligned = (s: Scenario) =>
      s.faults.some((f, i) => s.faults.some((g, j) => i !== j && times(f).some((x) => times(g).some((y) => OFFSETS.includes(x - y)))));
    const share = (schedule: Schedule) => {
      const runs = sample(t, schedule, 3_000).filter((s) => s.faults.length >= 2);
      return runs.filter(aligned).length / runs.length;
    };
    const co = share('co-occurrence');
    const plain = share('plain');
    console.log(`aligned: co-occurrence ${co.toFixed(3)}, plain ${plain.toFixed(3)}`);
    expect(co).toBeGreaterThan(0.2);
    expect(co).toBeGreaterThan(2 * plain);
  });

  it('exec-stream: a focused transport cut or late subscriber is drawn at the recovery window and TTL far more often', async () => {
    const t = await registry.get('exec-stream');
    const w = fc.sample(t.workload.arbitrary, { seed: 9, numRuns: 1 })[0];
    const long = (draw: FaultDraw | undefined, kind: string, field: string) =>
      fc
        .sample(t.faults.arbitrary(kind, w, draw), { seed: 2, numRuns: 2_000 })
        .filter((f: Fault) => (f[field] as number) >= SPEC_RECOVERY_WINDOW_MS).length;
    expect(long({ focus: true }, 'transport-cut', 'refuseMs')).toBeGreaterThan(3 * long(undefined, 'transport-cut', 'refuseMs'));
    expect(long({ focus: true }, 'subscriber-delay', 'delayMs')).toBeGreaterThan(2 * long(undefined, 'subscriber-delay', 'delayMs'));
    // a consumer stall meets the event log's capacity, not a window: focus leaves it as it is
    const stalls = (draw: FaultDraw | undefined) => fc.sample(t.faults.arbitrary('consumer-stall', w, draw), { seed: 2, numRuns: 200 });
    expect(stalls({ focus: true })).toEqual(stalls(undefined));
  });

  it('exec-stream: the boundary workloads draw event log byte caps below a ~100-byte Failed more often', async () => {
    const t = await registry.get('exec-stream');
    const small = (arb: fc.Arbitrary<unknown>) =>
      fc.sample(arb, { seed: 4, numRuns: 2_000 }).filter((w) => (w as { eventBytes: number }).eventBytes < 94).length;
    expect(small(t.workload.boundaryArbitrary as fc.Arbitrary<unknown>)).toBeGreaterThan(1.3 * small(t.workload.arbitrary));
  });
});

describe("v1-strict's late-subscriber hang (issue 12)", () => {
  const firstFind = async (explorer: ExplorerKind, seed: number, runs: number) => {
    const t = await registry.get('exec-stream');
    const space = exploreSpace({ target: t, variant: 'v1-strict', mode: 'safety', explorer });
    for (const batch of planBatches(seed, runs)) {
      const r = await exploreBatch(space, batch, { counts: (v) => v.includes('terminates'), shrink: false });
      if (r.violation) return r.violation;
    }
    return undefined;
  };

  it('the default explorer finds it blind within 2,000 runs of seed 1, where the plain one does not', async () => {
    const found = await firstFind('swarm', 1, 2_000);
    expect(found?.violated).toContain('terminates');
    const s = found?.scenario as Scenario;
    // what the hang needs: a late subscriber, a session failure (here from a cut), a byte cap below the Failed
    expect(s.faults.some((f) => f.kind === 'subscriber-delay')).toBe(true);
    expect(s.faults.some((f) => f.kind === 'transport-cut')).toBe(true);
    expect((s.workload as { eventBytes: number }).eventBytes).toBeLessThan(100);
    // and it is that gap: v1-stricter, which keeps a Failed that the cap would evict, passes the same run
    const t = await registry.get('exec-stream');
    expect((await runScenario(t, { ...s, variant: 'v1-stricter' })).violated).toEqual([]);
    expect(await firstFind('plain', 1, 2_000)).toBeUndefined();
  }, 120_000);
});
