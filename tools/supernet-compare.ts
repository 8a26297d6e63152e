/**
 * Two-phase vs single-phase supernet training at the same total step budget (issue 4, "Done
 * when"). For each mode: train a supernet from the same seed, then report the inherited
 * validation accuracy of the same 20 random hybrid subnets (mean, worst), the fraction of
 * negative per-tensor gradient cosines (largest vs sampled subnets), and Kendall τ between the
 * inherited accuracy and the accuracy after fine-tuning each of 10 of those subnets alone.
 *
 *   node --conditions=@cosearch/source --import tsx tools/supernet-compare.ts [--steps 500] [--limit 10000]
 *        [--batch-size 64] [--finetune-steps 60] [--random 20] [--ranked 10] [--seed 0] [--out /tmp/supernet/compare]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '@cosearch/backend';
import { loadDataset } from '@cosearch/datasets';
import {
  defaultSupernetConfig, evaluateSubnet, finetuneSubnet, kendallTau, randomHybridArchs, Supernet, trainSupernet, type TrainMode,
} from '@cosearch/supernet';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
function sarg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
}

async function main(): Promise<void> {
  const steps = arg('steps', 500);
  const limit = arg('limit', 10000);
  const bs = arg('batch-size', 64);
  const ftSteps = arg('finetune-steps', 60);
  const nRandom = arg('random', 20);
  const nRanked = arg('ranked', 10);
  const seed = arg('seed', 0);
  const out = sarg('out', '/tmp/supernet/compare');
  fs.mkdirSync(out, { recursive: true });
  const backend = await initBackend();
  const data = loadDataset({ name: 'mnist', seed, limit });
  const cfg = defaultSupernetConfig();
  const log = (l: string) => process.stderr.write(l + '\n');
  const rows: Record<string, unknown>[] = [];
  for (const mode of ['two', 'one'] as TrainMode[]) {
    const net = Supernet.create(cfg, seed);
    const summary = await trainSupernet(net, data, { mode, steps, batchSize: bs, seed, conflictEvery: 5, logEvery: 25, log });
    const archs = randomHybridArchs(net, nRandom, seed);
    const inherited: number[] = [];
    for (const a of archs) inherited.push((await evaluateSubnet(net, a, data.val, { calibration: data.train })).accuracy);
    const tuned: number[] = [];
    for (let i = 0; i < Math.min(nRanked, archs.length); i++) {
      tuned.push(await finetuneSubnet(net, archs[i], data, { steps: ftSteps, batchSize: bs, seed: seed + i, lr: 1e-3 }));
      log(`[compare] ${mode}: fine-tuned ${i + 1}/${nRanked}: inherited ${inherited[i].toFixed(4)} → ${tuned[i].toFixed(4)}`);
    }
    const all = summary.phases.reduce(
      (acc, p) => {
        const g = p.conflict.all;
        const h = p.conflict.hybrid;
        acc.t += g.tensorCosines; acc.neg += g.negativeTensorFraction * g.tensorCosines || 0;
        if (h) { acc.ht += h.tensorCosines; acc.hneg += h.negativeTensorFraction * h.tensorCosines || 0; }
        return acc;
      },
      { t: 0, neg: 0, ht: 0, hneg: 0 },
    );
    const row = {
      mode,
      steps,
      meanAcc: inherited.reduce((a, b) => a + b, 0) / inherited.length,
      worstAcc: Math.min(...inherited),
      negCosAll: all.neg / all.t,
      negCosHybrid: all.ht ? all.hneg / all.ht : NaN,
      kendallTau: kendallTau(inherited.slice(0, tuned.length), tuned),
      cpuSeconds: summary.cpuSeconds,
      wallSeconds: summary.wallSeconds,
      inherited,
      tuned,
      phases: summary.phases,
    };
    rows.push(row);
    fs.writeFileSync(path.join(out, `${mode}.json`), JSON.stringify(row, null, 1));
    net.dispose();
  }
  const pct = (x: unknown) => `${(100 * (x as number)).toFixed(2)}%`;
  const table = [
    `MNIST (embedded, limit ${limit}: train ${data.train.n}, val ${data.val.n}), ${steps} steps × batch ${bs}, sandwich-v1, backend ${backend}; ` +
      `${nRandom} random hybrid subnets; τ over ${nRanked} subnets fine-tuned ${ftSteps} steps alone`,
    '',
    '| training | mean acc (20 hybrid) | worst acc | negative cosines (all) | negative cosines (hybrid subnets) | Kendall τ | CPU s |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.mode}-phase | ${pct(r.meanAcc)} | ${pct(r.worstAcc)} | ${pct(r.negCosAll)} | ${pct(r.negCosHybrid)} | ${(r.kendallTau as number).toFixed(3)} | ${(r.cpuSeconds as number).toFixed(0)} |`),
  ].join('\n');
  fs.writeFileSync(path.join(out, 'table.md'), table + '\n');
  process.stdout.write(table + '\n');
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
