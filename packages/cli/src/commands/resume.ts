import type { CommandModule } from 'yargs';
import { resumeRun } from '@cosearch/runner';
import { finish } from './search';
import { loadCliPlugins, PLUGIN_OPTION } from '../plugins';

export const resumeCommand: CommandModule<object, { dir: string; workers?: number; quiet?: boolean; cache?: string; plugin?: string[] }> = {
  command: 'resume <dir>',
  describe: 'continue an interrupted run from its last checkpoint and log (ends as if never interrupted)',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'run folder' })
      .option('workers', { type: 'number', describe: 'worker threads (results do not depend on it)' })
      .option('cache', { type: 'string', describe: 'cache folder for trained supernets (default .cosearch-cache)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' })
      .option('plugin', PLUGIN_OPTION) as never,
  handler: async (a) => {
    loadCliPlugins(a.plugin);
    finish(await resumeRun(a.dir, { workers: a.workers, cacheDir: a.cache, progress: a.quiet ? null : process.stderr }));
  },
};
