import * as path from 'node:path';
import { ConfigError, asObject, type CimTileParams, hashString, numberField, oneOf, rejectUnknownKeys, stringField, type Obj } from '@cosearch/core';
import { datasetRegistry, datasetShape as knownShape, loadDataset, validateDatasetConfig, type ResolvedDatasetConfig } from '@cosearch/datasets';
import { cimTileParams, getHardwarePreset, validateHardwareConfig, validateHardwareSpace, type HardwareConfig, type HardwareSpaceOptions } from '@cosearch/hardware';
import { validateSupernetConfig, validateTrainConfig, type SupernetConfig } from '@cosearch/supernet';
import { validateCimAccuracyConfig, type CimAccuracy } from '@cosearch/cim-training';
import { deepMerge, lookup } from '@cosearch/runner';
import { checkCimTile } from './cim-accuracy';

/**
 * Config sections of the `cosearch-v1` problem (network × hardware co-search on a dataset):
 * `dataset`, `network`, `hardware`, `accuracy`. Composed from the validators of the libraries
 * that own each part — datasets (`validateDatasetConfig`, `datasetShape`), supernet
 * (`validateSupernetConfig`, `validateTrainConfig`), hardware (`validateHardwareConfig`,
 * `validateHardwareSpace`), cim-training (`validateCimAccuracyConfig`) — with field paths.
 */
export interface NetworkSection {
  supernet: SupernetConfig;
  /** Supernet checkpoint folder; trained (then saved there) when missing. Null = the shared cache, keyed by a hash of what determines the weights. */
  checkpoint: string | null;
  /** Options of the supernet training run (see @cosearch/supernet), used only when the checkpoint is missing. */
  train: Obj;
  /** Seed of the supernet's initialisation and training. */
  seed: number;
  /** Operand bit width of the layer list handed to the hardware model. */
  bits: number;
}

export interface HardwareSection {
  preset: string;
  /** The preset with `overrides` deep-merged in, validated. */
  base: HardwareConfig;
  space: Omit<HardwareSpaceOptions, 'base'>;
}

// The CIM accuracy options are cim-training's own (re-exported here under their old names).
export { CIM_ACCURACY_MODELS, type CimAccuracy, type CimAccuracyModel } from '@cosearch/cim-training';

export interface AccuracySection {
  split: 'val' | 'test';
  /** Evaluate on the first `samples` images of the split (a fixed subset). */
  samples: number;
  /** BN re-calibration images, drawn from the head of the training split. */
  calibrationSamples: number;
  cim: CimAccuracy | null;
}

export interface CosearchSections {
  dataset: ResolvedDatasetConfig;
  network: NetworkSection;
  hardware: HardwareSection;
  accuracy: AccuracySection;
}

/**
 * Input shape and class count of a dataset config: the datasets package's `datasetShape` (no
 * loading) for the datasets it knows, else (a user-registered dataset) from loading it.
 */
export function datasetShape(d: ResolvedDatasetConfig): { height: number; width: number; channels: number; numClasses: number } {
  const known = knownShape(d);
  if (known) return known;
  const t = loadDataset(d).train;
  return { height: t.height, width: t.width, channels: t.channels, numClasses: t.numClasses };
}

function validateHardware(raw: unknown): HardwareSection {
  const p = 'hardware';
  const o = asObject(raw ?? {}, p);
  rejectUnknownKeys(o, p, ['preset', 'overrides', 'space']);
  const preset = stringField(o, 'preset', p, 'edge-npu-cim-v1');
  const presetConfig = lookup('hardware.preset', 'hardware preset', preset, () => getHardwarePreset(preset));
  let base: HardwareConfig;
  try {
    base = validateHardwareConfig(deepMerge(presetConfig, o.overrides ?? {}));
  } catch (err) {
    // name the field as the user wrote it
    if (err instanceof ConfigError) throw new ConfigError(`hardware.overrides.${err.field.replace(/^hardware\./, '')}`, err.value, err.allowed);
    throw err;
  }
  return { preset, base, space: validateHardwareSpace(o.space, base, 'hardware.space') };
}

function validateNetwork(raw: unknown, shape: ReturnType<typeof datasetShape>, seed: number): NetworkSection {
  const p = 'network';
  const o = asObject(raw ?? {}, p);
  rejectUnknownKeys(o, p, ['supernet', 'checkpoint', 'train', 'seed', 'bits']);
  const sn = asObject(o.supernet ?? {}, 'network.supernet');
  const supernet = validateSupernetConfig(
    { inputHeight: shape.height, inputWidth: shape.width, inputChannels: shape.channels, numClasses: shape.numClasses, ...sn },
    'network.supernet',
  );
  if (supernet.inputHeight !== shape.height || supernet.inputChannels !== shape.channels || supernet.numClasses !== shape.numClasses) {
    throw new ConfigError('network.supernet', sn, `an input shape matching the dataset (${shape.height}×${shape.width}×${shape.channels}, ${shape.numClasses} classes)`);
  }
  return {
    supernet,
    checkpoint: o.checkpoint === undefined ? null : stringField(o, 'checkpoint', p),
    train: validateTrainConfig(o.train, 'network.train') as Obj,
    seed: numberField(o, 'seed', p, { integer: true, min: 0 }, seed),
    bits: numberField(o, 'bits', p, { integer: true, min: 1, max: 32 }, 8),
  };
}

