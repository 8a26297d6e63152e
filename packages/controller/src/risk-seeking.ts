/**
 * Risk-seeking policy gradient (Petersen et al., "Deep symbolic regression: recovering
 * mathematical expressions from data via risk-seeking policy gradients", ICLR 2021, eq. 3 and
 * Algorithm 1): a search for the single best candidate should maximise the expected reward of
 * the best samples, not of the average one. Per batch of N rewards, R_ε is the (1 − ε)-quantile
 * (numpy `interpolation="higher"`, as in the authors' code), only the samples with R ≥ R_ε are
 * kept, and each kept sample's advantage is R − R_ε (the quantile is the baseline):
 *   ∇J_risk(θ; ε) ≈ 1/(εN) Σ_{i: R_i ≥ R_ε} (R_i − R_ε) ∇log π(τ_i).
 * Samples below the quantile give no gradient (and no entropy term), so the policy is never
 * pushed away from mediocre candidates — only towards the best of each batch.
 */
export interface RiskSeekingSelection {
  /** R_ε, the (1 − ε)-quantile of the batch's rewards (the baseline). */
  threshold: number;
  /** Indices (into the batch) of the kept samples, R ≥ R_ε, in batch order. */
  kept: number[];
}

/** The (1 − ε)-quantile with "higher" interpolation: the sorted value at index ⌈(1 − ε)(N − 1)⌉. */
export function upperQuantile(values: readonly number[], epsilon: number): number {
  if (values.length === 0) throw new RangeError('upperQuantile of an empty batch');
  const sorted = [...values].sort((a, b) => a - b);
  // Round away float noise before ceil (e.g. 0.8·10 − ε must still give 8).
  const pos = Math.ceil(Math.round((1 - epsilon) * (sorted.length - 1) * 1e9) / 1e9);
  return sorted[Math.min(sorted.length - 1, Math.max(0, pos))];
}

/** Which samples of a batch the risk-seeking gradient uses, and their shared baseline R_ε. */
export function riskSeekingSelect(rewards: readonly number[], epsilon: number): RiskSeekingSelection {
  const threshold = upperQuantile(rewards, epsilon);
  const kept: number[] = [];
  rewards.forEach((r, i) => {
    if (r >= threshold) kept.push(i);
  });
  return { threshold, kept };
}
