import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CommandModule } from 'yargs';
import { ConfigError } from '@cosearch/core';
import { initBackend } from '@cosearch/backend';
import { loadDataset, type DatasetConfig } from '@cosearch/datasets';
import { createScheme, saveTrainedModel, TRAIN_DEFAULTS, trainCim, type CimTrainResult } from '@cosearch/cim-training';

interface Args {
  dataset: string;
  model: string;
  scheme: string;
  device: string;
  epochs: number;
  batchSize: number;
  lr: number;
  lrDecay: number;
  seed: number;
  limit: number;
  augmentShift: number;
  schemeParams?: string;
  crossbar?: string;
  out?: string;
  json: boolean;
}

function parseJson(flag: string, text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ConfigError(flag, text, 'a JSON object');
  }
}

/** The summary written to DIR/summary.json and printed by --json (the model weights go to model.json). */
export function trainSummary(r: CimTrainResult): Record<string, unknown> {
  const { model: _model, ...rest } = r;
  return rest;
}

export const cimTrainCommand: CommandModule<object, Args> = {
  command: 'cim-train',
  describe: 'train a network on simulated memristor crossbars (float | naive | mixed-precision | hwa)',
  builder: (y) =>
    y
      .option('dataset', { type: 'string', default: 'mnist', describe: 'dataset name (@cosearch/datasets)' })
      .option('model', { type: 'string', default: 'lenet5', describe: 'network: lenet5 | mlp' })
      .option('scheme', { type: 'string', default: 'mixed-precision', describe: 'float | naive | mixed-precision | hwa (or a registered *-v1 name)' })
      .option('device', { type: 'string', default: TRAIN_DEFAULTS.device, describe: 'device preset (cosearch list devices)' })
      .option('epochs', { type: 'number', default: TRAIN_DEFAULTS.epochs })
      .option('batch-size', { type: 'number', default: TRAIN_DEFAULTS.batchSize })
      .option('lr', { type: 'number', default: TRAIN_DEFAULTS.lr, describe: 'SGD learning rate' })
      .option('lr-decay', { type: 'number', default: TRAIN_DEFAULTS.lrDecay, describe: 'learning-rate factor per epoch' })
      .option('seed', { type: 'number', default: TRAIN_DEFAULTS.seed })
      .option('limit', { type: 'number', default: 0, describe: 'train on the first N training images (0 = all)' })
      .option('augment-shift', { type: 'number', default: TRAIN_DEFAULTS.augmentShift, describe: 'random-shift augmentation: up to ±N pixels per axis (0 = none)' })
      .option('scheme-params', { type: 'string', describe: 'JSON, e.g. \'{"thresholdFactor":2}\' or \'{"noise":0.1}\'' })
      .option('crossbar', { type: 'string', describe: 'JSON crossbar config, e.g. \'{"adcBits":6}\'' })
      .option('out', { type: 'string', describe: 'folder for summary.json and model.json' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' }) as never,
  handler: async (a) => {
    await initBackend({ quiet: a.json });
    const data = loadDataset({ name: a.dataset as DatasetConfig['name'] });
    const log = (line: string) => process.stderr.write(line + '\n');
    const r = await trainCim(data, {
      model: a.model, scheme: a.scheme, device: a.device, epochs: a.epochs, batchSize: a.batchSize, lr: a.lr, lrDecay: a.lrDecay,
      seed: a.seed, trainLimit: a.limit, augmentShift: a.augmentShift, schemeParams: parseJson('--scheme-params', a.schemeParams), crossbar: parseJson('--crossbar', a.crossbar), log,
    });
    const summary = trainSummary(r);
    if (a.out) {
      fs.mkdirSync(a.out, { recursive: true });
      fs.writeFileSync(path.join(a.out, 'summary.json'), JSON.stringify(summary, null, 1));
      saveTrainedModel(r.model, a.out);
    }
    if (a.json) {
      process.stdout.write(JSON.stringify(summary) + '\n');
      return;
    }
    const t = r.accounting.total;
    const lines = [
      `${r.options.scheme}${createScheme(r.options.scheme, r.options.schemeParams).analog ? ` on ${a.device} (${r.options.device.model})` : ''}, ${a.model}, ${a.epochs} epochs`,
      `test accuracy ${(100 * r.testAccuracy).toFixed(2)}%  (val ${(100 * r.valAccuracy).toFixed(2)}%)`,
      `programming pulses ${t.pulses}  devices programmed/update ${t.devicesProgrammedPerUpdate.toFixed(1)}  fraction of weights programmed/update ${t.fractionProgrammedPerUpdate.toFixed(4)}`,
      `write energy ${t.writeEnergyJ.toExponential(3)} J  write latency ${t.writeLatencyS.toExponential(3)} s`,
      ...r.accounting.perLayer.map((l) => `  ${l.layer.padEnd(6)} pulses ${String(l.pulses).padStart(10)}  fraction/update ${l.fractionProgrammedPerUpdate.toFixed(4)}  energy ${l.writeEnergyJ.toExponential(2)} J`),
      a.out ? `wrote ${path.join(a.out, 'summary.json')} and model.json` : '',
    ];
    process.stdout.write(lines.filter(Boolean).join('\n') + '\n');
  },
};
