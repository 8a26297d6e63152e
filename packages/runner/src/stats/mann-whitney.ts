import { CosearchError } from '@cosearch/core';
import { normalSf } from './normal';

/**
 * Two-sided Mann-Whitney U test (Wilcoxon rank-sum) between two independent samples, e.g. the
 * best rewards of two variants over their seeds, and Cliff's δ as the effect size.
 *
 * U = #{(x, y): x > y} + ½ #{(x, y): x = y} over all pairs (the statistic of the first sample).
 * p-value, following SciPy's `mannwhitneyu` conventions so its figures can be checked there:
 * - exact: with no ties and n₁·n₂ ≤ 2500, from the exact null distribution of U (every
 *   assignment of ranks equally likely), p = 2 · P(U' ≥ max(U, n₁n₂ − U)), capped at 1;
 * - otherwise the normal approximation with tie correction and continuity correction:
 *   σ² = n₁n₂/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1))) over groups of t tied values,
 *   z = (max(U, n₁n₂ − U) − n₁n₂/2 − ½)/σ, p = 2 · P(Z ≥ z), capped at 1 (p = 1 when every value ties).
 * Cliff's δ = (#{x > y} − #{x < y})/(n₁n₂) = 2U/(n₁n₂) − 1 ∈ [−1, 1]: the probability that a
 * value of the first sample beats one of the second minus the reverse (it equals the rank-biserial
 * correlation); |δ| < 0.147 negligible, < 0.33 small, < 0.474 medium, else large (Romano et al. 2006).
 */
export interface MannWhitney {
  u: number;
  p: number;
  method: 'exact' | 'normal';
  cliffsDelta: number;
  n1: number;
  n2: number;
}

/** Largest n₁·n₂ for which the exact distribution is used (50 seeds per side). */
export const EXACT_MAX_PAIRS = 2500;

export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitney {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new CosearchError(`Mann-Whitney U needs two non-empty samples, got sizes ${n1} and ${n2}`);
  if ([...x, ...y].some((v) => !Number.isFinite(v))) throw new CosearchError('Mann-Whitney U needs finite values');
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  const pairs = n1 * n2;
  const cliffsDelta = (2 * u) / pairs - 1;
  const ties = tieGroups([...x, ...y]);
  const big = Math.max(u, pairs - u);
  if (ties.length === 0 && pairs <= EXACT_MAX_PAIRS) {
    return { u, p: Math.min(1, 2 * exactUpperTail(n1, n2, big)), method: 'exact', cliffsDelta, n1, n2 };
  }
  const n = n1 + n2;
  const tieTerm = ties.reduce((s, t) => s + t ** 3 - t, 0);
  const variance = (pairs / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const p = variance <= 0 ? 1 : Math.min(1, 2 * normalSf((big - pairs / 2 - 0.5) / Math.sqrt(variance)));
  return { u, p, method: 'normal', cliffsDelta, n1, n2 };
}

/** Sizes (≥ 2) of the groups of equal values. */
function tieGroups(values: number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].filter((c) => c > 1);
}

/**
 * P(U ≥ u) under H₀ without ties. The null distribution by the recurrence on the largest value
 * (Mann & Whitney 1947): it belongs to the first sample (then it beats all n₂ of the second) with
 * probability n₁/(n₁+n₂), so p(n₁, n₂; k) = n₁/(n₁+n₂) p(n₁−1, n₂; k − n₂) + n₂/(n₁+n₂) p(n₁, n₂−1; k).
 */
export function exactUpperTail(n1: number, n2: number, u: number): number {
  const pmf = exactPmf(n1, n2);
  let tail = 0;
  for (let k = Math.max(0, Math.ceil(u - 1e-9)); k < pmf.length; k++) tail += pmf[k];
  return tail;
}

/** Probability of U = 0 … n₁n₂ under H₀ (no ties). */
export function exactPmf(n1: number, n2: number): Float64Array {
  // prev[j] = distribution for (i − 1, j); cur[j] for (i, j); row i = 0 is a point mass at 0.
  let prev: Float64Array[] = [];
  for (let j = 0; j <= n2; j++) prev.push(Float64Array.of(1));
  for (let i = 1; i <= n1; i++) {
    const cur: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n2; j++) {
      const out = new Float64Array(i * j + 1);
      const a = prev[j]; // largest value in the first sample: adds j to U
      const b = cur[j - 1]; // largest value in the second sample: adds nothing
      const wa = i / (i + j);
      for (let k = 0; k < a.length; k++) out[k + j] += wa * a[k];
      for (let k = 0; k < b.length; k++) out[k] += (1 - wa) * b[k];
      cur.push(out);
    }
    prev = cur;
  }
  return prev[n2];
}
