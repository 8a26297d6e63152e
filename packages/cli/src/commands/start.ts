import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { readCheckpoint, reportRun, resumeRun, startRun } from '@cosearch/runner';
import { finish } from './search';
import { loadCliPlugins, PLUGIN_OPTION } from '../plugins';

/** The repository's default experiment (what `npm start` runs). */
export const DEFAULT_EXPERIMENT = path.resolve(__dirname, '..', '..', '..', '..', 'experiments', 'default-mnist.json');

export const startCommand: CommandModule<object, { out: string; workers?: number }> = {
  command: 'start',
  describe: 'run the default MNIST co-search (experiments/default-mnist.json); continues or re-reports an existing run',
  builder: (y) =>
    y
      .option('out', { type: 'string', default: path.join('runs', 'default-mnist'), describe: 'run folder' })
      .option('workers', { type: 'number', describe: 'worker threads (default: cores)' }) as never,
  handler: async (a) => {
    loadCliPlugins();
    const dir = path.resolve(a.out);
    const cp = fs.existsSync(path.join(dir, 'config.json')) ? readCheckpoint(dir) : null;
    if (cp?.finished) {
      process.stdout.write(`${dir} already holds a finished run (delete it to run again)\nreport: ${await reportRun(dir)}\n`);
      return;
    }
    const exists = fs.existsSync(path.join(dir, 'config.json'));
    process.stderr.write(`${exists ? 'resuming' : 'running'} ${DEFAULT_EXPERIMENT} into ${dir}\n`);
    finish(exists ? await resumeRun(dir, { workers: a.workers }) : await startRun(DEFAULT_EXPERIMENT, { out: dir, workers: a.workers }));
  },
};
