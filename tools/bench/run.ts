/**
 * Benchmark harness: `npm run bench [-- <substring> ...]`.
 *
 * Runs every `tools/bench/*.bench.ts` (or only those whose file name contains one of the
 * given substrings) one after another, in name order, each in its own child process
 * (`node --conditions=@cosearch/source --import tsx <file>`, so workspace packages load from
 * source and one benchmark's tfjs state cannot leak into the next). Output is forwarded as it
 * comes; a header precedes each benchmark and a summary with wall times follows. Exit code 1
 * if any benchmark fails or no benchmark matches.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const benchDir = resolve(__dirname);
const repoRoot = resolve(benchDir, '..', '..');

function listBenchmarks(): string[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
}

function main(): number {
  const filters = process.argv.slice(2).filter((a) => a.length > 0);
  const all = listBenchmarks();
  const selected = filters.length === 0 ? all : all.filter((f) => filters.some((s) => f.includes(s)));
  if (selected.length === 0) {
    console.error(`no benchmark matches ${filters.map((f) => JSON.stringify(f)).join(', ')}; available: ${all.join(', ') || '(none)'}`);
    return 1;
  }
  const results: Array<{ name: string; ok: boolean; seconds: number; detail: string }> = [];
  const start = Date.now();
  for (const file of selected) {
    const name = basename(file, '.bench.ts');
    console.log(`\n=== bench: ${name} (tools/bench/${file}) ===`);
    const t0 = Date.now();
    const child = spawnSync(process.execPath, ['--conditions=@cosearch/source', '--import', 'tsx', join(benchDir, file)], {
      cwd: repoRoot,
      stdio: 'inherit',
      env: process.env,
    });
    const seconds = (Date.now() - t0) / 1000;
    const ok = child.status === 0;
    const detail = child.error ? child.error.message : child.signal ? `killed by ${child.signal}` : `exit ${child.status}`;
    results.push({ name, ok, seconds, detail });
    console.log(`=== ${name}: ${ok ? 'ok' : `FAILED (${detail})`} in ${seconds.toFixed(1)} s ===`);
  }
  const total = (Date.now() - start) / 1000;
  console.log('\nbenchmark summary');
  for (const r of results) console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.name.padEnd(24)} ${r.seconds.toFixed(1).padStart(8)} s${r.ok ? '' : `  (${r.detail})`}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`total ${total.toFixed(1)} s, ${results.length - failed} ok, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = main();
