import type { CommandModule } from 'yargs';
import { startRun, type RunResult } from '@cosearch/runner';
import { loadCliPlugins, PLUGIN_OPTION } from '../plugins';

/** Prints where the results are; an interrupted run says how to continue and exits 130 (SIGINT) or 143 (SIGTERM). */
export function finish(r: RunResult): void {
  if (r.finished) {
    process.stdout.write(`done: ${r.records.length} evaluations in ${r.dir}\nreport: ${r.reportFile}\n`);
  } else {
    process.stdout.write(`stopped after ${r.checkpoint.evals} evaluations; continue with: cosearch resume ${r.dir}\n`);
    process.exitCode = r.signal === 'SIGTERM' ? 143 : 130; // 128 + the signal number, as a shell reports it
  }
}

export const searchCommand: CommandModule<object, { config: string; out?: string; workers?: number; quiet?: boolean; cache?: string; plugin?: string[] }> = {
  command: 'search <config>',
  describe: 'run a co-search experiment from a JSON config into a run folder',
  builder: (y) =>
    y
      .positional('config', { type: 'string', demandOption: true, describe: 'experiment config (JSON), e.g. experiments/default-mnist.json' })
      .option('out', { type: 'string', describe: 'run folder (default: the config\'s "output")' })
      .option('workers', { type: 'number', describe: 'worker threads (overrides search.workers; 0 = main thread)' })
      .option('cache', { type: 'string', describe: 'cache folder for trained supernets (default .cosearch-cache)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' })
      .option('plugin', PLUGIN_OPTION) as never,
  handler: async (a) => {
    loadCliPlugins(a.plugin);
    finish(await startRun(a.config, { out: a.out, workers: a.workers, cacheDir: a.cache, progress: a.quiet ? null : process.stderr }));
  },
};
