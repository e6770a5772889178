/**
 * Validation against a declared schema, with Ajv (compiled once per schema), and Ajv's errors
 * turned into `path: expected ..., got ...` lines: the JSON path of the value (`faults[0].durationMs`,
 * `workload.chunks[2].bytes`), what the schema wants in words, and what was there. Every problem
 * is listed at once; a field the schema does not declare is named with the fields it does.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { show } from '../faults/check.ts';
import { HORIZON_TEXT } from '../horizon.ts';
import { expectedPhrase, isHorizonBound, limitOf, unitOf } from './fields.ts';

const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorOf(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** `/faults/0/at` under `prefix` -> `prefix.faults[0].at`; the top level is `(top level)`. */
export function jsonPath(instancePath: string, prefix = ''): string {
  const p = instancePath
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), prefix);
  return p === '' ? '(top level)' : p;
}

function child(path: string, name: string): string {
  return path === '(top level)' ? name : `${path}.${name}`;
}

type Json = Record<string, unknown>;

/** What a schema wants, in words: "an integer from 0 to 255", "{atMs, code}", "a list of ...". */
export function expected(schema: Json): string {
  const phrase = expectedPhrase(schema);
  if (phrase) return phrase;
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(expected).join(' or ');
  switch (schema.type) {
    case 'integer': {
      const min = schema.minimum as number | undefined;
      const max = schema.maximum as number | undefined;
      if (min !== undefined && max !== undefined) return `an integer from ${min} to ${max}`;
      return min !== undefined ? `an integer >= ${min}` : 'an integer';
    }
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'string':
      return (schema.minLength as number | undefined) ? 'a non-empty string' : 'a string';
    case 'array':
      return schema.items ? `a list of ${expected(schema.items as Json)}` : 'a list';
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Json>;
      const required = new Set((schema.required ?? []) as string[]);
      const keys = Object.keys(props).map((k) => (required.has(k) ? k : `${k}?`));
      return keys.length > 0 ? `{${keys.join(', ')}}` : 'an object';
    }
    default:
      return 'a valid value';
  }
}

function line(e: ErrorObject, prefix: string): string | undefined {
  const at = jsonPath(e.instancePath, prefix);
  const parent = (e.parentSchema ?? {}) as Json;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${child(at, String(e.params.additionalProperty))}: unknown field (expected one of ${Object.keys((parent.properties ?? {}) as object).join(', ')})`;
    case 'required': {
      const name = String(e.params.missingProperty);
      const field = ((parent.properties ?? {}) as Record<string, Json>)[name];
      return `${child(at, name)}: expected ${field ? expected(field) : 'a value'}, got nothing`;
    }
    case 'maximum': {
      if (isHorizonBound(parent))
        return `${at}: ${show(e.data)} is past the world's horizon of ${HORIZON_TEXT}: expected ${expected(parent)}`;
      const whose = limitOf(parent);
      const unit = unitOf(parent);
      if (whose) return `${at}: ${show(e.data)} is over ${whose} limit of ${String(e.params.limit)}${unit ? ` ${unit}` : ''}`;
      return `${at}: expected ${expected(parent)}, got ${show(e.data)}`;
    }
    case 'maxItems':
    case 'maxLength': {
      const whose = limitOf(parent);
      const n = e.keyword === 'maxItems' ? (e.data as unknown[]).length : String(e.data).length;
      const what = e.keyword === 'maxItems' ? 'items' : 'characters';
      if (whose) return `${at}: ${n} ${what}, over ${whose} limit of ${String(e.params.limit)} ${what}`;
      return `${at}: ${n} ${what}, expected at most ${String(e.params.limit)}`;
    }
    case 'if':
    case 'anyOf':
    case 'oneOf':
      return undefined;
    default:
      return `${at}: expected ${expected(parent)}, got ${show(e.data)}`;
  }
}

/**
 * Of a union's branches, the errors of the one the value was meant for: branches whose very type
 * the value lacks are dropped, then the one with the fewest errors wins (the first on a tie). If
 * the value has none of the branches' types, one line names them all.
 */
function narrowUnions(errors: ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf');
  let out = errors;
  for (const u of unions) {
    const base = `${u.schemaPath}/`;
    const branches = new Map<number, ErrorObject[]>();
    for (const e of out) {
      if (!e.schemaPath.startsWith(base)) continue;
      const i = Number(e.schemaPath.slice(base.length).split('/')[0]);
      branches.set(i, [...(branches.get(i) ?? []), e]);
    }
    const wrongType = (es: ErrorObject[]) => es.some((e) => e.keyword === 'type' && e.instancePath === u.instancePath);
    const candidates = [...branches.entries()].filter(([, es]) => !wrongType(es));
    let keep: ErrorObject[] =
      candidates.length === 0 ? [{ ...u, keyword: 'type' }] : candidates.reduce((best, c) => (c[1].length < best[1].length ? c : best))[1];
    // A union with its own phrase speaks for itself when the value is wrong as a whole.
    if (expectedPhrase(u.parentSchema as object) && keep.every((e) => e.instancePath === u.instancePath))
      keep = [{ ...u, keyword: 'type' }];
    out = out.filter((e) => !e.schemaPath.startsWith(base) && e !== u).concat(keep);
  }
  return out;
}

/** Every problem of `value` against `schema`, each line starting with its JSON path under `prefix`. */
export function schemaProblems(schema: object, value: unknown, prefix = ''): string[] {
  const validate = validatorOf(schema);
  if (validate(value)) return [];
  const lines = narrowUnions([...(validate.errors ?? [])])
    .map((e) => line(e, prefix))
    .filter((l): l is string => l !== undefined);
  return [...new Set(lines)];
}

/**
 * Json problems plus those of the rules across fields that sit next to a schema. A rule that
 * speaks about a field supersedes the schema's "unknown field" for it (a hint beats a refusal).
 */
export function withRules(schemaLines: readonly string[], ruleLines: readonly string[]): string[] {
  const hinted = new Set(ruleLines.map((l) => l.slice(0, l.indexOf(': '))));
  const kept = schemaLines.filter((l) => !(l.includes(': unknown field') && hinted.has(l.slice(0, l.indexOf(': ')))));
  return [...kept, ...ruleLines];
}

/** A value's fields for a rule across fields, which must not trust the value's shape. */
export function fieldsOf(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
