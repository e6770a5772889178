/**
 * Swarm testing (TigerBeetle's `random_enum_weights`): each run enables a random subset of the
 * fault kinds, with very different weights, instead of a little of everything every time. Some
 * bugs hide behind one fault kind only when the others stay quiet.
 */
import fc from 'fast-check';

export interface Swarm {
  /** Enabled kinds, each with its weight (1-10). */
  kinds: Array<{ kind: string; weight: number }>;
}

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
