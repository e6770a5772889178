/**
 * Shrinking on the data, for scenarios that did not come out of one fast-check draw (the guided
 * explorer's mutants): greedy passes over the scenario as JSON, each trying a smaller candidate
 * and keeping it while the property is still violated, every fault still takes effect, and the
 * file is still valid (schema and rules of the target). Candidates, in order: the target's own
 * world instead of a drawn one, fewer faults, earlier and shorter faults, an earlier heal, then
 * a smaller workload (fewer list items, smaller numbers, false flags).
 */
import { validateFaults } from '../faults/validate.ts';
import type { AnyTarget } from '../registry.ts';
import { runScenario } from '../runner.ts';
import { faultSpecsOf, workloadProblems } from '../scenario/load.ts';
import type { Scenario } from '../target.ts';

/** Runs one shrink may spend. */
export const SHRINK_RUNS = 400;

/** Smaller values to try for a number, smallest first. */
function smaller(v: number, min: number): number[] {
  if (!Number.isInteger(v) || v <= min) return [];
  const out = [min, min + Math.floor((v - min) / 2), v - 1];
  return [...new Set(out)].filter((x) => x >= min && x < v);
}

type Json = unknown;

/** Every smaller version of a JSON value, one change each. */
function* smallerJson(v: Json): Generator<Json> {
  if (typeof v === 'number') for (const x of smaller(v, 0)) yield x;
  else if (v === true) yield false;
  else if (Array.isArray(v)) {
    for (let i = v.length - 1; i >= 0; i--) yield [...v.slice(0, i), ...v.slice(i + 1)];
    for (let i = 0; i < v.length; i++) for (const x of smallerJson(v[i])) yield v.map((y, j) => (j === i ? x : y));
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, Json>;
    for (const k of Object.keys(o)) for (const x of smallerJson(o[k])) yield { ...o, [k]: x };
  }
}

function* candidates(s: Scenario): Generator<Scenario> {
  if (s.world) {
    const { world: _drawn, ...rest } = s;
    yield rest as Scenario;
  }
  for (let i = s.faults.length - 1; i >= 0; i--) yield { ...s, faults: s.faults.filter((_, j) => j !== i) };
  for (let i = 0; i < s.faults.length; i++) {
    const f = s.faults[i] as Scenario['faults'][number];
    for (const [k, v] of Object.entries(f)) {
      if (typeof v !== 'number') continue;
      for (const x of smaller(v, k === 'at' ? 0 : 1)) {
        const faults = s.faults.map((g, j) => (j === i ? { ...g, [k]: x } : g)).sort((a, b) => a.at - b.at);
        yield { ...s, faults };
      }
    }
  }
  if (s.healAtMs !== undefined) for (const x of smaller(s.healAtMs, s.faults.at(-1)?.at ?? 0)) yield { ...s, healAtMs: x };
  for (const w of smallerJson(s.workload)) yield { ...s, workload: w };
}

/** The smallest scenario found that still violates `property`, and how many shrink steps it took. */
export async function shrinkScenario(
  target: AnyTarget,
  scenario: Scenario,
  property: string,
  onFailure?: (scenario: Scenario, violated: string[]) => void,
  budget = SHRINK_RUNS,
): Promise<{ scenario: Scenario; steps: number }> {
  const specs = faultSpecsOf(target);
  let current = scenario;
  let runs = 0;
  let steps = 0;
  for (let improved = true; improved && runs < budget;) {
    improved = false;
    for (const c of candidates(current)) {
      if (runs >= budget) break;
      if (workloadProblems(target, c.workload).length > 0 || validateFaults(c.faults, specs).length > 0) continue;
      runs++;
      const r = await runScenario(target, c);
      if (r.violated.includes(property) && r.noEffect.length === 0) {
        current = c;
        steps++;
        onFailure?.(c, r.violated);
        improved = true;
        break;
      }
    }
  }
  return { scenario: current, steps };
}
