/**
 * The variant mechanism refuses the defects it exists to prevent: a slot the target never
 * declared, a variant that overrides nothing or overrides a slot with the base's own value (so it
 * is its base), a variant built on another variant, and a table with no base or two.
 */
import { describe, expect, it } from 'vitest';
import { defineBase, defineVariant, variantInfos, variantTable } from '../../sim/ports/index.ts';

interface Slots {
  order: 'seq' | 'arrival';
  retry(n: number): boolean;
}
const info = (summary: string) => ({ summary, source: 'test', expected: 'pass' as const });
const upstreamRetry = (n: number) => n < 3;
const base = defineBase<Slots>('upstream', { order: 'seq', retry: upstreamRetry }, info('the base'));

describe('defineVariant', () => {
  it('puts the overrides over the base and records only them', () => {
    const v = defineVariant('arrival', base, { order: 'arrival' }, info('arrival order'));
    expect(v.slots).toEqual({ order: 'arrival', retry: upstreamRetry });
    expect(v.overrides).toEqual({ order: 'arrival' });
    expect(v.base).toBe(base);
    expect(base.overrides).toEqual({});
    expect(Object.isFrozen(v.slots)).toBe(true);
  });

  it('refuses a slot the target did not declare', () => {
    // @ts-expect-error: `ordering` is not a slot (the type says so before the run does)
    expect(() => defineVariant('typo', base, { ordering: 'arrival' }, info('typo'))).toThrow(/"ordering" is not a slot of upstream/);
  });

  it('refuses a variant identical to its base', () => {
    expect(() => defineVariant('same', base, {}, info('same'))).toThrow(/overrides no slot of upstream, so it is upstream/);
    expect(() => defineVariant('same', base, { order: 'seq' }, info('same'))).toThrow(/slot "order" is the same as in upstream/);
    expect(() => defineVariant('same', base, { retry: upstreamRetry }, info('same'))).toThrow(/slot "retry" is the same/);
    expect(() => defineVariant('same', base, { order: undefined }, info('same'))).toThrow(/slot "order" is the same/);
  });

  it('refuses a variant of a variant: every variant is one diff against the base', () => {
    const v = defineVariant('arrival', base, { order: 'arrival' }, info('arrival order'));
    expect(() => defineVariant('both', v, { retry: () => true }, info('both'))).toThrow(/builds on arrival, which is not a base/);
  });
});

describe('variantTable', () => {
  const v = defineVariant('arrival', base, { order: 'arrival' }, info('arrival order'));

  it('lists the variants by name, in order, and their infos for Target.variants', () => {
    const table = variantTable([base, v]);
    expect(Object.keys(table)).toEqual(['upstream', 'arrival']);
    expect(variantInfos(table)).toEqual({ upstream: info('the base'), arrival: info('arrival order') });
  });

  it('needs exactly one base, unique names, and every variant on that base', () => {
    expect(() => variantTable([v])).toThrow(/exactly one base, got 0/);
    const other = defineBase<Slots>('other', { order: 'arrival', retry: () => false }, info('other'));
    expect(() => variantTable([base, other])).toThrow(/exactly one base, got 2/);
    expect(() => variantTable([other, v])).toThrow(/arrival: built on upstream, not on the table's base/);
    expect(() => variantTable([base, v, v])).toThrow(/arrival defined twice/);
  });
});
