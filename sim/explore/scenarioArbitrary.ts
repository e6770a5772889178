/**
 * Scenarios as fast-check values: a world seed (never shrunk: another seed is another world),
 * a workload from the target, a swarm of fault kinds, and a schedule drawn from them. fast-check
 * shrinks toward fewer faults, earlier and shorter ones, and a smaller workload.
 */
import fc from 'fast-check';
import type { Fault } from '../faults/fault.ts';
import type { AnyTarget } from '../registry.ts';
import type { Mode, Scenario } from '../target.ts';
import { swarmArbitrary } from './swarm.ts';

export interface ScenarioSpace {
  target: AnyTarget;
  variant: string;
  mode: Mode;
  /** Fault kinds to draw from (default: every kind the target understands). */
  kinds: readonly string[];
  /** Most faults in one schedule. */
  maxFaults: number;
  /** Liveness mode: the heal comes at most this long after the last fault. */
  healSlackMsMax: number;
}

export function scenarioArbitrary(space: ScenarioSpace): fc.Arbitrary<Scenario> {
  const { target, variant, mode, kinds, maxFaults } = space;
  return fc
    .record({ seed: fc.noShrink(fc.integer()), workload: target.workload.arbitrary as fc.Arbitrary<unknown>, swarm: swarmArbitrary(kinds) })
    .chain(({ seed, workload, swarm }) => {
      const one =
        swarm.kinds.length === 0
          ? fc.constant(undefined)
          : fc.oneof(
              ...swarm.kinds.map(({ kind, weight }) => ({
                arbitrary: target.faults.arbitrary(kind, workload) as fc.Arbitrary<Fault>,
                weight,
              })),
            );
      const schedule =
        swarm.kinds.length === 0 ? fc.constant([] as Fault[]) : fc.array(one as fc.Arbitrary<Fault>, { maxLength: maxFaults });
      const heal = mode === 'liveness' ? fc.integer({ min: 0, max: space.healSlackMsMax }) : fc.constant(undefined);
      return fc.tuple(schedule, heal).map(([faults, slack]): Scenario => {
        const sorted = [...faults].sort((a, b) => a.at - b.at);
        const s: Scenario = { format: 1, target: target.name, variant, seed, mode, workload, faults: sorted, expect: 'pass' };
        if (slack !== undefined) s.healAtMs = (sorted.at(-1)?.at ?? 0) + slack;
        return s;
      });
    });
}
