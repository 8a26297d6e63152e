import * as path from 'node:path';
import { ConfigError, asObject, type CimTileParams, booleanField, hashString, numberField, oneOf, rejectUnknownKeys, stringField, type Obj } from '@cosearch/core';
import { SYNTHETIC_DEFAULTS, datasetRegistry, validateDatasetConfig, type ResolvedDatasetConfig } from '@cosearch/datasets';
import { cimTileParams, getHardwarePreset, validateHardwareConfig, type HardwareConfig, type HardwareSpaceOptions } from '@cosearch/hardware';
import { validateSupernetConfig, type SupernetConfig } from '@cosearch/supernet';
import { devicePresets } from '@cosearch/cim-training';
import { deepMerge } from '@cosearch/runner';
import { checkCimTile } from './cim-accuracy';

/**
 * Config sections of the `cosearch-v1` problem (network × hardware co-search on a dataset):
 * `dataset`, `network`, `hardware`, `accuracy`. Validated here, once, with field paths.
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

/** Accuracy models of CIM-mapped layers (cim-accuracy.ts). */
export const CIM_ACCURACY_MODELS = ['tile-v1', 'weights-v1'] as const;
export type CimAccuracyModel = (typeof CIM_ACCURACY_MODELS)[number];

export interface CimAccuracy {
  /** `tile-v1`: tile-accurate (the candidate's DAC/ADC/cell bits, crossbar rows, device); `weights-v1`: programmed weights only. */
  model: CimAccuracyModel;
  device: string;
  /** Signed weight bits on the crossbars (default: network.bits). */
  weightBits: number;
  /** Activation bits applied through the DACs (default: network.bits). */
  inputBits: number;
  /** Device read noise on every crossbar read (tile-v1 only). */
  readNoise: boolean;
  /**
   * ADC reference of the tile model: `calibrated` (default) sets each column group's range once per
   * chip from a calibration batch, as NeuRRAM calibrates its ADCs and DNN+NeuroSim rescales per
   * tensor; `full-scale` sizes it for the largest possible column sum (ISAAC).
   */
  adcRange: 'calibrated' | 'full-scale';
  /** Independent programmings (simulated chips) averaged per candidate. */
  chips: number;
  /** Images the CIM accuracy is measured on: the first `samples` of the accuracy subset (default: all of it). */
  samples: number | null;
  programmingNoise: number | null;
  stuckProbability: number | null;
}

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

/** Input shape of a dataset config without loading it (the supernet's defaults depend on it). */
export function datasetShape(d: ResolvedDatasetConfig): { height: number; width: number; channels: number; numClasses: number } {
  switch (d.name) {
    case 'mnist':
    case 'fashion-mnist':
      return { height: 28, width: 28, channels: 1, numClasses: 10 };
    case 'cifar10':
      return { height: 32, width: 32, channels: 3, numClasses: 10 };
    case 'cifar100':
      return { height: 32, width: 32, channels: 3, numClasses: d.labelMode === 'coarse' ? 20 : 100 };
    default: {
      const o = { ...SYNTHETIC_DEFAULTS, ...(d.options ?? {}) } as Record<string, number>;
      return { height: o.height, width: o.width, channels: o.channels, numClasses: o.numClasses };
    }
  }
}

function numberList(v: unknown, p: string): number[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0)) {
    throw new ConfigError(p, v, 'a non-empty list of positive numbers');
  }
  return v as number[];
}

function stringList(v: unknown, p: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) throw new ConfigError(p, v, 'a non-empty list of names');
  return v as string[];
}

const SPACE_NUMBER_LISTS = ['peRows', 'peCols', 'glbKiB', 'cimTiles', 'xbarSize', 'adcBits', 'cellBits', 'columnsPerAdc', 'voltagesV', 'frequenciesHz', 'nocLinkBits', 'nocVirtualChannels', 'nocBufferFlits'] as const;
const SPACE_STRING_LISTS = ['dataflows', 'schemes', 'topologies', 'blocks'] as const;

function validateHardware(raw: unknown): HardwareSection {
  const p = 'hardware';
  const o = asObject(raw ?? {}, p);
  rejectUnknownKeys(o, p, ['preset', 'overrides', 'space']);
  const preset = stringField(o, 'preset', p, 'edge-npu-cim-v1');
  const presetConfig = getHardwarePreset(preset);
  let base: HardwareConfig;
  try {
    base = validateHardwareConfig(deepMerge(presetConfig, o.overrides ?? {}));
  } catch (err) {
    // name the field as the user wrote it
    if (err instanceof ConfigError) throw new ConfigError(`hardware.overrides.${err.field.replace(/^hardware\./, '')}`, err.value, err.allowed);
    throw err;
  }
  const s = asObject(o.space ?? {}, 'hardware.space');
  rejectUnknownKeys(s, 'hardware.space', [...SPACE_NUMBER_LISTS, ...SPACE_STRING_LISTS, 'maxAreaMm2']);
  const space: Record<string, unknown> = {};
  for (const k of SPACE_NUMBER_LISTS) if (s[k] !== undefined) space[k] = numberList(s[k], `hardware.space.${k}`);
  for (const k of SPACE_STRING_LISTS) if (s[k] !== undefined) space[k] = stringList(s[k], `hardware.space.${k}`);
  if (s.maxAreaMm2 !== undefined) space.maxAreaMm2 = numberField(s, 'maxAreaMm2', 'hardware.space', { above: 0 });
  return { preset, base, space: space as Omit<HardwareSpaceOptions, 'base'> };
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
    train: validateTrain(o.train),
    seed: numberField(o, 'seed', p, { integer: true, min: 0 }, seed),
    bits: numberField(o, 'bits', p, { integer: true, min: 1, max: 32 }, 8),
  };
}

