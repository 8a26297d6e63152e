import type { CommandModule } from 'yargs';
import { ConfigError } from '@cosearch/core';
import { runSuite } from '@cosearch/runner';
import { loadCliPlugins, PLUGIN_OPTION } from '../plugins';

export const suiteCommand: CommandModule<object, { file: string; seeds?: string; out?: string; workers?: number; quiet?: boolean; plugin?: string[] }> = {
  command: 'suite <file>',
  describe: 'run an experiment suite (variants × seeds, e.g. experiments/joint-vs-sequential.json) and print its table',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'suite config (JSON)' })
      .option('seeds', { type: 'string', describe: 'comma-separated seeds (overrides the suite\'s)' })
      .option('out', { type: 'string', describe: 'suite folder (default: the suite\'s "output")' })
      .option('workers', { type: 'number', describe: 'worker threads per run' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' })
      .option('plugin', PLUGIN_OPTION) as never,
  handler: async (a) => {
    loadCliPlugins(a.plugin);
    const seeds = a.seeds?.split(',').map((x) => Number(x.trim()));
    if (seeds && !seeds.every((x) => Number.isInteger(x) && x >= 0)) throw new ConfigError('--seeds', a.seeds, 'comma-separated non-negative integers, e.g. 1,2,3');
    const r = await runSuite(a.file, { seeds, out: a.out, workers: a.workers, progress: a.quiet ? null : process.stderr });
    process.stdout.write(`${r.table}\nsummary: ${r.dir}/summary.md\n`);
  },
};
