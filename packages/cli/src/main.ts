import { run } from './cli';

/**
 * Exits once everything written to stdout and stderr has reached the OS: `process.exit` drops
 * what a pipe has not taken yet (a pipe holds 64 KiB, so `cosearch hw --json | jq` lost the rest).
 * A write callback runs after every earlier write of that stream is flushed.
 */
export function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  for (const s of [process.stdout, process.stderr]) {
    if (s.destroyed || !s.writable) done();
    else s.write('', () => done());
  }
}

run(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (err) => {
    process.stderr.write(`cosearch: ${err instanceof Error ? err.message : String(err)}\n`);
    exitAfterFlush(1);
  },
);
