/**
 * What both explorers do with a failing run: keep only the faults that took effect, drop the
 * ones the violation does not need (and a drawn world it does not need), and describe the result (sim/explore/explore.ts).
 */
import type { AnyTarget } from '../registry.ts';
import { runScenario, type ScenarioRun } from '../runner.ts';
import type { Scenario } from '../target.ts';

/**
 * A violating run whose every fault took effect: the run itself, or the same scenario without
 * the faults that hit nothing if it still violates; undefined when it passes (or passes once
 * they are gone). Exploration never saves a fault that took no effect.
 */
export async function effectiveFailure(
  target: AnyTarget,
  scenario: Scenario,
  run: ScenarioRun,
): Promise<{ scenario: Scenario; run: ScenarioRun } | undefined> {
  if (run.violated.length === 0) return undefined;
  if (run.noEffect.length === 0) return { scenario, run };
  const kept: Scenario = { ...scenario, faults: scenario.faults.filter((_, i) => run.fates[i]?.effect) };
  const again = await runScenario(target, kept);
  return again.violated.length > 0 && again.noEffect.length === 0 ? { scenario: kept, run: again } : undefined;
}

/** Removes, one at a time, every fault the (first) violated property survives without. */
export async function dropUnneededFaults(
  target: AnyTarget,
  scenario: Scenario,
  property: string,
  onFailure?: (scenario: Scenario, violated: string[]) => void,
): Promise<Scenario> {
  let current = scenario;
  for (let i = current.faults.length - 1; i >= 0; i--) {
    const candidate: Scenario = { ...current, faults: current.faults.filter((_, j) => j !== i) };
    const run = await runScenario(target, candidate);
    const violated = run.violated;
    if (violated.includes(property) && run.noEffect.length === 0) {
      current = candidate;
      onFailure?.(candidate, violated);
    }
  }
  return current;
}

/** The scenario in the target's own world, if the violated property survives it (a drawn world the bug does not need). */
export async function dropUnneededWorld(
  target: AnyTarget,
  scenario: Scenario,
  property: string,
  onFailure?: (scenario: Scenario, violated: string[]) => void,
): Promise<Scenario> {
  if (!scenario.world) return scenario;
  const { world: _drawn, ...candidate } = scenario;
  const run = await runScenario(target, candidate);
  if (!run.violated.includes(property) || run.noEffect.length > 0) return scenario;
  onFailure?.(candidate, run.violated);
  return candidate;
}

/** The final run of a shrunk scenario: its violated properties, their summaries and trace hash. */
export async function finalRun(
  target: AnyTarget,
  shrunk: Scenario,
): Promise<{ scenario: Scenario; violated: string[]; summaries: Record<string, string>; traceHash: string }> {
  let scenario = shrunk;
  let final = await runScenario(target, scenario);
  const effective = await effectiveFailure(target, scenario, final);
  if (effective) ({ scenario, run: final } = effective);
  const summaries: Record<string, string> = {};
  for (const p of final.violated) summaries[p] = final.checks.results[p]?.summary ?? '';
  return { scenario, violated: final.violated, summaries, traceHash: final.traceHash };
}
