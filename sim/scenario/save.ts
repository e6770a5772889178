/**
 * Scenario files are written for people as much as for machines: fields in a fixed order, flat
 * lists (the fault schedule, chunk lists) one item a line, short values inline, and a
 * `$schema` link so editors validate them.
 */
import type { Scenario } from '../target.ts';

const ORDER = [
  '$schema',
  'format',
  'title',
  'source',
  'target',
  'variant',
  'seed',
  'mode',
  'healAtMs',
  'expect',
  'world',
  'workload',
  'faults',
  'provenance',
];

export interface SavedScenario extends Scenario {
  $schema?: string;
  provenance?: Record<string, unknown>;
}

const isFlat = (v: unknown): boolean =>
  v === null ||
  typeof v !== 'object' ||
  (!Array.isArray(v) && Object.values(v as object).every((x) => x === null || typeof x !== 'object'));

/** Pretty JSON that keeps flat values on one line. */
export function formatJson(value: unknown, indent = ''): string {
  const inline = JSON.stringify(value);
  if (value === null || typeof value !== 'object' || inline.length <= 60) return inline;
  const next = indent + '  ';
  if (Array.isArray(value)) {
    if (value.every(isFlat)) return `[\n${value.map((v) => next + JSON.stringify(v)).join(',\n')}\n${indent}]`;
    return `[\n${value.map((v) => next + formatJson(v, next)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{\n${entries.map(([k, v]) => `${next}${JSON.stringify(k)}: ${formatJson(v, next)}`).join(',\n')}\n${indent}}`;
}

export function scenarioToJson(s: SavedScenario): string {
  const obj = s as unknown as Record<string, unknown>;
  const keys = [
    ...ORDER.filter((k) => obj[k] !== undefined),
    ...Object.keys(obj).filter((k) => !ORDER.includes(k) && obj[k] !== undefined),
  ];
  const ordered: Record<string, unknown> = {};
  for (const k of keys) ordered[k] = obj[k];
  return formatJson(ordered) + '\n';
}
