/**
 * Swarm testing (TigerBeetle's `random_enum_weights`): each run enables a random subset of the
 * fault kinds, with very different weights, instead of a little of everything every time. Some
 * bugs hide behind one fault kind only when the others stay quiet.
 *
 * The co-occurrence schedule (the default explorer's, issue 12) swarms over more than the kinds.
 * Half its runs are plain swarm runs; in the other half two to six kinds are enabled and each of
 * them occurs at least once, so a pair of kinds is in the same run one time in five or so rather
 * than one in twenty-five. Independently, half the runs are focused: every fault's durations stay
 * next to the protocol's windows (Target.faults.arbitrary). A bug that needs two faults each at
 * a window (a late subscriber and a cut past the recovery window) then meets runs where both are,
 * not one run in the product of four rare draws.
 */
import fc from 'fast-check';

export interface SwarmKind {
  kind: string;
  /** 1-10. */
  weight: number;
}

export interface Swarm {
  /** Enabled kinds, each with its weight. */
  kinds: SwarmKind[];
  /** Each enabled kind occurs at least once (co-occurrence schedule only). */
  together?: boolean;
  /** Every fault is drawn with `focus` (co-occurrence schedule only). */
  focus?: boolean;
}

const weighted = (enabled: readonly string[]): fc.Arbitrary<SwarmKind[]> =>
  fc.tuple(...enabled.map(() => fc.integer({ min: 1, max: 10 }))).map((w) => enabled.map((kind, i) => ({ kind, weight: w[i] as number })));

/** The plain swarm (`--explorer plain`, and the guided explorer's fresh runs). */
export function swarmArbitrary(kinds: readonly string[]): fc.Arbitrary<Swarm> {
  if (kinds.length === 0) return fc.constant({ kinds: [] });
  return fc
    .subarray([...kinds], { minLength: 1 })
    .chain((enabled) =>
      fc
        .tuple(...enabled.map(() => fc.integer({ min: 1, max: 10 })))
        .map((w) => ({ kinds: enabled.map((kind, i) => ({ kind, weight: w[i] as number })) })),
    );
}

/** The co-occurrence swarm: a plain swarm, or two to `maxTogether` kinds that all occur; focused or not. */
export function coOccurrenceSwarmArbitrary(kinds: readonly string[], maxTogether: number): fc.Arbitrary<Swarm> {
  if (kinds.length === 0) return fc.constant({ kinds: [] });
  const most = Math.min(kinds.length, maxTogether);
  const together =
    most < 2
      ? swarmArbitrary(kinds)
      : fc
          .subarray([...kinds], { minLength: 2, maxLength: most })
          .chain((enabled) => weighted(enabled))
          .map((k): Swarm => ({ kinds: k, together: true }));
  return fc.tuple(fc.oneof(swarmArbitrary(kinds), together), fc.boolean()).map(([swarm, focus]) => (focus ? { ...swarm, focus } : swarm));
}
