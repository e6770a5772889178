/**
 * A fault's times, read from its kind's schema (fields whose unit is ms), for the explorers that
 * move faults in time without knowing the protocol: the guided explorer's mutants and the
 * co-occurrence schedule's alignment (./scenarioArbitrary.ts).
 */
import type { Fault } from '../faults/fault.ts';
import type { AnyTarget } from '../registry.ts';
import { faultSpecsOf } from '../scenario/load.ts';
import { unitOf } from '../schema/fields.ts';

/** The numeric fields of a fault that are times (their unit is ms): `at` too, unless the kind always fires at 0. */
export function timeFields(target: AnyTarget, f: Fault): string[] {
  const spec = faultSpecsOf(target).find((s) => s.kind === f.kind);
  const props = (spec?.schema as { properties?: Record<string, object> } | undefined)?.properties ?? {};
  const out = Object.keys(props).filter((k) => k !== 'at' && typeof f[k] === 'number' && /ms/.test(unitOf(props[k] as object) ?? ''));
  // a kind aimed at 0 by its arbitrary (a setting, a delay from the start) stays there
  return f.at > 0 ? ['at', ...out] : out;
}

/** When a fault's effect ends, as far as its schema tells: its start plus its longest duration. */
export function endOf(target: AnyTarget, f: Fault): number {
  const durations = timeFields(target, f).filter((k) => k !== 'at');
  return f.at + Math.max(0, ...durations.map((k) => f[k] as number));
}

/** Sets a time field so that the event it times (the start for `at`, else the end) falls at `t`. */
export function setTime(f: Fault, key: string, t: number): void {
  f[key] = Math.max(key === 'at' ? 0 : 1, key === 'at' ? t : t - f.at);
}
