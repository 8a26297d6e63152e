import * as path from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DataError } from '@cosearch/core';
import { CONFIG_FILE, JOURNAL_FILE, buildExperiment, readCheckpoint, readConfigFile, readJournal, sortedRecords } from '@cosearch/runner';
import { isAlive, experimentJobsKey, workersSeen, type WorkerInfo } from './keys';
import { connectionOptions, redactUrl, resolveRedisUrl, validateRedisSection } from './options';
import { experimentId, workerConfig } from './payload';
import { QUEUE_EXECUTOR_KEYS } from './register';

/**
 * `cosearch status DIR`: where a run stands — evaluations in its log and checkpoint, and, for a
 * run on the queue, its jobs in Redis by state and the workers that served the queue.
 */
export interface JobCounts {
  queued: number;
  active: number;
  done: number;
  failed: number;
  /** Enqueued, but no longer in Redis (expired, or lost by a Redis without persistence). */
  missing: number;
}

export interface RunStatus {
  dir: string;
  name: string;
  executor: string;
  budget: number;
  /** Evaluations told to the policy at the last checkpoint, and whether the run finished. */
  checkpointEvals: number;
  finished: boolean;
  logged: { evaluations: number; failed: number };
  queue: null | {
    url: string;
    queue: string;
    experiment: string;
    jobs: JobCounts;
    workers: (WorkerInfo & { alive: boolean })[];
  };
}

const STATE_TO_COUNT: Record<string, keyof JobCounts> = {
  waiting: 'queued', wait: 'queued', delayed: 'queued', prioritized: 'queued', 'waiting-children': 'queued', paused: 'queued',
  active: 'active', completed: 'done', failed: 'failed', unknown: 'missing',
};

export async function runStatus(dir: string, opts: { url?: string } = {}): Promise<RunStatus> {
  const abs = path.resolve(dir);
  const raw = readConfigFile(path.join(abs, CONFIG_FILE)) as Record<string, unknown>;
  const { config } = buildExperiment(raw, { runDir: abs, cacheDir: abs, log: () => undefined });
  const cp = readCheckpoint(abs);
  const records = sortedRecords(readJournal(path.join(abs, JOURNAL_FILE)).records);
  const status: RunStatus = {
    dir: abs,
    name: config.name,
    executor: config.executor,
    budget: config.search.budget,
    checkpointEvals: cp?.evals ?? 0,
    finished: cp?.finished ?? false,
    logged: { evaluations: records.length, failed: records.filter((r) => r.error !== undefined).length },
    queue: null,
  };
  if (config.executor !== 'queue' && opts.url === undefined) return status;
  const section = validateRedisSection(config.sections.redis);
  const url = resolveRedisUrl(opts.url ?? section.url, opts.url ? '--redis' : 'redis.url');
  const experiment = experimentId(config.name, workerConfig(raw, QUEUE_EXECUTOR_KEYS));
  const connection = connectionOptions({ url, tls: section.tls });
  const { url: u, ...rest } = connection;
  // fail fast when Redis is not there: status is a look, not a wait
  const redis = new IORedis(u as string, { ...rest, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  const queue = new Queue(section.queue, { connection: { ...connection, maxRetriesPerRequest: 1, retryStrategy: () => null }, prefix: section.prefix });
  queue.on('error', () => undefined);
  try {
    await redis.ping().catch((err: Error) => {
      throw new DataError(redactUrl(url), `cannot reach Redis (${err.message})`);
    });
    const ids = await redis.smembers(experimentJobsKey(section, experiment));
    const jobs: JobCounts = { queued: 0, active: 0, done: 0, failed: 0, missing: 0 };
    for (let i = 0; i < ids.length; i += 200) {
      const states = await Promise.all(ids.slice(i, i + 200).map((id) => queue.getJobState(id)));
      for (const s of states) jobs[STATE_TO_COUNT[s] ?? 'missing'] += 1;
    }
    const now = Date.now();
    const workers = (await workersSeen(redis, section)).map((w) => ({ ...w, alive: isAlive(w, now) }));
    status.queue = { url: redactUrl(url), queue: section.queue, experiment, jobs, workers };
    return status;
  } finally {
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

export function formatStatus(s: RunStatus, now = Date.now()): string {
  const lines = [
    `run ${s.name} in ${s.dir}`,
    `  executor: ${s.executor}; ${s.finished ? 'finished' : 'not finished'}; checkpoint at ${s.checkpointEvals}/${s.budget} evaluations`,
    `  log: ${s.logged.evaluations} evaluations (${s.logged.failed} failed)`,
  ];
  if (s.queue) {
    const j = s.queue.jobs;
    lines.push(
      `  queue "${s.queue.queue}" at ${s.queue.url}, experiment ${s.queue.experiment}`,
      `  jobs: queued ${j.queued}, active ${j.active}, done ${j.done}, failed ${j.failed}${j.missing ? `, no longer in Redis ${j.missing}` : ''}`,
      `  workers seen: ${s.queue.workers.length} (${s.queue.workers.filter((w) => w.alive).length} alive)`,
    );
    for (const w of s.queue.workers) {
      lines.push(
        `    ${w.id}  ${w.alive ? 'alive' : w.stopped ? 'stopped' : 'gone'}, last seen ${ago(now - w.lastSeen)}; ` +
          `concurrency ${w.concurrency}, ${w.completed} evaluated, ${w.errors} errors, ${w.rejected} rejected`,
      );
    }
  }
  return lines.join('\n');
}
