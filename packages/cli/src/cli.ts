import yargs from 'yargs';
import { CosearchError } from '@cosearch/core';
import { commands } from './commands';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../package.json') as { version: string };

/**
 * Builds and runs the `cosearch` command. Each command lives in its own file under
 * `commands/` and is listed in `commands/index.ts`. Errors that are the user's input
 * (`CosearchError`) print one clear line and exit 1, without a stack trace.
 */
export async function run(argv: string[]): Promise<number> {
  let failure: unknown = null;
  const parser = yargs(argv)
    .scriptName('cosearch')
    .version(version)
    .strict()
    .demandCommand(1, 'give a command; see cosearch --help')
    .recommendCommands()
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      failure = err ?? new CosearchError(msg);
    });
  for (const c of commands) {
    // The command's module loads only when yargs matched it (builder) or runs it (handler).
    parser.command({
      command: c.command,
      describe: c.describe,
      builder: (y) => {
        const b = c.load().builder;
        return (typeof b === 'function' ? b(y) : b ? y.options(b) : y) as typeof y;
      },
      handler: (a) => c.load().handler(a),
    });
  }
  try {
    await parser.parseAsync();
  } catch (err) {
    failure = err;
  }
  if (failure) {
    if (failure instanceof CosearchError) {
      process.stderr.write(`cosearch: ${failure.message}\n`);
      return 1;
    }
    throw failure;
  }
  return process.exitCode === undefined ? 0 : Number(process.exitCode);
}
