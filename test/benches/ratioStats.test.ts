import { describe, expect, it } from 'vitest';
import { quantile, seeded, summarizeRatios } from '../../benches/ratioStats.ts';

describe('quantile', () => {
  it('interpolates between order statistics of an unsorted list', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([5, 1, 3], 0.5)).toBe(3);
    expect(quantile([10, 0], 0.25)).toBe(2.5);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([4, 1, 9], 0)).toBe(1);
    expect(quantile([4, 1, 9], 1)).toBe(9);
  });
  it('leaves its input unsorted, gives NaN for no values and refuses a p outside 0..1', () => {
    const xs = [3, 1, 2];
    quantile(xs, 0.5);
    expect(xs).toEqual([3, 1, 2]);
    expect(quantile([], 0.5)).toBeNaN();
    expect(() => quantile([1], 1.5)).toThrow(/within 0\.\.1/);
    expect(() => quantile([1], Number.NaN)).toThrow(/within 0\.\.1/);
  });
});

describe('seeded', () => {
  it('repeats its sequence for a seed, differs across seeds, stays in [0, 1)', () => {
    const a = seeded(1);
    const b = seeded(1);
    const c = seeded(2);
    const xs = Array.from({ length: 200 }, () => a());
    expect(Array.from({ length: 200 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 200 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('summarizeRatios', () => {
  const ratios = [0.2, 0.22, 0.25, 0.21, 0.9, 0.23, 0.05, 0.24, 0.26, 0.2, 0.22];
  it('takes the median and quartiles of the pairs, not their mean', () => {
    const s = summarizeRatios(ratios);
    expect(s.median).toBe(0.22);
    expect(s.q1).toBe(quantile(ratios, 0.25));
    expect(s.q3).toBe(quantile(ratios, 0.75));
    expect(s.pairs).toBe(ratios.length);
    // one outlying pair (a collection of the other kind's garbage) moves the mean, not the median
    expect(ratios.reduce((a, b) => a + b) / ratios.length).toBeGreaterThan(0.25);
  });
  it('brackets the median with a bootstrap interval inside the range, the same for the same seed', () => {
    const s = summarizeRatios(ratios);
    expect(s.lo).toBeLessThanOrEqual(s.median);
    expect(s.hi).toBeGreaterThanOrEqual(s.median);
    expect(s.lo).toBeGreaterThanOrEqual(Math.min(...ratios));
    expect(s.hi).toBeLessThanOrEqual(Math.max(...ratios));
    expect(summarizeRatios(ratios)).toEqual(s);
    expect(summarizeRatios([0.3, 0.3, 0.3])).toMatchObject({ median: 0.3, lo: 0.3, hi: 0.3 });
  });
  it('narrows its interval as pairs agree', () => {
    const wide = summarizeRatios([0.1, 0.4, 0.2, 0.35, 0.15, 0.3, 0.25, 0.12, 0.38]);
    const narrow = summarizeRatios([0.24, 0.26, 0.25, 0.25, 0.24, 0.26, 0.25, 0.24, 0.26]);
    expect(narrow.hi - narrow.lo).toBeLessThan(wide.hi - wide.lo);
  });
  it('refuses no ratios and a ratio that is not a finite number', () => {
    expect(() => summarizeRatios([])).toThrow(/no ratios/);
    expect(() => summarizeRatios([0.2, Number.POSITIVE_INFINITY])).toThrow(/ratio 1 is Infinity/);
    expect(() => summarizeRatios([Number.NaN])).toThrow(/ratio 0 is NaN/);
  });
});
