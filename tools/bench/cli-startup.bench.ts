/**
 * Start-up of the cosearch CLI (issue 16 target: `cosearch list policies` <= 0.5 s wall), as the
 * median of 7 runs of the bin (packages/cli/bin/cosearch.js: the built dist/ when up to date),
 * against `node -e 0` measured in the same run (the ratio is what survives a loaded machine).
 *
 *   npm run bench -- cli-startup   (npm run build first; a stale build runs from sources)
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const BIN = path.resolve(__dirname, '..', '..', 'packages', 'cli', 'bin', 'cosearch.js');
function medianS(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore', env });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    t.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return t.sort((a, b) => a - b)[3];
}
const base = medianS(['-e', '0']);
const env = { ...process.env };
delete env.COSEARCH_FROM_SOURCE;
console.log('command                         median wall   ratio to node -e 0');
console.log(`node -e 0                       ${base.toFixed(3)} s`);
for (const args of [['list', 'policies'], ['--help']]) {
  const s = medianS([BIN, ...args], env);
  console.log(`cosearch ${args.join(' ').padEnd(22)} ${s.toFixed(3)} s   ${(s / base).toFixed(1)}x${args[0] === 'list' ? (s <= 0.5 ? '  (target <= 0.5 s: met)' : '  (target <= 0.5 s: MISSED)') : ''}`);
}
