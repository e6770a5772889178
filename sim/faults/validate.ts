/**
 * Validates a fault schedule against a set of fault specs, without a world: used by the
 * injector and by the scenario loader. Every problem carries its JSON path.
 */
import { obj, str } from '../schema/fields.ts';
import { schemaProblems, withRules } from '../schema/problems.ts';
import { show } from './check.ts';
import { AT, type Fault, type FaultSpec } from './fault.ts';

/** What every fault has, whatever its kind. */
const ANY_FAULT = obj({ at: AT, kind: str('fault kind') }, 'any fault', { open: true });

const NO_PROBLEMS: readonly string[] = [];

/** Every problem of a schedule, each with its JSON path; `specs` as a list or by kind (a world's kinds). */
export function validateFaults(faults: unknown, specs: readonly FaultSpec[] | ReadonlyMap<string, FaultSpec>, path = 'faults'): string[] {
  if (!Array.isArray(faults)) return [`${path}: expected a list of faults, got ${show(faults)}`];
  const byKind: ReadonlyMap<string, FaultSpec> = Array.isArray(specs) ? new Map(specs.map((s) => [s.kind, s])) : (specs as ReadonlyMap<string, FaultSpec>);
  const problems: string[] = [];
  for (let i = 0; i < faults.length; i++) {
    if (!(i in faults)) continue; // a hole, as forEach skips it
    const f: unknown = faults[i];
    const p = `${path}[${i}]`;
    if (f === null || typeof f !== 'object' || Array.isArray(f)) {
      problems.push(`${p}: expected a fault object {at, kind, target, ...}, got ${show(f)}`);
      continue;
    }
    const fault = f as Fault;
    const spec = byKind.get(fault.kind);
    if (!spec) {
      problems.push(...schemaProblems(ANY_FAULT, { at: fault.at, kind: '' }, p));
      problems.push(`${p}.kind: unknown fault kind ${show(fault.kind)} (known: ${[...byKind.keys()].join(', ')})`);
      continue;
    }
    const lines = schemaProblems(spec.schema, fault, p);
    const rules = spec.rules?.(fault, p) ?? NO_PROBLEMS;
    if (lines.length > 0 || rules.length > 0) problems.push(...withRules(lines, rules));
  }
  return problems;
}
