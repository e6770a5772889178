/**
 * The scenario file's JSON Schema (scenarios/scenario.schema.json, which editors use too),
 * compiled once with Ajv. Ajv's errors are turned into `path: message` lines in the same style
 * as every other validation message.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { show } from '../faults/check.ts';
import schema from '../../scenarios/scenario.schema.json' with { type: 'json' };

const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
const validate = ajv.compile(schema);

export const SCENARIO_SCHEMA = schema;

/** `/faults/0/at` -> `faults[0].at`. */
export function jsonPath(instancePath: string): string {
  if (instancePath === '') return '(top level)';
  return instancePath
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function message(e: ErrorObject): string {
  const at = jsonPath(e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties':
      return `${at === '(top level)' ? '' : at + '.'}${String(e.params.additionalProperty)}: unknown field`;
    case 'required':
      return `${at === '(top level)' ? '' : at + '.'}${String(e.params.missingProperty)}: required field is missing`;
    case 'enum':
      return `${at}: expected one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${show(e.data)}`;
    case 'const':
      return `${at}: expected ${JSON.stringify(e.params.allowedValue)}, got ${show(e.data)}`;
    default:
      return `${at}: ${(e.message ?? 'invalid').replace(/^must/, 'expected to')}, got ${show(e.data)}`;
  }
}

/** Every schema problem, one line each; `oneOf` noise is reduced to the branch that matters. */
export function schemaProblems(value: unknown): string[] {
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf');
  // For `expect`, ajv reports both branches; keep one clear line instead.
  const expectErrors = errors.filter((e) => e.instancePath.startsWith('/expect'));
  const rest = errors.filter((e) => !e.instancePath.startsWith('/expect'));
  const lines = rest.map(message);
  if (expectErrors.length > 0) lines.push('expect: expected "pass" or {"violates": ["property-name", ...]}');
  return [...new Set(lines)];
}
