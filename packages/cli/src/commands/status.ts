import type { CommandModule } from 'yargs';
import { formatStatus, runStatus } from '@cosearch/queue';

/** `cosearch status DIR`: evaluations logged, and for queue runs the jobs by state and the workers seen. */
export const statusCommand: CommandModule<object, { dir: string; redis?: string; json: boolean }> = {
  command: 'status <dir>',
  describe: 'show where a run stands: evaluations logged; queue runs: jobs queued/active/done/failed and workers seen',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'run folder' })
      .option('redis', { type: 'string', describe: 'Redis URL (default: the run\'s redis.url or $COSEARCH_REDIS_URL)' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as never,
  handler: async (a) => {
    const s = await runStatus(a.dir, { url: a.redis });
    process.stdout.write(a.json ? `${JSON.stringify(s, null, 1)}\n` : `${formatStatus(s)}\n`);
  },
};
