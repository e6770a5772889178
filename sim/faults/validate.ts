/**
 * Validates a fault schedule against a set of fault specs, without a world: used by the
 * injector and by the scenario loader. Every problem carries its JSON path.
 */
import { show } from './check.ts';
import type { Fault, FaultSpec } from './fault.ts';

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
    if (typeof fault.at !== 'number' || !Number.isInteger(fault.at) || fault.at < 0) {
      problems.push(`${p}.at: expected an integer >= 0 (virtual ms), got ${show(fault.at)}`);
    }
    const spec = byKind.get(fault.kind);
    if (!spec) {
      problems.push(`${p}.kind: unknown fault kind ${show(fault.kind)} (known: ${[...byKind.keys()].join(', ')})`);
      return;
    }
    problems.push(...spec.validate(fault, p));
  });
  return problems;
}
