/**
 * A swarm of worlds (TigerBeetle's vopr draws its cluster options per seed): each guided run,
 * and a third of the default explorer's (`worldOfSeed`), draws its network latencies, the file system's mtime granularity and skew, and the PID space,
 * instead of always running in the target's one world. The drawn options go into the scenario
 * (`world`) and, resolved, into its trace at t=0 (sim/runner.ts), so a saved run replays exactly.
 * Ranges stay inside what the real systems see: loopback to a slow LAN, mtimes as ext4, FAT and
 * 1 s file systems keep them, PID spaces from a container's few dozen to Linux's 32,768.
 */
import fc from 'fast-check';
import type { WorldKnobs } from '../options.ts';
import { Rng, streamSeed } from '../rng.ts';

const latency = fc
  .record({
    // never 0: a target starts its server and client at the same instant, and a connect that
    // arrives in that instant, before the listen, is the harness's race, not the protocol's
    latencyMsMin: fc.oneof({ weight: 2, arbitrary: fc.constant(1) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 5 }) }),
    spread: fc.oneof(
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 20 }) },
      { weight: 1, arbitrary: fc.integer({ min: 20, max: 200 }) },
    ),
  })
  .map(({ latencyMsMin, spread }) => ({ latencyMsMin, latencyMsMax: latencyMsMin + spread }));

const files = fc.record({
  mtimeGranularity: fc.constantFrom<'ns' | '1s' | '2s'>('ns', 'ns', '1s', '2s'),
  mtimeSkewMs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -2_000, max: 2_000 }) }),
});

const pids = fc
  .oneof(
    { weight: 1, arbitrary: fc.integer({ min: 8, max: 64 }) },
    { weight: 1, arbitrary: fc.integer({ min: 64, max: 4_096 }) },
    { weight: 1, arbitrary: fc.constant(32_467) },
  )
  .map((size) => ({ pidMin: 300, pidMax: 300 + size }));

export const worldKnobsArbitrary: fc.Arbitrary<WorldKnobs> = fc.record({ net: latency, fs: files, proc: pids });

/**
 * Share of the default explorer's runs in a drawn world. The others keep the target's world, so
 * a bug that needs its default timings is still met about as soon as before.
 */
export const DRAWN_WORLD_SHARE = 1 / 3;

/**
 * The default explorer's world for a scenario seed: drawn options one time in three, else none
 * (the target's world). It is a function of the seed, which fast-check never shrinks, so the
 * other draws of the run stay as they were and a shrunk scenario keeps its world.
 */
export function worldOfSeed(seed: number, share = DRAWN_WORLD_SHARE): WorldKnobs | undefined {
  const rng = new Rng(streamSeed(seed, 'explore:world'));
  if (!rng.bool(share)) return undefined;
  return fc.sample(worldKnobsArbitrary, { seed: rng.int(-0x80000000, 0x7fffffff), numRuns: 1 })[0];
}
