import type IORedis from 'ioredis';

/**
 * cosearch's own Redis keys, next to the queue's BullMQ keys (`<prefix>:<queue>:...`). Job ids
 * never contain ':', so `<prefix>:<queue>:cosearch:*` cannot collide with a job's keys.
 */
export interface QueueName {
  queue: string;
  prefix: string;
}

/** Set of the job ids an experiment enqueued (for `cosearch status`); expires with the jobs. */
export function experimentJobsKey(q: QueueName, experiment: string): string {
  return `${q.prefix}:${q.queue}:cosearch:experiment:${experiment}`;
}

/** Hash worker id → `WorkerInfo` JSON: every worker that served this queue recently. */
export function workersKey(q: QueueName): string {
  return `${q.prefix}:${q.queue}:cosearch:workers`;
}

export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  threads: number;
  startedAt: number;
  /** Last heartbeat (ms since epoch); a live worker beats every `HEARTBEAT_MS`. */
  lastSeen: number;
  completed: number;
  /** Evaluations that threw (retried or failed), and jobs rejected as malformed. */
  errors: number;
  rejected: number;
  /** Set when the worker shut down cleanly. */
  stopped?: boolean;
}

export const HEARTBEAT_MS = 5000;
/** Workers not seen for this long are dropped from the list. */
export const FORGET_MS = 24 * 3600 * 1000;

export async function workersSeen(redis: IORedis, q: QueueName): Promise<WorkerInfo[]> {
  const all = await redis.hgetall(workersKey(q));
  const out: WorkerInfo[] = [];
  const now = Date.now();
  for (const [id, text] of Object.entries(all)) {
    try {
      const w = JSON.parse(text) as WorkerInfo;
      if (now - w.lastSeen > FORGET_MS) await redis.hdel(workersKey(q), id);
      else out.push(w);
    } catch {
      await redis.hdel(workersKey(q), id);
    }
  }
  return out.sort((a, b) => a.startedAt - b.startedAt);
}

export function isAlive(w: WorkerInfo, now = Date.now()): boolean {
  return !w.stopped && now - w.lastSeen < 3 * HEARTBEAT_MS;
}

export async function liveWorkers(redis: IORedis, q: QueueName): Promise<WorkerInfo[]> {
  return (await workersSeen(redis, q)).filter((w) => isAlive(w));
}
