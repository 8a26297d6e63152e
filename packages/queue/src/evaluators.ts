import { CosearchError } from '@cosearch/core';
import { buildExperiment, createPool, type EvalPool, type Problem, type ProblemContext } from '@cosearch/runner';
import { configHash } from './payload';

/**
 * A worker's evaluators, one per experiment config (by hash), built on first use and kept for
 * the following jobs of that experiment (building may load a supernet checkpoint). Holds at
 * most `max` idle ones; the least recently used idle one is closed first.
 */
export interface EvaluatorEntry {
  hash: string;
  problem: Problem;
  pool: EvalPool;
}

/** The evaluator could not be built on this worker (missing checkpoint, ...): retried, maybe elsewhere. */
export class SetupError extends Error {}

export interface EvaluatorCacheOptions {
  /** Evaluation threads per evaluator (0 = in the worker's main thread). */
  threads: number;
  ctx: ProblemContext;
  /** Run the problem's `prepare()` first (e.g. train a missing supernet checkpoint). */
  prepare: boolean;
  max?: number;
}

interface Slot {
  entry: Promise<EvaluatorEntry>;
  users: number;
}

export class EvaluatorCache {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly opts: EvaluatorCacheOptions) {}

  get size(): number {
    return this.slots.size;
  }

  /**
   * The evaluator of a config; `release` must be called when done with it. A config the runner
   * rejects throws its `CosearchError` (the job is malformed); a failure to build throws `SetupError`.
   */
  async acquire(config: Record<string, unknown>): Promise<{ entry: EvaluatorEntry; release: (broken?: boolean) => void }> {
    const hash = configHash(config);
    let slot = this.slots.get(hash);
    if (slot) {
      this.slots.delete(hash); // re-insert: most recently used last
      this.slots.set(hash, slot);
    } else {
      // validation is synchronous: a bad config throws here, before a slot exists; whatever
      // it throws (even a bug tripped by a hostile config) makes the job malformed, not retried
      let problem: Problem;
      try {
        problem = buildExperiment(config, this.opts.ctx).problem;
      } catch (err) {
        throw err instanceof CosearchError ? err : new CosearchError(`config: ${(err as Error).message}`);
      }
      slot = { entry: this.build(hash, config, problem), users: 0 };
      this.slots.set(hash, slot);
      this.trim();
    }
    const s = slot;
    s.users += 1;
    let entry: EvaluatorEntry;
    try {
      entry = await s.entry;
    } catch (err) {
      s.users -= 1;
      if (this.slots.get(hash) === s) this.slots.delete(hash);
      throw err;
    }
    let released = false;
    return {
      entry,
      release: (broken = false) => {
        if (released) return;
        released = true;
        s.users -= 1;
        // a broken evaluator (a crashed thread) is rebuilt for the next job
        if (broken && this.slots.get(hash) === s) {
          this.slots.delete(hash);
          void entry.pool.close().catch(() => undefined);
        }
        this.trim();
      },
    };
  }

  private async build(hash: string, config: Record<string, unknown>, problem: Problem): Promise<EvaluatorEntry> {
    try {
      if (this.opts.prepare) await problem.prepare?.();
      const pool = await createPool({ workers: this.opts.threads, config, problem, ctx: this.opts.ctx });
      return { hash, problem, pool };
    } catch (err) {
      throw new SetupError(`cannot set up the evaluator on this worker: ${(err as Error).message}`);
    }
  }

  private trim(): void {
    const max = this.opts.max ?? 2;
    for (const [hash, slot] of this.slots) {
      if (this.slots.size <= max) break;
      if (slot.users > 0) continue;
      this.slots.delete(hash);
      void slot.entry.then((e) => e.pool.close()).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const slots = [...this.slots.values()];
    this.slots.clear();
    await Promise.allSettled(slots.map((s) => s.entry.then((e) => e.pool.close())));
  }
}
