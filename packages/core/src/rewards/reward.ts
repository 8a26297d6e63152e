import type { Metrics } from '../metrics';

/** A reward's value with the reasons behind it, for logs and reports. */
export interface RewardBreakdown {
  reward: number;
  /** Named contributions (e.g. `latencyS factor`), for reports. */
  terms: Record<string, number>;
  /** Violated hard limits, each naming the metric, its value and the limit. Empty when feasible. */
  violations: string[];
}

/**
 * The shared reward interface: folds metrics into one number that policies maximise.
 * `score` throws a `MetricError` on NaN/infinite metrics instead of returning a silent NaN.
 */
export interface Reward {
  readonly name: string;
  score(metrics: Metrics): number;
  explain(metrics: Metrics): RewardBreakdown;
  describe(): string;
}
