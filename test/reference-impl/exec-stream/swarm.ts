/**
 * Swarm exploration for exec-stream with plain fast-check: each run draws a workload, a random
 * subset of the target's fault kinds (some runs have none, most have a few), one to three faults
 * of the chosen kinds aimed at the workload, a mode and a seed. What the lead's explorer does in
 * general, kept small here so the target's own tests can explore blind.
 */
import fc from 'fast-check';
import type { Fault } from '../../../sim/index.ts';
import { runScenario, type ScenarioRun } from '../../../sim/runner.ts';
import type { Scenario } from '../../../sim/target.ts';
import { target } from '../../../reference-impl/exec-stream/target.ts';
import type { ExecWorkload } from '../../../reference-impl/exec-stream/target/workload.ts';

export const ALL_KINDS: string[] = [...target.faults.kernelKinds, ...target.faults.specs.map((s) => s.kind)];

export function scenarioArbitrary(variant: string, kinds: readonly string[] = ALL_KINDS): fc.Arbitrary<Scenario<ExecWorkload>> {
  return fc
    .record({
      workload: target.workload.arbitrary,
      kinds: fc.subarray([...kinds], { minLength: 0, maxLength: 3 }),
      seed: fc.integer({ min: 1, max: 2_000_000_000 }),
      liveness: fc.boolean(),
      healAtMs: fc.integer({ min: 0, max: 60_000 }),
    })
    .chain(({ workload, kinds: chosen, seed, liveness, healAtMs }) => {
      const faults: fc.Arbitrary<Fault[]> =
        chosen.length === 0
          ? fc.constant([])
          : fc.array(
              fc.constantFrom(...chosen).chain((k) => target.faults.arbitrary(k, workload)),
              { minLength: 1, maxLength: 3 },
            );
      return faults.map((fs): Scenario<ExecWorkload> => ({
        format: 1,
        target: 'exec-stream',
        variant,
        seed,
        mode: liveness ? 'liveness' : 'safety',
        ...(liveness ? { healAtMs } : {}),
        workload,
        faults: [...fs].sort((a, b) => a.at - b.at),
        expect: 'pass',
      }));
    });
}

export interface Found {
  run: number;
  seed: number;
  violated: string[];
  scenario: Scenario<ExecWorkload>;
}

/** Runs `runs` blind scenarios; records the first violation by property and the count of violating runs. */
export async function explore(variant: string, runs: number, seed: number, kinds: readonly string[] = ALL_KINDS) {
  const samples = fc.sample(scenarioArbitrary(variant, kinds), { seed, numRuns: runs });
  const firstBy: Record<string, Found> = {};
  let violating = 0;
  let errors = 0;
  let unrecoverable = 0;
  let first: Found | undefined;
  for (let i = 0; i < samples.length; i++) {
    const scenario = samples[i] as Scenario<ExecWorkload>;
    const run: ScenarioRun = await runScenario(target, scenario);
    errors += run.world.errors.length;
    if (!run.outcome.truth.recoverable) unrecoverable++;
    if (run.violated.length > 0) {
      violating++;
      const f = { run: i + 1, seed: scenario.seed, violated: run.violated, scenario };
      first ??= f;
      for (const p of run.violated) firstBy[p] ??= f;
    }
  }
  return { runs: samples.length, violating, errors, unrecoverable, first, firstBy };
}
