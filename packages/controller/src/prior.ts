/**
 * A per-decision choice distribution (decision name → probability of each choice, in choice
 * order). The multi-phase controller passes what the per-phase policies learned to the joint
 * phase through it.
 */
export type DecisionPrior = Record<string, number[]>;

/** Optional capabilities of a policy used by the multi-phase controller. */
export interface PriorAware {
  exportPrior?(): DecisionPrior;
  importPrior?(prior: DecisionPrior): void;
}
