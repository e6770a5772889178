/**
 * Runs one scenario on its target: builds the world from the scenario's seed, heals it at the
 * end of the fault window in liveness mode, lets the target run, and checks the outcome.
 */
import { compose, type Composed } from './check/result.ts';
import { ExecsimError } from './errors.ts';
import type { AnyTarget } from './registry.ts';
import type { RunOutcome, Scenario } from './target.ts';
import { createWorld, type World } from './world.ts';

export interface ScenarioRun {
  world: World;
  outcome: RunOutcome;
  checks: Composed;
  /** Property names whose verdict is false. */
  violated: string[];
  /** sha256 of the canonical trace (computed on first read). */
  readonly traceHash: string;
}

export async function runScenario(target: AnyTarget, scenario: Scenario): Promise<ScenarioRun> {
  if (!(scenario.variant in target.variants)) {
    throw new ExecsimError(
      'EXECSIM_TARGET_UNKNOWN',
      `target ${target.name} has no variant "${scenario.variant}" (variants: ${Object.keys(target.variants).join(', ')})`,
    );
  }
  const world = createWorld({ ...target.worldOptions?.(scenario), seed: scenario.seed });
  if (scenario.mode === 'liveness' && scenario.healAtMs !== undefined) world.healAt(scenario.healAtMs);
  const outcome = await target.run(world, scenario);
  const checks = compose(target.checkers as Record<string, (i: unknown) => ReturnType<(typeof target.checkers)[string]>>, {
    ...outcome,
    scenario,
  });
  const violated = Object.entries(checks.results)
    .filter(([, r]) => r.valid === false)
    .map(([name]) => name);
  // The hash is a tenth of a run's cost and exploration never reads it for passing runs.
  let hash: string | undefined;
  return {
    world,
    outcome,
    checks,
    violated,
    get traceHash(): string {
      return (hash ??= world.traceHash());
    },
  };
}

/** Whether a run met its scenario's `expect`, and if not, why (one line). */
export function meetsExpectation(scenario: Scenario, run: Pick<ScenarioRun, 'violated' | 'checks'>): { ok: boolean; why: string } {
  if (scenario.expect === 'pass') {
    if (run.violated.length === 0) return { ok: true, why: 'every property held' };
    return { ok: false, why: `expected a pass, but violated: ${run.violated.join(', ')}` };
  }
  const missing = scenario.expect.violates.filter((p) => !run.violated.includes(p));
  if (missing.length === 0) return { ok: true, why: `violated as expected: ${scenario.expect.violates.join(', ')}` };
  return { ok: false, why: `expected ${missing.join(', ')} to be violated, but ${missing.length === 1 ? 'it' : 'they'} held` };
}
