import type { Rng } from '@cosearch/core';

/**
 * Largest-remainder (Hamilton) apportionment: integer parts of `total` proportional to
 * `weights`, summing to exactly `total`. Ties go to the lower index, so the result is
 * deterministic.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const quotas = weights.map((w) => (total * w) / sum);
  const out = quotas.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let j = 0; left > 0; j++, left--) out[order[j % order.length].i]++;
  return out;
}

/** Indices grouped by class, each group in ascending order. */
function byClass(labels: ArrayLike<number>, numClasses: number, among?: ArrayLike<number>): number[][] {
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  const n = among ? among.length : labels.length;
  for (let i = 0; i < n; i++) {
    const k = among ? among[i] : i;
    groups[labels[k]].push(k);
  }
  return groups;
}

/**
 * Seeded stratified split into parts of sizes round(n·fraction_p) (exact totals), the first part
 * taking the remainder. Within each class the indices are shuffled, then each part receives its
 * apportioned share of every class, so class proportions match the whole set to within one
 * sample per class. Each part is returned in a seeded random order (so `take` gives a mix).
 * `among` restricts the split to those indices of `labels`.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  numClasses: number,
  fractions: readonly number[],
  rng: Rng,
  among?: ArrayLike<number>,
): Int32Array[] {
  const groups = byClass(labels, numClasses, among);
  const n = groups.reduce((a, g) => a + g.length, 0);
  const sizes = groups.map((g) => g.length);
  // Parts 1.. get exact totals apportioned over classes; part 0 keeps the rest of each class.
  const perPart = fractions.map((f, p) => (p === 0 ? null : apportion(Math.round(n * f), sizes)));
  const parts: number[][] = fractions.map(() => []);
  groups.forEach((g, c) => {
    const shuffled = rng.shuffle([...g]);
    let at = 0;
    for (let p = 1; p < fractions.length; p++) {
      const k = Math.min(perPart[p]![c], shuffled.length - at);
      parts[p].push(...shuffled.slice(at, at + k));
      at += k;
    }
    parts[0].push(...shuffled.slice(at));
  });
  return parts.map((p) => Int32Array.from(rng.shuffle(p)));
}

/** A seeded stratified sample of `count` indices (all when count ≥ n), in ascending order. */
export function stratifiedSample(labels: ArrayLike<number>, numClasses: number, count: number, rng: Rng): Int32Array {
  if (count >= labels.length) return Int32Array.from({ length: labels.length }, (_, i) => i);
  const [, picked] = stratifiedSplit(labels, numClasses, [1 - count / labels.length, count / labels.length], rng);
  return picked.sort();
}
