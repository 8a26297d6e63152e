import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CosearchError, type Candidate } from '@cosearch/core';
import { CandidateFailure, registerExecutor, type EvalPool } from './executor';
import { workerModules } from './plugins';
import type { CandidateEvaluator, EvalOutput, Problem, ProblemContext } from './problem';

/**
 * `config` is the raw JSON config the worker threads rebuild the problem from; each thread first
 * loads the config's plug-ins and the module that registers its problem (`workerModules`).
 */
export async function createPool(opts: { workers: number; config: unknown; problem: Problem; ctx: ProblemContext }): Promise<EvalPool> {
  if (opts.workers === 0) return inProcessPool(await opts.problem.createEvaluator());
  const modules = workerModules(opts.config);
  const workers = await Promise.all(Array.from({ length: opts.workers }, () => startWorker(opts.config, opts.ctx, modules)));
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
function startWorker(config: unknown, ctx: ProblemContext, modules: string[]): Promise<Worker> {
  const { log, ...plainCtx } = ctx;
  const workerData = { config, ctx: plainCtx, modules };
  const fromSource = __filename.endsWith('.ts');
  const entry = path.join(__dirname, fromSource ? 'worker.ts' : 'worker.js');
  const worker = fromSource
    ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`, { // tsx by path: an eval worker resolves from the working directory
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

registerExecutor({
  name: 'local',
  description: 'worker threads on this machine (search.workers; 0 = main thread)',
  keys: [],
  create: (i) => createPool({ workers: i.workers, config: i.raw, problem: i.problem, ctx: i.ctx }),
});
