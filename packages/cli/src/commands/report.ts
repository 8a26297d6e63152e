import type { CommandModule } from 'yargs';
import { reportRun } from '@cosearch/runner';

export const reportCommand: CommandModule<object, { dir: string }> = {
  command: 'report <dir>',
  describe: 'write report.html, evaluations.csv and evaluations.json of a run folder',
  builder: (y) => y.positional('dir', { type: 'string', demandOption: true, describe: 'run folder' }) as never,
  handler: async (a) => {
    process.stdout.write(`report: ${await reportRun(a.dir)}\n`);
  },
};
