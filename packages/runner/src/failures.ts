import { CosearchError } from '@cosearch/core';
import type { EvalRecord } from './journal';

/**
 * Failed evaluations (a `CandidateFailure`: the candidate does not map, a V/f point is
 * infeasible, ...). A run in which every one of the first `ALL_FAILED_STOP` evaluations failed
 * stops (the config makes every design fail: more evaluations would only repeat the error); a
 * run in which more than half failed is flagged on the terminal and in the report.
 */
export const ALL_FAILED_STOP = 32;

/** Every evaluation so far failed: the run stops with the first error (exit status 1). */
export class AllEvaluationsFailed extends CosearchError {}

export interface FailureSummary {
  evaluations: number;
  failed: number;
  /** The lowest-index failure's message. */
  first: string | null;
  /** The most frequent error message and its count. */
  common: { error: string; count: number } | null;
}

export function failureSummary(records: readonly EvalRecord[]): FailureSummary {
  const failed = records.filter((r) => r.error !== undefined).sort((a, b) => a.index - b.index);
  const counts = new Map<string, number>();
  for (const r of failed) counts.set(r.error!, (counts.get(r.error!) ?? 0) + 1);
  let common: FailureSummary['common'] = null;
  for (const [error, count] of counts) if (!common || count > common.count) common = { error, count };
  return { evaluations: records.length, failed: failed.length, first: failed[0]?.error ?? null, common };
}

/** The warning line for a run in which more than half of the evaluations failed, else null. */
export function failureWarning(records: readonly EvalRecord[]): string | null {
  const s = failureSummary(records);
  if (s.evaluations === 0 || s.failed * 2 <= s.evaluations) return null;
  const pct = ((100 * s.failed) / s.evaluations).toFixed(0);
  return `warning: ${s.failed} of ${s.evaluations} evaluations (${pct} %) failed and got search.errorReward; most frequent error (${s.common!.count}×): ${s.common!.error}`;
}

/** Throws `AllEvaluationsFailed` when at least `min(ALL_FAILED_STOP, budget)` evaluations were told and every one failed. */
export function checkAllFailed(records: readonly EvalRecord[], budget: number): void {
  const s = failureSummary(records);
  if (s.evaluations >= Math.min(ALL_FAILED_STOP, budget) && s.evaluations > 0 && s.failed === s.evaluations) {
    throw new AllEvaluationsFailed(`every one of the ${s.evaluations} evaluations so far failed, so the run stopped; the first error: ${s.first}`);
  }
}
