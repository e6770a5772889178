/**
 * Field builders for the schemas of workloads, fault parameters and scenario files. Each field is
 * declared once, as a plain JSON Schema object that carries its TypeScript type (`Static`): its
 * validation (Ajv), its part of scenarios/scenario.schema.json and its `execsim list` line all
 * come from it. Every field takes a description; every number a unit too, which the description
 * carries (JSON Schema has no unit keyword, and a plain Ajv refuses unknown keywords), so an
 * editor's hover shows it.
 *
 * Markers live under symbols, which Ajv and JSON.stringify ignore: the phrase error messages use
 * for "expected ..." (`withExpected`), the unit, and whether an object field is optional.
 */

import { HORIZON_MS } from '../horizon.ts';

declare const STATIC: unique symbol;
export const EXPECTED = Symbol('execsim.expected');
export const UNIT = Symbol('execsim.unit');
export const OPTIONAL = Symbol('execsim.optional');
/** On a time field whose maximum is the world's horizon (not a bound of its own). */
export const HORIZON = Symbol('execsim.horizon');

/** On a field whose maximum is a limit of its target's (limits are data: sim/limits.ts): whose. */
export const LIMIT = Symbol('execsim.limit');

/** Units of times and durations in virtual ms: an integer field in one is bounded by the world's horizon. */
export const TIME_UNITS: readonly string[] = ['ms', 'virtual ms'];

/** A JSON Schema whose values have type `T` (a type-only mark: nothing at run time). */
export interface Schema<T = unknown> {
  readonly [STATIC]: T;
  [EXPECTED]?: string;
  [UNIT]?: string;
  [HORIZON]?: true;
  [LIMIT]?: string;
  [keyword: string]: unknown;
}

export type Optional<T> = Schema<T> & { readonly [OPTIONAL]: true };

/** The type of the values a schema accepts. */
export type Static<S> = S extends Schema<infer T> ? T : never;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Props = Record<string, Schema<any>>;

type OptionalKeys<P> = { [K in keyof P]: P[K] extends { readonly [OPTIONAL]: true } ? K : never }[keyof P];
type Flat<T> = { [K in keyof T]: T[K] };
export type ObjectOf<P extends Props> = Flat<
  { [K in Exclude<keyof P, OptionalKeys<P>>]: Static<P[K]> } & { [K in OptionalKeys<P>]?: Static<P[K]> }
>;

/** An object schema, its fields at hand. */
export type ObjectSchema<P extends Props = Props> = Schema<ObjectOf<P>> & { properties: P };

const make = <T>(s: Record<string, unknown>): Schema<T> => s as Schema<T>;

/** The phrase after "expected" in a message about this schema. */
export function withExpected<S extends Schema<unknown>>(schema: S, phrase: string): S {
  schema[EXPECTED] = phrase;
  return schema;
}

export function expectedPhrase(schema: object): string | undefined {
  return (schema as Schema)[EXPECTED];
}

export function unitOf(schema: object): string | undefined {
  return (schema as Schema)[UNIT];
}

function described(description: string, unit?: string): { description: string } {
  return { description: unit ? `${description} (${unit})` : description };
}

function withUnit<S extends Schema<unknown>>(schema: S, unit: string): S {
  schema[UNIT] = unit;
  return schema;
}

/**
 * An integer with its unit; `min` defaults to 0. A time or duration in virtual ms (`TIME_UNITS`)
 * with no `max` of its own is at most the world's horizon, so no scenario names a time the world
 * cannot reach exactly.
 */
export function int(description: string, unit: string, range: { min?: number; max?: number } = {}): Schema<number> {
  const min = range.min ?? 0;
  const horizon = range.max === undefined && TIME_UNITS.includes(unit);
  const maxValue = range.max ?? (horizon ? HORIZON_MS : undefined);
  const max = maxValue !== undefined ? { maximum: maxValue } : {};
  const s = withUnit(make<number>({ type: 'integer', minimum: min, ...max, ...described(description, unit) }), unit);
  if (horizon) s[HORIZON] = true;
  return s;
}

/**
 * Marks a field's maximum (or a list's `maxItems`, a string's `maxLength`) as a limit of its
 * target's, so a value over it reads "over attach-pump's limit of ...": `whose` is "attach-pump's".
 */
