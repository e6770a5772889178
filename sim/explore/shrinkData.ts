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
import type { FaultSpec } from '../faults/fault.ts';
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

/** The part of a field's JSON Schema the shrinker reads: its declared domain. */
interface Domain {
  minimum?: number;
  minItems?: number;
  items?: Domain;
  properties?: Record<string, Domain>;
  anyOf?: Domain[];
}

/** The branch of an `anyOf` that declares every key of `o` (undefined: no schema to follow). */
function branchOf(schema: Domain | undefined, o: Record<string, Json>): Domain | undefined {
  if (!schema?.anyOf) return schema;
  return schema.anyOf.find((b) => b.properties !== undefined && Object.keys(o).every((k) => k in (b.properties as object)));
}

/**
 * Every smaller version of a JSON value, one change each, inside the field's declared domain
 * (issue 12): a number goes no lower than its schema's minimum (0 without one), a list no
 * shorter than its minItems, so a shrunk scenario stays one the schema calls valid and the
 * shrinker still reaches a minimum of 0 or of 64 directly.
 */
function* smallerJson(v: Json, schema?: Domain): Generator<Json> {
  if (typeof v === 'number') for (const x of smaller(v, schema?.minimum ?? 0)) yield x;
  else if (v === true) yield false;
  else if (Array.isArray(v)) {
    if (v.length > (schema?.minItems ?? 0)) for (let i = v.length - 1; i >= 0; i--) yield [...v.slice(0, i), ...v.slice(i + 1)];
    for (let i = 0; i < v.length; i++) for (const x of smallerJson(v[i], schema?.items)) yield v.map((y, j) => (j === i ? x : y));
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, Json>;
    const props = branchOf(schema, o)?.properties;
    for (const k of Object.keys(o)) for (const x of smallerJson(o[k], props?.[k])) yield { ...o, [k]: x };
  }
}

function* candidates(s: Scenario, target: AnyTarget, specs: readonly FaultSpec[]): Generator<Scenario> {
  if (s.world) {
    const { world: _drawn, ...rest } = s;
    yield rest as Scenario;
  }
  for (let i = s.faults.length - 1; i >= 0; i--) yield { ...s, faults: s.faults.filter((_, j) => j !== i) };
  for (let i = 0; i < s.faults.length; i++) {
    const f = s.faults[i] as Scenario['faults'][number];
    const params = (specs.find((x) => x.kind === f.kind)?.schema as Domain | undefined)?.properties;
    for (const [k, v] of Object.entries(f)) {
      if (typeof v !== 'number') continue;
      for (const x of smaller(v, params?.[k]?.minimum ?? (k === 'at' ? 0 : 1))) {
        const faults = s.faults.map((g, j) => (j === i ? { ...g, [k]: x } : g)).sort((a, b) => a.at - b.at);
        yield { ...s, faults };
      }
    }
  }
  if (s.healAtMs !== undefined) for (const x of smaller(s.healAtMs, s.faults.at(-1)?.at ?? 0)) yield { ...s, healAtMs: x };
  for (const w of smallerJson(s.workload, target.workload.schema as Domain)) yield { ...s, workload: w };
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
    for (const c of candidates(current, target, specs)) {
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
