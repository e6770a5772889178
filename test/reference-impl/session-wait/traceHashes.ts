/**
 * Prints the trace hashes of sampled session-wait scenarios as JSON (run in a child process by
 * the determinism test): `tsx traceHashes.ts <seed> <count>`.
 */
import fc from 'fast-check';
import { scenarioArbitrary } from '../../../sim/explore/scenarioArbitrary.ts';
import { runScenario } from '../../../sim/runner.ts';
import { faultSpecsOf } from '../../../sim/scenario/load.ts';
import type { Scenario } from '../../../sim/target.ts';
import { target } from '../../../reference-impl/session-wait/target.ts';

export function sampleScenarios(seed: number, count: number): Scenario[] {
  const out: Scenario[] = [];
  const kinds = faultSpecsOf(target).map((s) => s.kind);
  const variants = Object.keys(target.variants);
  variants.forEach((variant, i) => {
    const arb = scenarioArbitrary({ target, variant, mode: i % 2 ? 'liveness' : 'safety', kinds, maxFaults: 6, healSlackMsMax: 30_000 });
    out.push(...fc.sample(arb, { seed: seed + i, numRuns: Math.ceil(count / variants.length) }));
  });
  return out.slice(0, count);
}

export async function hashes(seed: number, count: number): Promise<string[]> {
  const out: string[] = [];
  for (const s of sampleScenarios(seed, count)) out.push((await runScenario(target, s)).traceHash);
  return out;
}

if (process.argv[1]?.endsWith('traceHashes.ts')) {
  console.log(JSON.stringify(await hashes(Number(process.argv[2]), Number(process.argv[3]))));
}