export function withLimit<S extends Schema<unknown>>(schema: S, whose: string): S {
  schema[LIMIT] = whose;
  return schema;
}

export function limitOf(schema: object): string | undefined {
  return (schema as Schema)[LIMIT];
}

/** Whether a schema's maximum is the world's horizon. */
export function isHorizonBound(schema: object): boolean {
  return (schema as Schema)[HORIZON] === true;
}

/** Any finite number with its unit (negative too: an offset). */
export function num(description: string, unit: string, range: { min?: number; max?: number } = {}): Schema<number> {
  const bounds = { ...(range.min !== undefined ? { minimum: range.min } : {}), ...(range.max !== undefined ? { maximum: range.max } : {}) };
  return withUnit(make<number>({ type: 'number', ...bounds, ...described(description, unit) }), unit);
}

export function bool(description: string): Schema<boolean> {
  return make<boolean>({ type: 'boolean', ...described(description) });
}

export function str(
  description: string,
  o: { pattern?: string; minLength?: number; maxLength?: number; expected?: string } = {},
): Schema<string> {
  const s = make<string>({
    type: 'string',
    ...(o.pattern !== undefined ? { pattern: o.pattern } : {}),
    ...(o.minLength !== undefined ? { minLength: o.minLength } : {}),
    ...(o.maxLength !== undefined ? { maxLength: o.maxLength } : {}),
    ...described(description),
  });
  return o.expected ? withExpected(s, o.expected) : s;
}

/** Exactly this value. */
export function literal<const V extends string | number>(value: V, description: string): Schema<V> {
  return make<V>({ type: typeof value === 'number' ? 'number' : 'string', const: value, ...described(description) });
}

/** One of a few strings; the TypeScript type is their union. */
export function oneOf<const V extends readonly string[]>(values: V, description: string): Schema<V[number]> {
  return make<V[number]>({ type: 'string', enum: [...values], ...described(description) });
}

/**
 * An object whose every field is declared: any other field is an error (a typo must not pass),
 * unless `open` (the envelope's view of a fault, whose kind brings the rest).
 */
export function obj<P extends Props>(properties: P, description: string, o: { expected?: string; open?: boolean } = {}): ObjectSchema<P> {
  const required = Object.keys(properties).filter((k) => !(properties[k] as Partial<Optional<unknown>>)[OPTIONAL]);
  const s = make<ObjectOf<P>>({
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    ...(o.open ? {} : { additionalProperties: false }),
    ...described(description),
  }) as ObjectSchema<P>;
  return o.expected ? withExpected(s, o.expected) : s;
}

/** Any object: its fields are someone else's to check. */
export function anyObject(description: string, expected?: string): Schema<Record<string, unknown>> {
  const s = make<Record<string, unknown>>({ type: 'object', ...described(description) });
  return expected ? withExpected(s, expected) : s;
}

export function list<S extends Schema<unknown>>(
  items: S,
  description: string,
  o: { minItems?: number; maxItems?: number; uniqueItems?: boolean; expected?: string } = {},
): Schema<Static<S>[]> {
  const a = make<Static<S>[]>({
    type: 'array',
    items,
    ...(o.minItems !== undefined ? { minItems: o.minItems } : {}),
    ...(o.maxItems !== undefined ? { maxItems: o.maxItems } : {}),
    ...(o.uniqueItems ? { uniqueItems: true } : {}),
    ...described(description),
  });
  return o.expected ? withExpected(a, o.expected) : a;
}

/** An object field that may be left out (a copy: the same field may be required elsewhere). */
export function optional<T>(schema: Schema<T>): Optional<T> {
  return { ...schema, [OPTIONAL]: true } as Optional<T>;
}

/** `null` or a value; the description is the field's. */
export function nullable<T>(schema: Schema<T>, description: string): Schema<T | null> {
  return make<T | null>({ anyOf: [{ type: 'null' }, schema], ...described(description, unitOf(schema)) });
}

/** One of several shapes (objects told apart by their fields). */
export function either<S extends Schema<unknown>[]>(schemas: [...S], description: string, expected?: string): Schema<Static<S[number]>> {
  const u = make<Static<S[number]>>({ anyOf: schemas, ...described(description) });
  return expected ? withExpected(u, expected) : u;
}
