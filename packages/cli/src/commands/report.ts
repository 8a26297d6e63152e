import type { CommandModule } from 'yargs';
import { reportRun } from '@cosearch/runner';
import { loadCliPlugins, PLUGIN_OPTION } from '../plugins';

export const reportCommand: CommandModule<object, { dir: string; plugin?: string[] }> = {
  command: 'report <dir>',
  describe: 'write report.html, evaluations.csv and evaluations.json of a run folder',
  builder: (y) => y.positional('dir', { type: 'string', demandOption: true, describe: 'run folder' }).option('plugin', PLUGIN_OPTION) as never,
  handler: async (a) => {
    loadCliPlugins(a.plugin);
    process.stdout.write(`report: ${await reportRun(a.dir)}\n`);
  },
};
