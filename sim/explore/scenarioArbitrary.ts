/**
 * Scenarios as fast-check values: a world seed (never shrunk: another seed is another world),
 * a workload from the target, a swarm of fault kinds, and a schedule drawn from them. fast-check
 * shrinks toward fewer faults, earlier and shorter ones, and a smaller workload.
 *
 * Two schedules. `plain` (`--explorer plain`, the default before issue 12): faults drawn
 * independently from a swarm of kinds. `co-occurrence` (the default explorer's, worlds and swarm): the swarm of
 * ./swarm.ts (kinds alone or in pairs, each focused on the protocol's windows or not), the
 * target's boundary workloads (capacities next to message sizes), and in a third of the runs one
 * fault moved so that it starts or ends where another starts or ends (give or take a few ms): a
 * subscriber that comes just after a cut's refusal is over, a stall that ends as a lag begins.
 * With `worlds` (`--explorer worlds`, the default), a third of its runs are in a drawn world (./worldSwarm.ts:
 * latencies, mtimes, PID space), kept in the scenario's `world` so a found scenario replays exactly.
 */
import fc from 'fast-check';
import type { Fault } from '../faults/fault.ts';
import { validateFaults } from '../faults/validate.ts';
import type { AnyTarget } from '../registry.ts';
import { faultSpecsOf } from '../scenario/load.ts';
import type { Mode, Scenario } from '../target.ts';
import { coOccurrenceSwarmArbitrary, swarmArbitrary } from './swarm.ts';
import { endOf, setTime, timeFields } from './timeFields.ts';
import { worldOfSeed } from './worldSwarm.ts';

export type Schedule = 'co-occurrence' | 'plain';

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
  /** Default plain. */
  schedule?: Schedule;
  /** Co-occurrence only: a third of the runs in a drawn world (./worldSwarm.ts). */
  worlds?: boolean;
}

/** How far from the other fault's start or end an aligned one lands. */
const ALIGN_OFFSETS_MS = [-100, -10, -1, 0, 1, 10, 100, 1_000];

interface Alignment {
  /** The fault moved and the one it is moved to, as fractions of the schedule (so shrinking keeps them in range). */
  moved: number;
  to: number;
  /** Which of the moved fault's times, and the other's start (false) or end (true). */
  field: number;
  toEnd: boolean;
  offsetMs: number;
}

const alignment: fc.Arbitrary<Alignment | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.record({
      moved: fc.nat({ max: 1_000 }),
      to: fc.nat({ max: 1_000 }),
      field: fc.nat({ max: 1_000 }),
      toEnd: fc.boolean(),
      offsetMs: fc.constantFrom(...ALIGN_OFFSETS_MS),
    }),
  },
);

/** The schedule with one fault aligned to another, or as it was if the move is not possible or not valid. */
function aligned(target: AnyTarget, faults: Fault[], a: Alignment | undefined): Fault[] {
  if (!a || faults.length < 2) return faults;
  const pick = (n: number, len: number) => Math.min(len - 1, Math.floor((n / 1_001) * len));
  const moved = pick(a.moved, faults.length);
  const others = faults.filter((_, i) => i !== moved);
  const to = others[pick(a.to, others.length)] as Fault;
  const f = { ...(faults[moved] as Fault) };
  const fields = timeFields(target, f);
  if (fields.length === 0) return faults;
  setTime(f, fields[pick(a.field, fields.length)] as string, (a.toEnd ? endOf(target, to) : to.at) + a.offsetMs);
  const out = faults.map((g, i) => (i === moved ? f : g));
  return validateFaults(out, faultSpecsOf(target)).length === 0 ? out : faults;
}

export function scenarioArbitrary(space: ScenarioSpace): fc.Arbitrary<Scenario> {
  const { target, variant, mode, kinds, maxFaults } = space;
  const coOccurrence = space.schedule === 'co-occurrence';
  const workloads = (
    coOccurrence ? (target.workload.boundaryArbitrary ?? target.workload.arbitrary) : target.workload.arbitrary
  ) as fc.Arbitrary<unknown>;
  return fc
    .record({
      seed: fc.noShrink(fc.integer()),
      workload: workloads,
      swarm: coOccurrence ? coOccurrenceSwarmArbitrary(kinds, maxFaults) : swarmArbitrary(kinds),
    })
    .chain(({ seed, workload, swarm }) => {
      const { focus } = swarm;
      const ofKind = (kind: string) =>
        (focus ? target.faults.arbitrary(kind, workload, { focus }) : target.faults.arbitrary(kind, workload)) as fc.Arbitrary<Fault>;
      const one =
        swarm.kinds.length === 0
          ? fc.constant(undefined)
          : fc.oneof(...swarm.kinds.map(({ kind, weight }) => ({ arbitrary: ofKind(kind), weight })));
      // together: one of each enabled kind, then more of any
      const schedule =
        swarm.kinds.length === 0
          ? fc.constant([] as Fault[])
          : swarm.together
            ? fc
                .tuple(
                  fc.tuple(...swarm.kinds.map(({ kind }) => ofKind(kind))),
                  fc.array(one as fc.Arbitrary<Fault>, { maxLength: maxFaults - swarm.kinds.length }),
                )
                .map(([each, more]) => [...each, ...more])
            : fc.array(one as fc.Arbitrary<Fault>, { maxLength: maxFaults });
      const heal = mode === 'liveness' ? fc.integer({ min: 0, max: space.healSlackMsMax }) : fc.constant(undefined);
      const align = coOccurrence ? alignment : fc.constant(undefined);
      return fc.tuple(schedule, heal, align).map(([drawn, slack, a]): Scenario => {
        const faults = aligned(target, drawn, a);
        const sorted = [...faults].sort((x, y) => x.at - y.at);
        const s: Scenario = { format: 1, target: target.name, variant, seed, mode, workload, faults: sorted, expect: 'pass' };
        if (slack !== undefined) s.healAtMs = (sorted.at(-1)?.at ?? 0) + slack;
        const world = coOccurrence && space.worlds ? worldOfSeed(seed) : undefined;
        if (world) s.world = world;
        return s;
      });
    });
}
