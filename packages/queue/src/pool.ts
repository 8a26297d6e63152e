import { Job, Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import type { Candidate } from '@cosearch/core';
import { CandidateFailure, type EvalOutput, type EvalPool, type ExecutorInput } from '@cosearch/runner';
import { checkConnection, connectionOptions, redactUrl, resolveRedisUrl, type RedisSection } from './options';
import { decodeOutput, experimentId, jobId, workerConfig, type JobPayload, type JobResult } from './payload';
import { experimentJobsKey, liveWorkers } from './keys';

/**
 * The runner's `EvalPool` over a BullMQ queue: each evaluation is a job whose id is
 * deterministic (experiment + candidate + seed), so enqueuing twice — a resumed experiment, a
 * candidate seen again — finds the existing job instead of adding one, and a result already in
 * Redis is taken from there. Results arrive by QueueEvents; a periodic sweep re-reads the state
 * of every awaited job, which covers events lost to a Redis restart and re-adds a job that a
 * restart lost. Each evaluation settles once: a second result for it is ignored.
 */
interface Awaited {
  payload: JobPayload;
  promise: Promise<EvalOutput>;
  resolve: (o: EvalOutput) => void;
  reject: (e: unknown) => void;
  /** Added to the queue (or found there) in this session. */
  submitted: boolean;
}

export interface QueuePoolOptions {
  section: RedisSection;
  input: ExecutorInput;
  /** Top-level config keys that describe where evaluations run (left out of job payloads). */
  executorKeys: readonly string[];
}

export class QueuePool implements EvalPool {
  readonly experiment: string;
  private readonly awaited = new Map<string, Awaited>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private closed = false;
  private lastWarning = 0;
  private lastWorkerCheck = Date.now();

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly redis: IORedis,
    private readonly opts: QueuePoolOptions,
    private readonly config: Record<string, unknown>,
    readonly size: number,
  ) {
    this.experiment = experimentId(opts.input.config.name, config);
    events.on('completed', ({ jobId: id }) => this.onEvent(id));
    events.on('failed', ({ jobId: id }) => this.onEvent(id));
    this.sweepTimer = setInterval(() => void this.sweep(), opts.section.pollS * 1000);
  }

  static async open(opts: QueuePoolOptions): Promise<QueuePool> {
    const s = opts.section;
    const url = resolveRedisUrl(s.url);
    await checkConnection({ url, tls: s.tls });
    const connection = connectionOptions({ url, tls: s.tls });
    const log = opts.input.ctx.log;
    const queue = new Queue(s.queue, { connection, prefix: s.prefix });
    const events = new QueueEvents(s.queue, { connection, prefix: s.prefix });
    const { url: u, ...rest } = connection;
    const redis = new IORedis(u as string, rest);
    let lastLog = 0;
    let closing = false;
    const warn = (err: Error) => {
      if (closing || Date.now() - lastLog < 5000) return;
      lastLog = Date.now();
      log(`queue: Redis at ${redactUrl(url)}: ${err.message} (retrying)`);
    };
    queue.on('error', warn);
    events.on('error', warn);
    redis.on('error', warn);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), redis.ping()]);
    const config = workerConfig(opts.input.raw as Record<string, unknown>, opts.executorKeys);
    const workers = await liveWorkers(redis, s);
    log(`queue: ${redactUrl(url)} queue "${s.queue}", ${workers.length} worker(s) alive`);
    const pool = new QueuePool(queue, events, redis, opts, config, workers.length);
    pool.onClose = () => {
      closing = true;
    };
    return pool;
  }

  evaluate(candidate: Candidate): Promise<EvalOutput> {
    const { config: exp, problem } = this.opts.input;
    const key = problem.space.key(candidate);
    const id = jobId(this.experiment, key, exp.seed);
    const known = this.awaited.get(id);
    if (known) return known.promise;
    let resolve!: (o: EvalOutput) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<EvalOutput>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const payload: JobPayload = { v: 1, experiment: this.experiment, seed: exp.seed, key, config: this.config, candidate };
    this.awaited.set(id, { payload, promise, resolve, reject, submitted: false });
    void this.submit(id);
    return promise;
  }

  /** Adds the job (idempotent: an existing job with this id is kept), then looks whether it is already done. */
  private async submit(id: string): Promise<void> {
    const a = this.awaited.get(id);
    if (!a || this.closed) return;
    const s = this.opts.section;
    try {
      await this.queue.add('evaluate', a.payload, {
        jobId: id,
        attempts: s.attempts,
        backoff: { type: 'fixed', delay: Math.round(s.backoffS * 1000) },
        removeOnComplete: { age: s.retentionS },
        removeOnFail: { age: s.retentionS },
      });
      const key = experimentJobsKey(s, this.experiment);
      await this.redis.multi().sadd(key, id).expire(key, s.retentionS).exec();
      a.submitted = true;
      await this.check(id);
    } catch (err) {
      this.warn(`could not enqueue ${id} (${(err as Error).message}); retrying`);
    }
  }

  private onEvent(id: string): void {
    if (this.awaited.has(id)) void this.check(id).catch((err: Error) => this.warn(err.message));
  }

  /** Reads the job's state in Redis and settles the evaluation if the job is finished. */
  private async check(id: string): Promise<void> {
    const a = this.awaited.get(id);
    if (!a) return; // settled already: a duplicate result is ignored
    // state first, then the job: a job read while active and seen completed a moment later
    // would have no return value yet
    const state = await this.queue.getJobState(id);
    if (state === 'unknown') {
      // lost (a Redis restart without persistence) or expired: enqueue it again
      if (a.submitted) {
        a.submitted = false;
        await this.submit(id);
      }
      return;
    }
    if (state !== 'completed' && state !== 'failed') return;
    const job = await Job.fromId<JobPayload, JobResult>(this.queue, id);
    if (!job) return;
    if (state === 'completed') this.settle(id, job.returnvalue);
    else this.settle(id, { ok: false, error: `failed on the queue after ${job.attemptsMade} attempt(s): ${job.failedReason}` });
  }

  private settle(id: string, result: JobResult | null | undefined): void {
    const a = this.awaited.get(id);
    if (!a) return;
    this.awaited.delete(id);
    if (result && result.ok === true && typeof result.output === 'string') {
      try {
        a.resolve(decodeOutput(result.output));
      } catch (err) {
        a.reject(new CandidateFailure(`malformed result of job ${id}: ${(err as Error).message}`));
      }
    } else if (result && result.ok === false && typeof result.error === 'string') {
      a.reject(new CandidateFailure(result.error));
    } else {
      a.reject(new CandidateFailure(`malformed result of job ${id}`));
    }
  }

  /** Re-reads every awaited job: catches events missed during a Redis restart and re-adds lost jobs. */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.closed) return;
    this.sweeping = true;
    try {
      for (const [id, a] of [...this.awaited]) {
        if (!a.submitted) await this.submit(id);
        else await this.check(id);
      }
      await this.checkWorkers();
    } catch (err) {
      this.warn((err as Error).message);
    } finally {
      this.sweeping = false;
    }
  }

  /** A run waiting on a queue nobody serves says so (every 30 s) instead of hanging silently. */
  private async checkWorkers(): Promise<void> {
    if (this.awaited.size === 0 || Date.now() - this.lastWorkerCheck < 30_000) return;
    this.lastWorkerCheck = Date.now();
    const s = this.opts.section;
    const alive = await liveWorkers(this.redis, s);
    if (alive.length === 0) {
      this.opts.input.ctx.log(`queue: ${this.awaited.size} evaluation(s) waiting and no worker alive on queue "${s.queue}"; start one: cosearch worker --redis <url> --queue ${s.queue}`);
    }
  }

  private onClose: () => void = () => undefined;

  private warn(message: string): void {
    if (Date.now() - this.lastWarning < 5000) return;
    this.lastWarning = Date.now();
    this.opts.input.ctx.log(`queue: ${message}`);
  }

  /** In-flight jobs stay in Redis: a resumed experiment collects their results. */
  async close(): Promise<void> {
    this.closed = true;
    this.onClose();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    this.redis.disconnect();
  }
}
