import { CosearchError, Registry, type Candidate, type RegistryEntry } from '@cosearch/core';
import type { ExperimentConfig } from './config';
import type { EvalOutput, Problem, ProblemContext } from './problem';

/** A candidate whose evaluation failed with a user-level error (it gets `errorReward`). */
export class CandidateFailure extends CosearchError {}

/**
 * Evaluates candidates on N worker threads (or in the main thread for N = 0). Which worker
 * evaluates what depends on timing, but results do not: evaluators are deterministic per
 * candidate and the runner tells the policy in ask order.
 */
export interface EvalPool {
  readonly size: number;
  evaluate(candidate: Candidate): Promise<EvalOutput>;
  close(): Promise<void>;
}

/**
 * Executors: where evaluations run, chosen by the config's `executor` (default `local`, the
 * worker threads above). Another package plugs in a backend by registering here (e.g.
 * @cosearch/queue registers `queue`, evaluation on other machines through Redis), so the runner
 * does not depend on it. An executor owns top-level config sections (`keys`, e.g. `redis`),
 * validated by `validate` with the rest of the config and passed on in `config.sections`.
 */
export interface ExecutorInput {
  config: ExperimentConfig;
  /** The raw JSON config (what worker threads or remote workers rebuild the problem from). */
  raw: unknown;
  problem: Problem;
  ctx: ProblemContext;
  workers: number;
}

export interface ExecutorEntry extends RegistryEntry<Promise<EvalPool>, ExecutorInput> {
  readonly keys: readonly string[];
  validate?(config: ExperimentConfig): void;
}

export const executorRegistry = new Registry<Promise<EvalPool>, ExecutorInput>('executor');

export function registerExecutor(entry: ExecutorEntry): void {
  executorRegistry.register(entry);
}

export function executorEntry(name: string): ExecutorEntry {
  return executorRegistry.get(name) as ExecutorEntry;
}

