/**
 * Summaries of per-pair ratios for the throughput section (issue 17): the median of the ratios
 * of paired blocks, and intervals around it. Pure functions; the bootstrap draws from a seeded
 * generator, so one list of ratios always gives one interval.
 */

/** The p-quantile (0..1) of xs, linear between order statistics; NaN for an empty list. */
export function quantile(xs: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be within 0..1, got ${p}`);
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * p;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (i - lo);
}

/** A small seeded generator (mulberry32), uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RatioSummary {
  /** Median of the per-pair ratios: the headline. */
  median: number;
  /** Interquartile range of the per-pair ratios: how much one pair varies. */
  q1: number;
  q3: number;
  /** 95% percentile-bootstrap interval of the median: how well the headline is known. */
  lo: number;
  hi: number;
  pairs: number;
}

/**
 * Median of `ratios` with its interquartile range and a 95% bootstrap interval of the median
 * (`resamples` resamples drawn with `seed`). Throws on an empty list or a ratio that is not a
 * finite number, so a broken measurement cannot print as a figure.
 */
export function summarizeRatios(ratios: readonly number[], resamples = 1000, seed = 17): RatioSummary {
  if (ratios.length === 0) throw new RangeError('summarizeRatios: no ratios');
  const bad = ratios.findIndex((r) => !Number.isFinite(r));
  if (bad >= 0) throw new RangeError(`summarizeRatios: ratio ${bad} is ${ratios[bad]}, expected a finite number`);
  const rnd = seeded(seed);
  const n = ratios.length;
  const medians: number[] = [];
  const draw = new Array<number>(n);
  for (let k = 0; k < resamples; k++) {
    for (let i = 0; i < n; i++) draw[i] = ratios[Math.floor(rnd() * n)] as number;
    medians.push(quantile(draw, 0.5));
  }
  return {
    median: quantile(ratios, 0.5),
    q1: quantile(ratios, 0.25),
    q3: quantile(ratios, 0.75),
    lo: quantile(medians, 0.025),
    hi: quantile(medians, 0.975),
    pairs: n,
  };
}
