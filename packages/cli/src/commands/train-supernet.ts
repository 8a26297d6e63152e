import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { checkNumber, ConfigError, DataError, Rng } from '@cosearch/core';
import { initBackend, tf } from '@cosearch/backend';
import { loadDataset } from '@cosearch/datasets';
import { cimTileParams, getHardwarePreset, loadHardwareConfig } from '@cosearch/hardware';
import { createCimAwareLinear, resolveDevice } from '@cosearch/cim-training';
import {
  defaultSupernetConfig, hardwareAwarePhase, HARDWARE_AWARE_DEFAULTS, subnetReport, Supernet, TRAIN_DEFAULTS, trainSupernet, validatePhases, validateSupernetConfig,
  type LinearOverrideFactory, type TrainMode,
} from '@cosearch/supernet';

interface Args {
  dataset: string; dataPath?: string; limit?: number; out: string; phases: string; epochs?: number; steps?: number;
  batchSize: number; lr?: number; sampling: string; random?: number; seed: number; config?: string; resume: boolean;
  evalRandom: number; quiet: boolean; augmentShift?: number; labelSmoothing?: number; phase1Fraction?: number;
  schedule?: string; init?: string;
  hardwareAware?: number; hardwareAwareOnly: boolean; hwaLr?: number; hwaHardware: string; hwaDevice: string;
  hwaAdcBits?: string; hwaInputBits: number; hwaWeightBits: number; hwaNoise?: number;
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

/**
 * The per-step override of the hardware-aware phase: @cosearch/cim-training's CIM-aware op at
 * the tile of `--hwa-hardware` (hardware's `cimTileParams`), fresh programming noise and an ADC
 * precision drawn from `--hwa-adc-bits` per call. Built once here so bad options fail before training.
 */
function cimAwareFactory(a: Args): { factory: LinearOverrideFactory; describe: string } {
  const hw = a.hwaHardware.endsWith('.json') ? loadHardwareConfig(readJson(a.hwaHardware)) : getHardwarePreset(a.hwaHardware);
  const tile = cimTileParams(hw);
  if (!tile) throw new ConfigError('--hwa-hardware', a.hwaHardware, 'a hardware config with a CIM engine (e.g. edge-npu-cim-v1)');
  const device = resolveDevice(a.hwaDevice);
  const adc = a.hwaAdcBits === undefined ? [tile.adcBits, tile.adcBits + 1, tile.adcBits + 2] : String(a.hwaAdcBits).split(',').map((b, i) => {
    if (b.trim() === '' || !Number.isFinite(Number(b))) throw new ConfigError(`--hwa-adc-bits[${i}]`, b, 'an integer from 0 (ideal ADC) to 24');
    return checkNumber(Number(b), `--hwa-adc-bits[${i}]`, { integer: true, min: 0, max: 24 });
  });
  checkNumber(a.hwaInputBits, '--hwa-input-bits', { integer: true, min: 2, max: 16 });
  checkNumber(a.hwaWeightBits, '--hwa-weight-bits', { integer: true, min: 2, max: 16 });
  const noise = a.hwaNoise ?? device.programmingNoise;
  const factory: LinearOverrideFactory = ({ rng }) => {
    const op = createCimAwareLinear({ tile, device: a.hwaDevice, inputBits: a.hwaInputBits, weightBits: a.hwaWeightBits, adcBitsChoices: adc, programmingNoise: noise, rng });
    // The op's partial-sum ADC step is per input vector and 0 for an all-zero vector (a depthwise
    // patch after ReLU6, padding), which gives 0/0 = NaN; offsetting x by 1e-20 leaves every
    // non-zero value unchanged in float32 and keeps such vectors' products at ≈ 0.
    return (call, x, w) => op(call, tf.add(x, 1e-20) as tf.Tensor3D, w);
  };
  factory({ phase: 'check', step: 0, rng: new Rng(0) }); // validates tile, bits, noise
  const t = tile;
  return { factory, describe: `CIM-aware: ${t.rows}×${t.cols} tile, ${t.cellBits}-bit cells, ${t.dacBits}-bit DAC, ADC bits ${adc.join('/')}, ${a.hwaDevice} (noise ${noise}), ${a.hwaInputBits}-bit inputs, ${a.hwaWeightBits}-bit weights` };
}

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
      .option('hardware-aware', { type: 'number', describe: 'steps of a hardware-aware phase (CIM effects in every weight op, cim-training\'s CIM-aware op) after the other phases' })
      .option('hardware-aware-only', { type: 'boolean', default: false, describe: 'with --init (or --resume of such a run): run only the hardware-aware phase (a fine-tune of a trained supernet)' })
      .option('hwa-lr', { type: 'number', describe: `hardware-aware phase peak lr (default ${HARDWARE_AWARE_DEFAULTS.lr})` })
      .option('hwa-hardware', { type: 'string', default: 'edge-npu-cim-v1', describe: 'hardware preset or JSON file whose CIM tile the phase trains for' })
      .option('hwa-device', { type: 'string', default: 'rram-neurram-v1', describe: 'CIM device preset (cosearch list devices)' })
      .option('hwa-adc-bits', { type: 'string', describe: 'ADC precisions sampled per call, comma-separated (0 = ideal; default: the tile\'s, +1, +2)' })
      .option('hwa-input-bits', { type: 'number', default: 8, describe: 'activation bits through the DACs' })
      .option('hwa-weight-bits', { type: 'number', default: 4, describe: 'signed weight bits on the crossbars' })
      .option('hwa-noise', { type: 'number', describe: 'programming noise, fraction of the device range (default: the device\'s)' })
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
    let phases = a.schedule ? validatePhases(readJson(a.schedule), a.schedule) : undefined;
    let linearOverride: LinearOverrideFactory | undefined;
    if (a.hardwareAwareOnly && a.hardwareAware === undefined) throw new ConfigError('--hardware-aware-only', true, 'together with --hardware-aware STEPS');
    if (a.hardwareAware !== undefined) {
      checkNumber(a.hardwareAware, '--hardware-aware', { integer: true, min: 1 });
      const cim = cimAwareFactory(a);
      linearOverride = cim.factory;
      if (!a.quiet) process.stderr.write(`[supernet] hardware-aware phase: ${a.hardwareAware} steps, ${cim.describe}\n`);
      const hwa = hardwareAwarePhase({ steps: a.hardwareAware, lr: a.hwaLr, samplingParams: { random: a.random ?? TRAIN_DEFAULTS.random } });
      if (a.hardwareAwareOnly) {
        if (!a.init && !a.resume) throw new ConfigError('--hardware-aware-only', true, 'with --init DIR (a trained supernet) or --resume');
        if (a.schedule || a.steps !== undefined || a.epochs !== undefined) throw new ConfigError('--hardware-aware-only', true, 'without --schedule, --steps or --epochs (it runs the hardware-aware phase alone)');
        phases = [hwa];
      } else if (phases) {
        phases = [...phases, hwa];
      }
    }
    const summary = await trainSupernet(net, data, {
      phases, linearOverride,
      ...(a.hardwareAware !== undefined && !phases ? { hardwareAwareSteps: a.hardwareAware, hardwareAwareLr: a.hwaLr } : {}),
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
