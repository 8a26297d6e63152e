import { checkNumber, Rng } from '@cosearch/core';
import type { ImageSet } from '@cosearch/datasets';
import { validateCrossbarConfig, type CrossbarConfig } from './crossbar/config';
import { resolveDevice } from './devices/presets';
import type { DeviceParams } from './devices/types';
import { buildArch } from './model/arch';
import { accuracyOf } from './model/infer';
import type { TrainedModel } from './model/trained';
import { programWeights, type ProgramWeightsOptions } from './program-weights';

// simple-statistics is an ES module package whose types TypeScript refuses to `require` under
// node16 resolution; its CommonJS build loads fine, so it is required with a typed cast.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ss = require('simple-statistics') as { mean(x: number[]): number; sampleStandardDeviation(x: number[]): number };

export interface ChipEvalOptions {
  device: DeviceParams | string;
  /** Number of independently programmed chips (≥ 1; ≥ 10 for a mean ± std). */
  chips?: number;
  crossbar?: Partial<CrossbarConfig>;
  /** Ideal periphery (no DAC/ADC/output noise) instead of the crossbar model. */
  idealPeriphery?: boolean;
  weightBits?: number;
  programmingNoise?: number;
  stuckProbability?: number;
  drift?: ProgramWeightsOptions['drift'];
  seed?: number;
}

export interface ChipEvalResult {
  accuracies: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
  chips: number;
}

/**
 * Accuracy of a trained network programmed onto `chips` simulated chips (Monte Carlo, each chip
 * seeded from `seed`): programWeights per layer (quantised levels, programming noise, stuck
 * devices, drift), one read with the device's read noise, then inference through the crossbar
 * model (DAC, tile partial sums with output noise, ADC). Mean ± sample std over chips.
 */
export function evaluateOnChips(model: TrainedModel, set: ImageSet, opts: ChipEvalOptions): ChipEvalResult {
  const device = resolveDevice(opts.device);
  const chips = checkNumber(opts.chips ?? 10, 'chips', { integer: true, min: 1 });
  const crossbar = opts.idealPeriphery ? null : validateCrossbarConfig(opts.crossbar ?? {});
  const arch = buildArch(model.model, model.inputShape, model.numClasses);
  const root = new Rng(opts.seed ?? 1);
  const weightBits = opts.weightBits ?? model.weightBits;
  const accuracies: number[] = [];
  for (let c = 0; c < chips; c++) {
    const chipRng = root.fork(`chip-${c}`);
    const weights = model.layers.map((l) => {
      const w = programWeights(l.weights, { ...opts, device, weightBits, rng: chipRng.fork(l.name) });
      return addReadNoise(w, device.readNoise, chipRng.fork(`read-${l.name}`));
    });
    const wScales = model.layers.map((l) => l.weights.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1);
    accuracies.push(
      accuracyOf({ arch, weights, biases: model.layers.map((l) => l.bias), clips: model.clips, crossbar, wScales, seed: chipRng.fork('mvm').nextSeed() }, set),
    );
  }
  return {
    accuracies,
    mean: ss.mean(accuracies),
    std: accuracies.length > 1 ? ss.sampleStandardDeviation(accuracies) : 0,
    min: Math.min(...accuracies),
    max: Math.max(...accuracies),
    chips,
  };
}

/** One read of a programmed pair: N(0, 2·readNoise²) of the full scale max|W| per weight. */
function addReadNoise(w: Float32Array, readNoise: number, rng: Rng): Float32Array {
  if (readNoise === 0) return w;
  let m = 0;
  for (const v of w) m = Math.max(m, Math.abs(v));
  const sd = readNoise * Math.SQRT2 * m;
  return w.map((v) => v + sd * rng.normal());
}
