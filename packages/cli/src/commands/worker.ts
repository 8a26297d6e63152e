import type { CommandModule } from 'yargs';
import { REDIS_URL_ENV, resolveRedisUrl, startQueueWorker } from '@cosearch/queue';
import { loadCliPlugins, PLUGIN_OPTION } from '../plugins';

interface Args {
  redis?: string;
  concurrency: number;
  threads?: number;
  queue: string;
  prefix: string;
  cache?: string;
  prepare: boolean;
  'lock-ms': number;
  'stalled-ms': number;
  'max-stalled': number;
  'ca-file'?: string;
  insecure: boolean;
  plugin?: string[];
}

/** `cosearch worker`: evaluates queued candidates (experiments with "executor": "queue") until stopped. */
export const workerCommand: CommandModule<object, Args> = {
  command: 'worker',
  describe: 'evaluate candidates from a Redis queue (runs until Ctrl-C / SIGTERM; start one per machine)',
  builder: (y) =>
    y
      .option('redis', { type: 'string', describe: `Redis URL, redis://[user:pass@]host:port[/db] or rediss:// (default $${REDIS_URL_ENV})` })
      .option('concurrency', { type: 'number', default: 1, describe: 'jobs evaluated at once' })
      .option('threads', { type: 'number', describe: 'evaluation threads per experiment (default = concurrency; 0 = main thread)' })
      .option('queue', { type: 'string', default: 'cosearch', describe: 'queue name (the experiment\'s redis.queue)' })
      .option('prefix', { type: 'string', default: 'bull', describe: 'key prefix (the experiment\'s redis.prefix)' })
      .option('cache', { type: 'string', describe: 'folder of cached supernet checkpoints (default .cosearch-cache)' })
      .option('prepare', { type: 'boolean', default: false, describe: 'train a missing supernet checkpoint here instead of failing the job' })
      .option('lock-ms', { type: 'number', default: 30000, describe: 'job lock; a dead worker\'s job is retried after about this long' })
      .option('stalled-ms', { type: 'number', default: 30000, describe: 'interval of the check for jobs of dead workers' })
      .option('max-stalled', { type: 'number', default: 2, describe: 'times a job may lose its worker before it fails' })
      .option('ca-file', { type: 'string', describe: 'CA bundle (PEM) for rediss:// with a private CA' })
      .option('insecure', { type: 'boolean', default: false, describe: 'rediss:// without checking the server certificate' })
      .option('plugin', PLUGIN_OPTION) as never,
  handler: async (a) => {
    loadCliPlugins(a.plugin);
    const worker = await startQueueWorker({
      url: resolveRedisUrl(a.redis, '--redis'),
      queue: a.queue,
      prefix: a.prefix,
      tls: { caFile: a['ca-file'] ?? null, rejectUnauthorized: !a.insecure },
      concurrency: a.concurrency,
      threads: a.threads,
      cacheDir: a.cache,
      prepare: a.prepare,
      lockDurationMs: a['lock-ms'],
      stalledIntervalMs: a['stalled-ms'],
      maxStalledCount: a['max-stalled'],
    });
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = () => {
        if (stopping) process.exit(130);
        stopping = true;
        process.stderr.write(`worker ${worker.id}: stopping after the jobs in progress (again to quit now)\n`);
        void worker.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};
