import type { CommandModule } from 'yargs';
import { compareWithMaestro } from '@cosearch/hardware';

/**
 * `cosearch maestro-compare DIR`: runs the mapping engine on every row of a folder of MAESTRO
 * outputs (results.csv, sweep.csv, outputs/<run>/mapping.m) and prints the acceptance table.
 * `--check` exits 1 when a target is missed; a missing or unreadable folder is one line, exit 1.
 */
export const maestroCompareCommand: CommandModule<object, { dir: string; json: boolean; summary: boolean; check: boolean }> = {
  command: 'maestro-compare <dir>',
  describe: 'compare the mapping engine with a folder of MAESTRO runs (MACs, active PEs, cycles, sweeps, ranking)',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'folder with results.csv, sweep.csv and outputs/<run>/mapping.m' })
      .option('json', { type: 'boolean', default: false, describe: 'print rows, sweep points and summary as JSON' })
      .option('summary', { type: 'boolean', default: false, describe: 'print only the acceptance table' })
      .option('check', { type: 'boolean', default: false, describe: 'exit 1 when a target is missed' }) as never,
  handler: (a) => {
    const r = compareWithMaestro(a.dir);
    if (a.json) {
      const { text: _text, ...rest } = r;
      process.stdout.write(`${JSON.stringify(rest, null, 1)}\n`);
    } else {
      const text = a.summary ? r.text.slice(r.text.indexOf('| check |')) : r.text;
      process.stdout.write(`${text}\n`);
    }
    if (a.check && r.summary.some((s) => s.met === false)) process.exitCode = 1;
  },
};
