import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { ConfigError, DataError } from '@cosearch/core';
import { initBackend } from '@cosearch/backend';
import { loadDataset } from '@cosearch/datasets';
import { defaultSupernetConfig, subnetReport, Supernet, TRAIN_DEFAULTS, trainSupernet, validatePhases, validateSupernetConfig, type TrainMode } from '@cosearch/supernet';

interface Args {
  dataset: string; dataPath?: string; limit?: number; out: string; phases: string; epochs?: number; steps?: number;
  batchSize: number; lr?: number; sampling: string; random?: number; seed: number; config?: string; resume: boolean;
  evalRandom: number; quiet: boolean; augmentShift?: number; labelSmoothing?: number; phase1Fraction?: number;
  schedule?: string; init?: string;
}

function readJson(file: string): unknown {
  if (!fs.existsSync(file)) throw new DataError(file, 'not found');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(file, `not valid JSON (${(e as Error).message})`);
  }
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export const trainSupernetCommand: CommandModule<object, Args> = {
  command: 'train-supernet',
  describe: 'train the hybrid CNN/ViT weight-sharing supernet (two-phase by default) and write a checkpoint + summary.json',
  builder: (y) =>
    y
      .option('dataset', { type: 'string', default: 'mnist', describe: 'dataset name (mnist, fashion-mnist, cifar10, synthetic, ...)' })
      .option('data-path', { type: 'string', describe: 'dataset folder (fashion-mnist, cifar)' })
      .option('limit', { type: 'number', describe: 'use at most this many samples (stratified)' })
      .option('out', { type: 'string', demandOption: true, describe: 'checkpoint folder' })
      .option('phases', { type: 'string', choices: ['two', 'one'], default: 'two', describe: 'two-phase (CNN first, then hybrid) or single-phase' })
      .option('epochs', { type: 'number', describe: `total epochs over the training split (default ${TRAIN_DEFAULTS.epochs})` })
      .option('steps', { type: 'number', describe: 'total steps (overrides --epochs)' })
      .option('batch-size', { type: 'number', default: 64 })
      .option('lr', { type: 'number', describe: 'peak learning rate (default 1e-2)' })
      .option('sampling', { type: 'string', default: 'sandwich-v1', describe: 'sampling strategy (cosearch list sampling)' })
      .option('random', { type: 'number', describe: `sandwich: random subnets per step (default ${TRAIN_DEFAULTS.random})` })
      .option('augment-shift', { type: 'number', describe: `random-translation augmentation, max shift in pixels (default ${TRAIN_DEFAULTS.augmentShift}; 0 = off)` })
      .option('label-smoothing', { type: 'number', describe: `label smoothing ε (default ${TRAIN_DEFAULTS.labelSmoothing})` })
      .option('phase1-fraction', { type: 'number', describe: 'two-phase: share of the steps in the CNN-only phase (default 0.5)' })
      .option('schedule', { type: 'string', describe: 'JSON file with explicit phases (list of {name, steps, lr, warmupSteps, vitProbability, sampling, samplingParams, ...}); overrides --phases/--epochs/--steps' })
      .option('init', { type: 'string', describe: 'warm-start from this checkpoint\'s weights and optimiser state (a new schedule; unlike --resume)' })
      .option('seed', { type: 'number', default: 0 })
      .option('config', { type: 'string', describe: 'supernet config JSON (default: the dataset shape\'s default space)' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue from the checkpoint in --out' })
      .option('eval-random', { type: 'number', default: 20, describe: 'random hybrid subnets scored in the summary' })
      .option('quiet', { type: 'boolean', default: false }) as never,
  handler: async (a) => {
    for (const [k, v] of [['--epochs', a.epochs], ['--steps', a.steps], ['--limit', a.limit]] as const) {
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new ConfigError(k, v, 'a positive number');
    }
    if (!Number.isInteger(a.batchSize) || a.batchSize < 1) throw new ConfigError('--batch-size', a.batchSize, 'a positive integer');
    await initBackend({ quiet: a.quiet });
    const data = loadDataset({ name: a.dataset, path: a.dataPath, seed: a.seed, limit: a.limit });
    const t = data.train;
    let net: Supernet;
    if (a.resume && a.init) throw new ConfigError('--init', a.init, 'not together with --resume');
    if (a.resume || a.init) {
      net = await Supernet.load(a.resume ? a.out : a.init!);
    } else {
      const cfg = a.config
        ? validateSupernetConfig(readJson(a.config), a.config)
        : defaultSupernetConfig({ height: t.height, width: t.width, channels: t.channels, numClasses: t.numClasses });
      net = Supernet.create(cfg, a.seed);
    }
    const phases = a.schedule ? validatePhases(readJson(a.schedule), a.schedule) : undefined;
    const summary = await trainSupernet(net, data, {
      phases,
      mode: a.phases as TrainMode, epochs: a.epochs, steps: a.steps, batchSize: a.batchSize, lr: a.lr, seed: a.seed,
      sampling: a.sampling, samplingParams: a.random === undefined ? undefined : { random: a.random },
      augmentShift: a.augmentShift, labelSmoothing: a.labelSmoothing, phase1Fraction: a.phase1Fraction,
      resume: a.resume, checkpointDir: a.out, checkpointEvery: 200, quiet: a.quiet,
    });
    if (!a.quiet) process.stderr.write(`[supernet] scoring largest, smallest and ${a.evalRandom} random hybrid subnets\n`);
    const report = await subnetReport(net, data, { random: a.evalRandom, seed: a.seed });
    fs.writeFileSync(path.join(a.out, 'summary.json'), JSON.stringify({ dataset: data.name, config: net.config, train: summary, report }, null, 1));
    const conflict = summary.phases.map((p) => `${p.name}: ${Object.entries(p.conflict).map(([g, s]) => `${g} neg ${pct(s.negativeTensorFraction)} (n=${s.tensorCosines})`).join(', ')}`).join('; ');
    process.stdout.write(
      [
        `trained ${summary.steps} steps (${summary.mode}-phase) in ${summary.wallSeconds.toFixed(0)} s wall, ${summary.cpuSeconds.toFixed(0)} s CPU, ${summary.imagesPerSecond.toFixed(1)} img/s`,
        `largest  val ${pct(report.largest.valAccuracy)}  test ${pct(report.largest.testAccuracy)}  MACs ${report.largest.macs}`,
        `smallest val ${pct(report.smallest.valAccuracy)}  test ${pct(report.smallest.testAccuracy)}  MACs ${report.smallest.macs}`,
        `${report.random.length} random hybrid: val mean ${pct(report.randomMeanVal)} worst ${pct(report.randomWorstVal)}; test mean ${pct(report.randomMeanTest)} worst ${pct(report.randomWorstTest)}`,
        `negative gradient cosines per tensor: ${conflict}`,
        `checkpoint: ${a.out}  summary: ${path.join(a.out, 'summary.json')}`,
      ].join('\n') + '\n',
    );
    net.dispose();
  },
};
