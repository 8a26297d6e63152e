import type { CommandModule } from 'yargs';
import { initBackend } from '@cosearch/backend';
import { loadDataset, type DatasetConfig } from '@cosearch/datasets';
import { evaluateOnChips, loadTrainedModel } from '@cosearch/cim-training';

interface Args {
  model: string;
  device: string;
  chips: number;
  dataset: string;
  split: 'test' | 'val';
  weightBits?: number;
  programmingNoise?: number;
  stuck?: number;
  adcBits?: number;
  dacBits?: number;
  idealPeriphery: boolean;
  driftNu?: number;
  driftTime?: number;
  seed: number;
  json: boolean;
}

export const cimEvalCommand: CommandModule<object, Args> = {
  command: 'cim-eval',
  describe: 'accuracy of a trained network (cim-train --out DIR) programmed onto N simulated chips, mean ± std',
  builder: (y) =>
    y
      .option('model', { type: 'string', demandOption: true, describe: 'folder written by cim-train --out' })
      .option('device', { type: 'string', default: 'rram-neurram-v1', describe: 'device preset' })
      .option('chips', { type: 'number', default: 10 })
      .option('dataset', { type: 'string', default: 'mnist' })
      .option('split', { choices: ['test', 'val'] as const, default: 'test' as const })
      .option('weight-bits', { type: 'number', describe: 'weight bits (default: the model\'s, else the device levels)' })
      .option('programming-noise', { type: 'number', describe: 'σ of a programmed weight / max|W| (default: the device\'s)' })
      .option('stuck', { type: 'number', describe: 'probability of a stuck device (default: the device\'s)' })
      .option('adc-bits', { type: 'number' })
      .option('dac-bits', { type: 'number' })
      .option('drift-nu', { type: 'number', describe: 'conductance drift exponent ν: G·(t/1 s)^−ν' })
      .option('drift-time', { type: 'number', describe: 'time since programming (s) for --drift-nu' })
      .option('ideal-periphery', { type: 'boolean', default: false, describe: 'no DAC/ADC/output noise' })
      .option('seed', { type: 'number', default: 1 })
      .option('json', { type: 'boolean', default: false }) as never,
  handler: async (a) => {
    await initBackend({ quiet: a.json });
    const model = loadTrainedModel(a.model);
    const data = loadDataset({ name: a.dataset as DatasetConfig['name'] });
    const crossbar: Record<string, number> = {};
    if (a.adcBits !== undefined) crossbar.adcBits = a.adcBits;
    if (a.dacBits !== undefined) crossbar.dacBits = a.dacBits;
    const r = evaluateOnChips(model, data[a.split], {
      device: a.device, chips: a.chips, crossbar, idealPeriphery: a.idealPeriphery, weightBits: a.weightBits,
      programmingNoise: a.programmingNoise, stuckProbability: a.stuck, seed: a.seed,
      drift: a.driftNu !== undefined ? { nu: a.driftNu, timeS: a.driftTime ?? 1 } : undefined,
    });
    if (a.json) {
      process.stdout.write(JSON.stringify({ model: a.model, device: a.device, split: a.split, ...r }) + '\n');
      return;
    }
    process.stdout.write(
      `${a.model} on ${r.chips} chips (${a.device}): ${(100 * r.mean).toFixed(2)}% ± ${(100 * r.std).toFixed(2)}%  ` +
        `(min ${(100 * r.min).toFixed(2)}%, max ${(100 * r.max).toFixed(2)}%)\n`,
    );
  },
};
