import { run } from './cli';

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`cosearch: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
