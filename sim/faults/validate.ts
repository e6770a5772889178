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

export function validateFaults(faults: unknown, specs: readonly FaultSpec[], path = 'faults'): string[] {
  if (!Array.isArray(faults)) return [`${path}: expected a list of faults, got ${show(faults)}`];
  const byKind = new Map(specs.map((s) => [s.kind, s]));
  const problems: string[] = [];
  faults.forEach((f: unknown, i) => {
    const p = `${path}[${i}]`;
    if (f === null || typeof f !== 'object' || Array.isArray(f)) {
      problems.push(`${p}: expected a fault object {at, kind, target, ...}, got ${show(f)}`);
      return;
    }
    const fault = f as Fault;
    const spec = byKind.get(fault.kind);
    if (!spec) {
      problems.push(...schemaProblems(ANY_FAULT, { at: fault.at, kind: '' }, p));
      problems.push(`${p}.kind: unknown fault kind ${show(fault.kind)} (known: ${[...byKind.keys()].join(', ')})`);
      return;
    }
    problems.push(...withRules(schemaProblems(spec.schema, fault, p), spec.rules?.(fault, p) ?? []));
  });
  return problems;
}
