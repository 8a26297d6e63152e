import { executorRegistry, registerExecutor } from '@cosearch/runner';
import { validateRedisSection } from './options';
import { QueuePool } from './pool';

/**
 * Registers the `queue` executor with the runner: `"executor": "queue"` plus a `redis` section
 * in an experiment config sends its evaluations to `cosearch worker` processes through Redis.
 * Importing @cosearch/queue (the cosearch CLI does) is what makes the name known.
 */
export const QUEUE_EXECUTOR_KEYS = ['redis'] as const;

if (!executorRegistry.has('queue')) {
  registerExecutor({
    name: 'queue',
    description: 'BullMQ jobs on a Redis server, evaluated by `cosearch worker` processes on any machine (config section "redis")',
    keys: QUEUE_EXECUTOR_KEYS,
    defaults: { redis: { url: '$COSEARCH_REDIS_URL', queue: 'cosearch', attempts: 3, backoffS: 1, retentionS: 604800, pollS: 2 } },
    // structure only: the URL may come from the environment when the run starts
    validate: (config) => void validateRedisSection(config.sections.redis),
    create: (input) => QueuePool.open({ section: validateRedisSection(input.config.sections.redis), input, executorKeys: QUEUE_EXECUTOR_KEYS }),
  });
}
