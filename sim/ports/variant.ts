/**
 * The one variant mechanism every protocol uses. A target declares its policy slots: a small
 * typed interface whose members are exactly the behaviours that differ between its variants.
 * The base fills every slot with upstream as it is (the upstream repository's code at the
 * modelled commit); each variant, in its own file, overrides only the slots its upstream change
 * (or our candidate fix) touched. So a diff of two variant files reads like the upstream PR.
 */

/** What a variant models and what exploration should find (shown by `execsim list`). */
export interface VariantInfo {
  summary: string;
  /** The upstream state it models (PR, commit, issue). */
  source: string;
  /**
   * What exploration should find: `pass` for a faithful fix or a candidate fix, or the
   * properties a field-bug variant violates.
   */
  expected: 'pass' | string[];
}

export interface Variant<S extends object> {
  readonly name: string;
  readonly info: VariantInfo;
  /** Every slot: the override where there is one, else the base's. */
  readonly slots: Readonly<S>;
  /** The base this variant overrides; undefined for the base itself. */
  readonly base: Variant<S> | undefined;
  /** Only the slots this variant replaces (empty for the base). */
  readonly overrides: Readonly<Partial<S>>;
}

/** The base: upstream as it is, every slot filled. */
export function defineBase<S extends object>(name: string, slots: S, info: VariantInfo): Variant<S> {
  return Object.freeze({ name, info, slots: Object.freeze({ ...slots }), base: undefined, overrides: Object.freeze({}) });
}

/**
 * A variant: the base with `overrides` in place of its slots. Overrides apply to the base only,
 * never to another variant, so every variant is one diff against one state. An undeclared slot,
 * no override at all, or an override that is the base's own value is a defect, thrown at load.
 */
export function defineVariant<S extends object>(name: string, base: Variant<S>, overrides: Partial<S>, info: VariantInfo): Variant<S> {
  if (base.base !== undefined) throw new Error(`variant ${name}: builds on ${base.name}, which is not a base`);
  const keys = Object.keys(overrides) as (keyof S & string)[];
  if (keys.length === 0) throw new Error(`variant ${name}: overrides no slot of ${base.name}, so it is ${base.name}`);
  for (const k of keys) {
    if (!Object.hasOwn(base.slots, k)) throw new Error(`variant ${name}: "${k}" is not a slot of ${base.name}`);
    if (overrides[k] === undefined || overrides[k] === base.slots[k]) {
      throw new Error(`variant ${name}: slot "${k}" is the same as in ${base.name}`);
    }
  }
  return Object.freeze({
    name,
    info,
    slots: Object.freeze({ ...base.slots, ...overrides }),
    base,
    overrides: Object.freeze({ ...overrides }),
  });
}

/** A target's variants by name: one base, every other variant built on it. */
export function variantTable<S extends object>(variants: readonly Variant<S>[]): Readonly<Record<string, Variant<S>>> {
  const bases = variants.filter((v) => v.base === undefined);
  if (bases.length !== 1) throw new Error(`a variant table needs exactly one base, got ${bases.length}`);
  const table: Record<string, Variant<S>> = {};
  for (const v of variants) {
    if (table[v.name]) throw new Error(`variant ${v.name} defined twice`);
    if (v.base !== undefined && v.base !== bases[0]) throw new Error(`variant ${v.name}: built on ${v.base.name}, not on the table's base`);
    table[v.name] = v;
  }
  return Object.freeze(table);
}

/** `Target.variants`: each variant's info by name. */
export function variantInfos<S extends object>(table: Readonly<Record<string, Variant<S>>>): Readonly<Record<string, VariantInfo>> {
  return Object.fromEntries(Object.entries(table).map(([name, v]) => [name, v.info]));
}
