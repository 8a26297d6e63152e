/**
 * Runner benchmark: end-to-end time of the default MNIST co-search (experiments/default-mnist.json)
 * and where it goes — supernet evaluation (inherited accuracy + CIM chips), hardware model,
 * policy (ask + tell), and the rest (runner: cache, log fsync, checkpoints, thread messaging).
 *
 * Default: the default experiment at a reduced budget (BENCH_BUDGET, default 60 evaluations) so
 * `npm run bench` stays short; BENCH_BUDGET=300 runs it at its full size. Supernet training is
 * timed separately when no checkpoint is cached (.cosearch-cache, shared with `npm start`).
 * Peer in the same run: the same loop on the closed-form `synthetic-v1` problem (what the
 * runner itself costs per evaluation).
 *
 *   node --conditions=@cosearch/source --import tsx tools/bench/runner.bench.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfigFile, startRun, type RunResult } from '@cosearch/runner';
import '@cosearch/problem'; // registers cosearch-v1

const ROOT = path.resolve(__dirname, '..', '..');
const budget = Number(process.env.BENCH_BUDGET ?? 60);
const workers = Number(process.env.BENCH_WORKERS ?? os.availableParallelism?.() ?? os.cpus().length);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-bench-runner-'));

function sum(r: RunResult, key: string): number {
  return r.records.reduce((s, x) => s + (x.timing?.[key] ?? 0), 0);
}

async function timed(label: string, config: unknown, out: string): Promise<{ r: RunResult; wallS: number }> {
  const t0 = performance.now();
  const r = await startRun(config, { out, workers, progress: null, cacheDir: path.join(ROOT, '.cosearch-cache') });
  const wallS = (performance.now() - t0) / 1000;
  console.log(`${label}: ${r.records.length} evaluations in ${wallS.toFixed(1)} s wall (${workers} workers)`);
  return { r, wallS };
}

async function main(): Promise<void> {
  const base = readConfigFile(path.join(ROOT, 'experiments', 'default-mnist.json')) as Record<string, unknown>;
  const cfg: Record<string, unknown> = { ...base, search: { ...(base.search as object), budget } };
  if (budget !== 300) {
    // keep the multi-phase schedule's shape at the reduced budget
    const params = (base.policy as { params: { phases: { budget: number }[] } }).params;
    const phases = params.phases.map((p) => ({ ...p, budget: Math.max(1, Math.round((p.budget * budget) / 300)) }));
    cfg.policy = { ...(base.policy as object), params: { ...params, phases } };
  }
  console.log(`default-mnist co-search, budget ${budget} (full: 300), machine: ${os.cpus().length} cores (shared; figures vary with load)`);

  const { r, wallS } = await timed('default-mnist', cfg, path.join(tmp, 'default'));
  const timings = JSON.parse(fs.readFileSync(path.join(r.dir, 'timings.json'), 'utf8')) as Record<string, number>;
  const supernetS = sum(r, 'supernetS') + sum(r, 'cimS');
  const hardwareS = sum(r, 'hardwareS');
  const policyS = timings.policyS;
  const searchS = timings.wallS;
  const prepS = wallS - searchS;
  console.log(`  before the search (supernet training if not cached, worker start-up): ${prepS.toFixed(1)} s`);
  console.log(`  search loop wall: ${searchS.toFixed(1)} s; evaluator time summed over workers:`);
  const total = supernetS + hardwareS + policyS;
  const row = (name: string, s: number) => console.log(`    ${name.padEnd(30)} ${s.toFixed(2).padStart(8)} s  ${((100 * s) / total).toFixed(1).padStart(5)} %`);
  row('supernet eval (incl. CIM chips)', supernetS);
  row('  of which CIM chips', sum(r, 'cimS'));
  row('hardware model', hardwareS);
  row('policy (ask + tell)', policyS);
  const perEval = (searchS / r.records.length) * 1000;
  console.log(`  per evaluation: ${perEval.toFixed(0)} ms wall; hardware model ${((1000 * hardwareS) / r.records.filter((x) => !x.cached).length).toFixed(2)} ms per call`);

  const syn = {
    name: 'bench-synthetic', problem: 'synthetic-v1', seed: 1,
    reward: { name: 'mnasnet-v1', targets: [{ metric: 'latencyS', target: 2e-6 }] },
    policy: { name: 'multi-phase-v1', params: { policy: 'reinforce-v1', phaseBudget: 60 } },
    search: { budget: 300, batchSize: 10 },
  };
  const s = await timed('peer: synthetic-v1, 300 evaluations (runner + policy only)', syn, path.join(tmp, 'synthetic'));
  const synPer = (s.wallS / s.r.records.length) * 1000;
  console.log(`  per evaluation: ${synPer.toFixed(2)} ms wall (log fsync, cache, checkpoint, worker messaging, policy)`);
  console.log(`ratio default-mnist / synthetic per evaluation: ${(perEval / synPer).toFixed(0)}×`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
