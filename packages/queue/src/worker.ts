import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { CosearchError } from '@cosearch/core';
import { CandidateFailure } from '@cosearch/runner';
import { EvaluatorCache, SetupError } from './evaluators';
import { HEARTBEAT_MS, workersKey, type WorkerInfo } from './keys';
import { checkConnection, connectionOptions, redactUrl, DEFAULT_QUEUE } from './options';
import { PayloadError, encodeOutput, validatePayload, type JobPayload, type JobResult } from './payload';

/**
 * `cosearch worker`: takes evaluation jobs from the queue and evaluates them with the problem
 * built from each job's config (cached per config). Job data is validated before use; a
 * malformed or hostile job is failed without retries and logged, and the worker carries on.
 * A candidate that fails deterministically (a `CosearchError` of the problem, e.g. a layer
 * that does not map on the hardware) is a result, not an error. Anything else — a crash, an
 * evaluator that cannot be built here — throws, and BullMQ retries the job up to its attempts.
 */
export interface QueueWorkerOptions {
  url: string;
  queue?: string;
  prefix?: string;
  tls?: { caFile: string | null; rejectUnauthorized: boolean };
  /** Jobs evaluated at once (default 1). */
  concurrency?: number;
  /** Evaluation threads per experiment (default = concurrency; 0 = in the worker's main thread). */
  threads?: number;
  /** Folder of cached supernet checkpoints (default `.cosearch-cache`). */
  cacheDir?: string;
  /** Train a missing supernet checkpoint before evaluating (default: fail the job instead). */
  prepare?: boolean;
  /** A job's lock lasts this long unless renewed; a dead worker's job is taken back after it (default 30 s). */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (default 30 s). */
  stalledIntervalMs?: number;
  /** Times a job may stall (its worker died) before it fails (default 2). */
  maxStalledCount?: number;
  log?: (message: string) => void;
}

export interface QueueWorker {
  readonly id: string;
  info(): WorkerInfo;
  /** Waits for the jobs in progress, then disconnects. */
  close(): Promise<void>;
}

export async function startQueueWorker(o: QueueWorkerOptions): Promise<QueueWorker> {
  const log = o.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const q = { queue: o.queue ?? DEFAULT_QUEUE, prefix: o.prefix ?? 'bull' };
  const concurrency = o.concurrency ?? 1;
  const threads = o.threads ?? concurrency;
  const id = `${os.hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  await checkConnection({ url: o.url, tls: o.tls });
  const connection = connectionOptions({ url: o.url, tls: o.tls });
  const info: WorkerInfo = {
    id, host: os.hostname(), pid: process.pid, concurrency, threads,
    startedAt: Date.now(), lastSeen: Date.now(), completed: 0, errors: 0, rejected: 0,
  };
  const workDir = path.join(os.tmpdir(), `cosearch-worker-${process.pid}`);
  const cache = new EvaluatorCache({
    threads,
    prepare: o.prepare ?? false,
    ctx: { runDir: workDir, cacheDir: path.resolve(o.cacheDir ?? '.cosearch-cache'), log: (m) => log(`worker ${id}: ${m}`) },
  });

  const { url: u, ...rest } = connection;
  const redis = new IORedis(u as string, rest);
  redis.on('error', () => undefined); // reported by the worker's own connection
  const beat = async () => {
    info.lastSeen = Date.now();
    await redis.hset(workersKey(q), id, JSON.stringify(info));
  };
  /** After each job too, so `cosearch status` counts are current. */
  const touch = () => void beat().catch(() => undefined);

  const reject = (job: Job, err: Error): never => {
    info.rejected += 1;
    touch();
    log(`worker ${id}: rejected job ${String(job.id).slice(0, 200)}: ${err.message}`);
    throw new UnrecoverableError(`rejected by worker ${id}: ${err.message}`);
  };

  const process_ = async (job: Job<unknown, JobResult>): Promise<JobResult> => {
    let payload: JobPayload;
    try {
      payload = validatePayload(job.data);
    } catch (err) {
      return reject(job, err as Error);
    }
    let lease: Awaited<ReturnType<EvaluatorCache['acquire']>>;
    try {
      lease = await cache.acquire(payload.config);
    } catch (err) {
      if (err instanceof SetupError) {
        info.errors += 1;
        log(`worker ${id}: job ${job.id}: ${err.message}`);
        throw err;
      }
      if (err instanceof CosearchError) return reject(job, err);
      throw err;
    }
    try {
      const space = lease.entry.problem.space;
      space.validate(payload.candidate);
      if (space.key(payload.candidate) !== payload.key) throw new PayloadError('key does not match the candidate');
    } catch (err) {
      lease.release();
      return reject(job, err as Error);
    }
    try {
      const output = await lease.entry.pool.evaluate(payload.candidate);
      info.completed += 1;
      lease.release();
      touch();
      return { ok: true, output: encodeOutput(output) };
    } catch (err) {
      if (err instanceof CandidateFailure) {
        info.completed += 1;
        lease.release();
        touch();
        return { ok: false, error: err.message };
      }
      info.errors += 1;
      lease.release(true);
      touch();
      log(`worker ${id}: job ${job.id} crashed (attempt ${job.attemptsMade + 1}): ${(err as Error).message}`);
      throw err;
    }
  };

  const worker = new Worker<unknown, JobResult>(q.queue, process_, {
    connection,
    prefix: q.prefix,
    concurrency,
    name: id,
    lockDuration: o.lockDurationMs ?? 30_000,
    stalledInterval: o.stalledIntervalMs ?? 30_000,
    maxStalledCount: o.maxStalledCount ?? 2,
  });
  let lastError = 0;
  worker.on('error', (err) => {
    // connection loss, a job whose stored data is not JSON, ...: log and carry on
    if (Date.now() - lastError > 5000) log(`worker ${id}: ${err.message}`);
    lastError = Date.now();
  });
  await worker.waitUntilReady();
  await beat();
  const timer = setInterval(() => void beat().catch(() => undefined), HEARTBEAT_MS);
  log(`worker ${id}: serving queue "${q.queue}" at ${redactUrl(o.url)} (concurrency ${concurrency}, ${threads} thread(s))`);

  return {
    id,
    info: () => ({ ...info }),
    async close() {
      clearInterval(timer);
      await worker.close();
      await cache.close();
      info.stopped = true;
      await beat().catch(() => undefined);
      redis.disconnect();
    },
  };
}
