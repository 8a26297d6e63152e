import { CosearchError } from '@cosearch/core';

/**
 * Descriptive statistics of one quantity over seeds: mean ± sample standard deviation and median
 * [q1, q3]. Quartiles interpolate linearly between order statistics (Hyndman & Fan type 7, the
 * default of NumPy's `percentile`, R's `quantile` and Excel's QUARTILE.INC), so the figures a
 * suite prints can be checked with any of them.
 */
export interface SummaryStats {
  /** Number of values (seeds) summarised. */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for a single value. */
  std: number;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

/** The p-quantile (0 ≤ p ≤ 1) of already sorted values, type 7: h = (n − 1)p, interpolated. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new CosearchError('quantile of an empty list');
  if (!(p >= 0 && p <= 1)) throw new CosearchError(`quantile p must be in [0, 1], got ${p}`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Summary of finite values; NaN entries (e.g. a seed that never reached matched accuracy) are left out. Null when none remain. */
export function summaryStats(values: readonly number[]): SummaryStats | null {
  const xs = values.filter((v) => !Number.isNaN(v));
  if (xs.some((v) => !Number.isFinite(v))) throw new CosearchError(`statistics need finite values, got ${xs.find((v) => !Number.isFinite(v))}`);
  if (xs.length === 0) return null;
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  const s = [...xs].sort((a, b) => a - b);
  return { n, mean, std, median: quantileSorted(s, 0.5), q1: quantileSorted(s, 0.25), q3: quantileSorted(s, 0.75), min: s[0], max: s[n - 1] };
}