function validateAccuracy(raw: unknown, bits: number): AccuracySection {
  const p = 'accuracy';
  const o = asObject(raw ?? {}, p);
  rejectUnknownKeys(o, p, ['split', 'samples', 'calibrationSamples', 'cim']);
  const cim = validateCimAccuracyConfig(o.cim, 'accuracy.cim', bits);
  return {
    split: oneOf(o.split ?? 'val', 'accuracy.split', ['val', 'test'] as const),
    samples: numberField(o, 'samples', p, { integer: true, min: 1 }, 500),
    calibrationSamples: numberField(o, 'calibrationSamples', p, { integer: true, min: 1 }, 256),
    cim,
  };
}

export function validateCosearchSections(sections: Record<string, unknown>, seed: number): CosearchSections {
  if (sections.dataset === undefined) {
    throw new ConfigError('dataset', undefined, `an object {name: ${datasetRegistry.names().map((n) => JSON.stringify(n)).join(' | ')}, ...}`);
  }
  const dataset = validateDatasetConfig(sections.dataset, datasetRegistry.names());
  const network = validateNetwork(sections.network, datasetShape(dataset), seed);
  const hardware = validateHardware(sections.hardware);
  const accuracy = validateAccuracy(sections.accuracy, network.bits);
  if (accuracy.cim && accuracy.cim.model === 'tile-v1') checkCimSpace(hardware, accuracy.cim);
  return { dataset, network, hardware, accuracy };
}

/**
 * The tile-accurate model must be able to realise every tile the search can propose: the base
 * tile, and each ADC-bits / crossbar-size option of the space on it (one line naming the field).
 */
function checkCimSpace(h: HardwareSection, cim: CimAccuracy): void {
  const base = cimTileParams(h.base);
  if (!base) return;
  checkCimTile(base, cim, (k) => `hardware.overrides.cim.${k}`);
  h.space.adcBits?.forEach((b, i) => checkCimTile({ ...base, adcBits: b }, cim, () => `hardware.space.adcBits[${i}]`));
  h.space.xbarSize?.forEach((n, i) => checkCimTile({ ...base, rows: n, cols: n }, cim, () => `hardware.space.xbarSize[${i}]`));
  h.space.cellBits?.forEach((b, i) => checkCimTile({ ...base, cellBits: b }, cim, () => `hardware.space.cellBits[${i}]`));
}

/** Checkpoint folder: the configured one, or one in the shared cache named by a hash of everything that determines the weights. */
export function checkpointDir(s: CosearchSections, cacheDir: string): string {
  if (s.network.checkpoint) return path.resolve(s.network.checkpoint);
  const hwa = Number(s.network.train.hardwareAwareSteps ?? 0) > 0 ? hardwareAwareContext(s) : undefined;
  const key = JSON.stringify({ dataset: s.dataset, supernet: s.network.supernet, train: s.network.train, seed: s.network.seed, ...(hwa ? { hwa } : {}) });
  return path.join(cacheDir, `supernet-${s.dataset.name}-${hashString(key).toString(16).padStart(8, '0')}`);
}

/**
 * What the hardware-aware supernet phase trains for (`network.train.hardwareAwareSteps` > 0):
 * the base hardware's CIM tile, the ADC precisions the search may choose (one drawn per layer
 * and step), and the device and bits of `accuracy.cim`. Part of the checkpoint key.
 */
export function hardwareAwareContext(s: CosearchSections): { tile: CimTileParams; adcBitsChoices: number[]; device: string; inputBits: number; weightBits: number; programmingNoise: number | null } {
  const tile = cimTileParams(s.hardware.base);
  if (!tile) throw new ConfigError('network.train.hardwareAwareSteps', s.network.train.hardwareAwareSteps, '0 for a hardware config without a CIM engine (the phase trains for its tile)');
  const cim = s.accuracy.cim;
  return {
    tile,
    adcBitsChoices: [...new Set(s.hardware.space.adcBits ?? [tile.adcBits])].sort((a, b) => a - b),
    device: cim?.device ?? 'rram-neurram-v1',
    inputBits: cim?.inputBits ?? s.network.bits,
    weightBits: cim?.weightBits ?? s.network.bits,
    programmingNoise: cim?.programmingNoise ?? null,
  };
}