/** Supernet training options passed to `trainSupernet` (its own fields; numbers checked here). */
const TRAIN_KEYS = ['hardwareAwareSteps', 'hardwareAwareLr', 'phases', 'mode', 'epochs', 'steps', 'phase1Fraction', 'lr', 'phase2Lr', 'vitProbability', 'sampling', 'samplingParams', 'sharedLrScale', 'batchSize', 'weightDecay', 'logEvery', 'conflictEvery', 'checkpointEvery'];

function validateTrain(raw: unknown): Obj {
  const o = asObject(raw ?? {}, 'network.train');
  rejectUnknownKeys(o, 'network.train', TRAIN_KEYS);
  if (o.hardwareAwareSteps !== undefined) numberField(o, 'hardwareAwareSteps', 'network.train', { integer: true, min: 0 });
  if (o.hardwareAwareLr !== undefined) numberField(o, 'hardwareAwareLr', 'network.train', { above: 0 });
  for (const k of ['epochs', 'lr', 'phase2Lr', 'sharedLrScale', 'weightDecay']) if (o[k] !== undefined) numberField(o, k, 'network.train', { min: 0 });
  for (const k of ['steps', 'batchSize', 'logEvery', 'checkpointEvery']) if (o[k] !== undefined) numberField(o, k, 'network.train', { integer: true, min: 1 });
  for (const k of ['phase1Fraction', 'vitProbability']) if (o[k] !== undefined) numberField(o, k, 'network.train', { min: 0, max: 1 });
  if (o.mode !== undefined) oneOf(o.mode, 'network.train.mode', ['two', 'one'] as const);
  return o;
}

function validateAccuracy(raw: unknown, bits: number): AccuracySection {
  const p = 'accuracy';
  const o = asObject(raw ?? {}, p);
  rejectUnknownKeys(o, p, ['split', 'samples', 'calibrationSamples', 'cim']);
  let cim: CimAccuracy | null = null;
  if (o.cim !== undefined && o.cim !== null && o.cim !== false) {
    const c = asObject(o.cim, 'accuracy.cim');
    rejectUnknownKeys(c, 'accuracy.cim', ['model', 'device', 'weightBits', 'inputBits', 'readNoise', 'adcRange', 'samples', 'chips', 'programmingNoise', 'stuckProbability', 'enabled']);
    if (booleanField(c, 'enabled', 'accuracy.cim', true)) {
      const device = stringField(c, 'device', 'accuracy.cim', 'rram-neurram-v1');
      if (!deviceModelNames().includes(device)) throw new ConfigError('accuracy.cim.device', device, `one of ${deviceModelNames().join(', ')}`);
      cim = {
        model: oneOf(c.model ?? 'tile-v1', 'accuracy.cim.model', CIM_ACCURACY_MODELS),
        device,
        weightBits: numberField(c, 'weightBits', 'accuracy.cim', { integer: true, min: 2, max: 16 }, Math.max(2, Math.min(16, bits))),
        inputBits: numberField(c, 'inputBits', 'accuracy.cim', { integer: true, min: 2, max: 16 }, Math.max(2, Math.min(16, bits))),
        readNoise: booleanField(c, 'readNoise', 'accuracy.cim', false),
        adcRange: oneOf(c.adcRange ?? 'calibrated', 'accuracy.cim.adcRange', ['calibrated', 'full-scale'] as const),
        chips: numberField(c, 'chips', 'accuracy.cim', { integer: true, min: 1, max: 100 }, 3),
        samples: c.samples === undefined ? null : numberField(c, 'samples', 'accuracy.cim', { integer: true, min: 1 }),
        programmingNoise: c.programmingNoise === undefined ? null : numberField(c, 'programmingNoise', 'accuracy.cim', { min: 0, max: 1 }),
        stuckProbability: c.stuckProbability === undefined ? null : numberField(c, 'stuckProbability', 'accuracy.cim', { min: 0, max: 1 }),
      };
    }
  }
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

/** Device presets the CIM accuracy models accept. */
function deviceModelNames(): string[] {
  return devicePresets.names();
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
