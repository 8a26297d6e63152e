import type { Candidate, SearchSpace } from './space';
import type { Metrics } from './metrics';

/** One finished evaluation handed back to a policy. */
export interface EvalResult {
  candidate: Candidate;
  reward: number;
  metrics?: Metrics;
  /** Set when the evaluation failed or the candidate was infeasible (reward is then a penalty). */
  error?: string;
}

/** JSON-serialisable state of a policy. */
export type PolicyState = { kind: string; version: number; [key: string]: unknown };

/**
 * A search policy (controller), driven ask/tell so any policy runs under the same loop, in
 * parallel, and resumes from a checkpoint.
 *
 * Lifecycle and call order:
 * 1. construct with a space, a seed and its parameters (via the policy registry);
 * 2. repeat: `ask(n)` returns n candidates (valid for the space, feasible when the space has
 *    constraints); evaluate them in any order; `tell(results)` with any subset/batch, in any
 *    order — a policy must not assume results arrive in ask order or all at once;
 * 3. `save()` at any point between calls returns plain JSON; `load(state)` on a freshly
 *    constructed policy (same space, same parameters) restores it so that continuing gives
 *    exactly what continuing without the round-trip would have given.
 * Determinism: the same seed and the same sequence of tell() calls give the same proposals.
 */
export interface Policy {
  readonly name: string;
  ask(n: number): Candidate[];
  tell(results: readonly EvalResult[]): void;
  save(): PolicyState;
  load(state: PolicyState): void;
  /** Optional: which phase of a multi-phase schedule is active (for reports). */
  phase?(): string;
  /** Optional: release tensors or other resources. */
  dispose?(): void;
}

/** Everything a policy factory receives. */
export interface PolicyContext {
  space: SearchSpace;
  seed: number;
  params?: Record<string, unknown>;
}

/**
 * Turns a candidate into metrics. Implementations may be slow (supernet inference, CIM
 * Monte-Carlo) and are awaited; they must be deterministic for a given candidate.
 */
export interface Evaluator {
  evaluate(candidate: Candidate): Promise<Metrics>;
}
