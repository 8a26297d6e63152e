/**
 * Two-phase vs single-phase supernet training at the same total step budget (issue 4, "Done
 * when"). For each mode: train a supernet from the same seed, then report the inherited
 * validation accuracy of the same 20 random hybrid subnets (mean, worst), the fraction of
 * negative per-tensor gradient cosines (largest vs sampled subnets), and Kendall τ between the
 * inherited accuracy and the accuracy after fine-tuning each of 10 of those subnets alone.
 *
 * The training recipe is the default training's (`TRAIN_DEFAULTS`: epochs, batch, sandwich random
 * subnets, augmentation, label smoothing) unless overridden, so the default invocation compares
 * the two modes at the default training budget.
 *
 *   npm run compare -w @cosearch/supernet -- [options]     (or: node --conditions=@cosearch/source --import tsx tools/supernet-compare.ts)
 *     [--epochs E | --steps S] [--limit 10000] [--batch-size B] [--sandwich-random R] [--augment-shift P] [--label-smoothing ε]
 *     [--finetune-steps 60] [--random 20] [--ranked 10] [--seed 0] [--modes two,one] [--out /tmp/supernet/compare]
 *
 * `--modes two` and `--modes one` may run as two processes into the same `--out` (one per core);
 * the table is built from every `<mode>.json` found there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '@cosearch/backend';
import { loadDataset } from '@cosearch/datasets';
import {
  defaultSupernetConfig, evaluateSubnet, finetuneSubnet, kendallTau, largestArch, randomHybridArchs, smallestArch, Supernet, TRAIN_DEFAULTS, trainSupernet, type TrainMode,
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
  // No limit by default: the same 8000/1000/1000 split as `cosearch train-supernet` (a limit re-samples).
  const limitArg = arg('limit', NaN);
  const limit = Number.isNaN(limitArg) ? undefined : limitArg;
  const bs = arg('batch-size', TRAIN_DEFAULTS.batchSize);
  const sandwichRandom = arg('sandwich-random', TRAIN_DEFAULTS.random);
  const augmentShift = arg('augment-shift', TRAIN_DEFAULTS.augmentShift);
  const labelSmoothing = arg('label-smoothing', TRAIN_DEFAULTS.labelSmoothing);
  const modes = sarg('modes', 'two,one').split(',') as TrainMode[];
  const ftSteps = arg('finetune-steps', 60);
  const nRandom = arg('random', 20);
  const nRanked = arg('ranked', 10);
  const seed = arg('seed', 0);
  const out = sarg('out', '/tmp/supernet/compare');
  fs.mkdirSync(out, { recursive: true });
  const backend = await initBackend();
  const data = loadDataset({ name: 'mnist', seed, limit });
  const steps = arg('steps', Math.round(arg('epochs', TRAIN_DEFAULTS.epochs) * Math.floor(data.train.n / bs)));
  const recipe = { sandwichRandom, augmentShift, labelSmoothing };
  const cfg = defaultSupernetConfig();
  const log = (l: string) => process.stderr.write(l + '\n');
  for (const mode of modes) {
    if (mode !== 'two' && mode !== 'one') throw new Error(`--modes: unknown mode ${mode} (allowed: two, one)`);
    const net = Supernet.create(cfg, seed);
    const summary = await trainSupernet(net, data, {
      mode, steps, batchSize: bs, seed, samplingParams: { random: sandwichRandom }, augmentShift, labelSmoothing, logEvery: 25, log,
    });
    await net.save(path.join(out, `${mode}-checkpoint`));
    const extreme = async (arch: ReturnType<typeof largestArch>) => ({
      val: (await evaluateSubnet(net, arch, data.val, { calibration: data.train })).accuracy,
      test: (await evaluateSubnet(net, arch, data.test, { calibration: data.train })).accuracy,
    });
    const largest = await extreme(largestArch(cfg));
    const smallest = await extreme(smallestArch(cfg));
    log(`[compare] ${mode}: largest val ${largest.val} test ${largest.test}; smallest val ${smallest.val} test ${smallest.test}`);
    const archs = randomHybridArchs(net, nRandom, seed);
    const inherited: number[] = [];
    const inheritedTest: number[] = [];
    for (const a of archs) {
      inherited.push((await evaluateSubnet(net, a, data.val, { calibration: data.train })).accuracy);
      inheritedTest.push((await evaluateSubnet(net, a, data.test, { calibration: data.train })).accuracy);
    }
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
      batchSize: bs,
      limit,
      recipe,
      finetuneSteps: ftSteps,
      largest,
      smallest,
      meanAcc: inherited.reduce((a, b) => a + b, 0) / inherited.length,
      worstAcc: Math.min(...inherited),
      meanTestAcc: inheritedTest.reduce((a, b) => a + b, 0) / inheritedTest.length,
      worstTestAcc: Math.min(...inheritedTest),
      negCosAll: all.neg / all.t,
      negCosHybrid: all.ht ? all.hneg / all.ht : NaN,
      kendallTau: kendallTau(inherited.slice(0, tuned.length), tuned),
      cpuSeconds: summary.cpuSeconds,
      wallSeconds: summary.wallSeconds,
      inherited,
      inheritedTest,
      tuned,
      phases: summary.phases,
    };
    fs.writeFileSync(path.join(out, `${mode}.json`), JSON.stringify(row, null, 1));
    net.dispose();
  }
  // Every mode's result in the folder (this process's and a concurrent `--modes` process's).
  const rows = ['two', 'one'].filter((m) => fs.existsSync(path.join(out, `${m}.json`))).map((m) => JSON.parse(fs.readFileSync(path.join(out, `${m}.json`), 'utf8')) as Record<string, unknown>);
  const pct = (x: unknown) => `${(100 * (x as number)).toFixed(2)}%`;
  const table = [
    `MNIST (embedded${limit ? `, limit ${limit}` : ''}: train ${data.train.n}, val ${data.val.n}, test ${data.test.n}), ${steps} steps × batch ${bs}, sandwich-v1 with ${sandwichRandom} random, ` +
      `augment shift ${augmentShift}, label smoothing ${labelSmoothing}, backend ${backend}; ${nRandom} random hybrid subnets; τ over ${nRanked} subnets fine-tuned ${ftSteps} steps alone`,
    '',
    `| training | mean acc val (${nRandom} hybrid) | worst val | mean / worst test | negative cosines (all) | negative cosines (hybrid subnets) | Kendall τ | CPU s (training) |`,
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.mode}-phase | ${pct(r.meanAcc)} | ${pct(r.worstAcc)} | ${pct(r.meanTestAcc)} / ${pct(r.worstTestAcc)} | ${pct(r.negCosAll)} | ${pct(r.negCosHybrid)} | ${(r.kendallTau as number).toFixed(3)} | ${(r.cpuSeconds as number).toFixed(0)} |`),
    '',
    ...rows.map((r) => {
      const l = r.largest as { val: number; test: number }, m = r.smallest as { val: number; test: number };
      return `${r.mode}-phase: largest val ${pct(l.val)} test ${pct(l.test)}; smallest val ${pct(m.val)} test ${pct(m.test)}; training ${(r.cpuSeconds as number).toFixed(0)} s CPU, ${(r.wallSeconds as number).toFixed(0)} s wall`;
    }),
  ].join('\n');
  fs.writeFileSync(path.join(out, 'table.md'), table + '\n');
  process.stdout.write(table + '\n');
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
