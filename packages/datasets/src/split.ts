import type { Rng } from '@cosearch/core';

/**
 * Largest-remainder (Hamilton) apportionment: integer parts of `total` proportional to
 * `weights`, summing to exactly `total`, each within one of its exact quota. Optional `caps`
 * bound each part (a class cannot give more samples than it has left); then the surplus goes to
 * the next-largest remainders. Ties go to the lower index, so the result is deterministic.
 */
export function apportion(total: number, weights: readonly number[], caps?: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const cap = (i: number) => (caps ? caps[i] : Infinity);
  const quotas = weights.map((w) => (total * w) / sum);
  const out = quotas.map((q, i) => Math.min(Math.floor(q), cap(i)));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  while (left > 0) {
    let gave = false;
    for (const { i } of order) {
      if (left === 0) break;
      if (out[i] < cap(i)) {
        out[i]++;
        left--;
        gave = true;
      }
    }
    if (!gave) throw new RangeError(`apportion: ${total} exceeds the caps (${caps?.join(', ')})`);
  }
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
  // Parts 1.. get exact totals apportioned over classes (capped by what each class has left);
  // part 0 keeps the rest of each class.
  const remaining = [...sizes];
  const perPart = fractions.map((f, p) => {
    if (p === 0) return null;
    const alloc = apportion(Math.round(n * f), sizes, remaining);
    alloc.forEach((a, c) => (remaining[c] -= a));
    return alloc;
  });
  const parts: number[][] = fractions.map(() => []);
  groups.forEach((g, c) => {
    const shuffled = rng.shuffle([...g]);
    let at = 0;
    for (let p = 1; p < fractions.length; p++) {
      const k = perPart[p]![c];
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
