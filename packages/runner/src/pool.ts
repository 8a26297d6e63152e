import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CosearchError, Registry, type Candidate, type RegistryEntry } from '@cosearch/core';
import type { ExperimentConfig } from './config';
import type { CandidateEvaluator, EvalOutput, Problem, ProblemContext } from './problem';

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

export async function createPool(opts: { workers: number; config: unknown; problem: Problem; ctx: ProblemContext }): Promise<EvalPool> {
  if (opts.workers === 0) return inProcessPool(await opts.problem.createEvaluator());
  const workers = await Promise.all(Array.from({ length: opts.workers }, () => startWorker(opts.config, opts.ctx)));
  return new WorkerPool(workers);
}

function inProcessPool(evaluator: CandidateEvaluator): EvalPool {
  return {
    size: 0,
    evaluate: async (c) => {
      try {
        return await evaluator.evaluate(c);
      } catch (err) {
        if (err instanceof CosearchError) throw new CandidateFailure(err.message);
        throw err;
      }
    },
    close: async () => evaluator.dispose?.(),
  };
}

/**
 * Starts one worker. From TypeScript sources (no build), the worker is a tiny CommonJS
 * bootstrap that registers tsx and loads worker.ts under the `@cosearch/source` condition
 * (a `.ts` worker entry cannot be loaded by `--import tsx` inside worker threads).
 */
function startWorker(config: unknown, ctx: ProblemContext): Promise<Worker> {
  const { log, ...plainCtx } = ctx;
  const workerData = { config, ctx: plainCtx };
  const fromSource = __filename.endsWith('.ts');
  const entry = path.join(__dirname, fromSource ? 'worker.ts' : 'worker.js');
  const worker = fromSource
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, {
        eval: true,
        workerData,
        execArgv: ['--conditions=@cosearch/source'],
      })
    : new Worker(entry, { workerData });
  return new Promise((resolve, reject) => {
    const onMessage = (m: { ready?: boolean; error?: string; user?: boolean; stack?: string; log?: string }) => {
      if (m.log !== undefined) return log(m.log);
      worker.off('message', onMessage);
      worker.off('error', reject);
      if (m.ready) {
        worker.on('message', (x: { log?: string }) => x.log !== undefined && log(x.log));
        resolve(worker);
      } else {
        void worker.terminate();
        reject(m.user ? new CosearchError(m.error ?? 'worker failed') : new Error(`${m.error}\n${m.stack ?? ''}`));
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}

interface Task {
  candidate: Candidate;
  resolve: (o: EvalOutput) => void;
  reject: (e: unknown) => void;
}

class WorkerPool implements EvalPool {
  private queue: Task[] = [];
  private idle: Worker[];
  private busy = new Map<Worker, Task>();
  private fatal: Error | null = null;

  constructor(private readonly workers: Worker[]) {
    this.idle = [...workers];
    for (const w of workers) {
      w.on('message', (m: { id?: number; output?: EvalOutput; error?: string; user?: boolean; stack?: string }) => {
        if (m.id === undefined) return;
        const task = this.busy.get(w);
        if (!task) return;
        this.busy.delete(w);
        this.idle.push(w);
        if (m.output) task.resolve(m.output);
        else if (m.user) task.reject(new CandidateFailure(m.error ?? 'evaluation failed'));
        else task.reject(new Error(`evaluation crashed: ${m.error}\n${m.stack ?? ''}`));
        this.pump();
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`a worker thread exited with code ${code}`));
      });
    }
  }

  private closing = false;

  get size(): number {
    return this.workers.length;
  }

  evaluate(candidate: Candidate): Promise<EvalOutput> {
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise((resolve, reject) => {
      this.queue.push({ candidate, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.shift()!;
      const task = this.queue.shift()!;
      this.busy.set(w, task);
      w.postMessage({ id: 0, candidate: task.candidate });
    }
  }

  private fail(err: Error): void {
    this.fatal = err;
    for (const t of [...this.busy.values(), ...this.queue]) t.reject(err);
    this.busy.clear();
    this.queue = [];
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
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

registerExecutor({
  name: 'local',
  description: 'worker threads on this machine (search.workers; 0 = main thread)',
  keys: [],
  create: (i) => createPool({ workers: i.workers, config: i.raw, problem: i.problem, ctx: i.ctx }),
});
