import { asObject, booleanField, ConfigError, numberField, oneOf, rejectUnknownKeys, stringField } from '@cosearch/core';
import { devicePresets } from './devices/presets';

/**
 * The validator of a CIM accuracy config section (e.g. a co-search problem's `accuracy.cim`):
 * how the accuracy of CIM-mapped layers is simulated. `null`, `false` or `enabled: false` = off.
 */
export const CIM_ACCURACY_MODELS = ['tile-v1', 'weights-v1'] as const;
export type CimAccuracyModel = (typeof CIM_ACCURACY_MODELS)[number];

export interface CimAccuracy {
  /** `tile-v1`: tile-accurate (the candidate's DAC/ADC/cell bits, crossbar rows, device); `weights-v1`: programmed weights only. */
  model: CimAccuracyModel;
  device: string;
  /** Signed weight bits on the crossbars (default: the network's bits). */
  weightBits: number;
  /** Activation bits applied through the DACs (default: the network's bits). */
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

export const CIM_ACCURACY_KEYS = ['model', 'device', 'weightBits', 'inputBits', 'readNoise', 'adcRange', 'samples', 'chips', 'programmingNoise', 'stuckProbability', 'enabled'] as const;

/** `bits`: the default weight and input bits (the network's operand bits, clamped to 2 … 16). */
export function validateCimAccuracyConfig(raw: unknown, p = 'cim', bits = 8): CimAccuracy | null {
  if (raw === undefined || raw === null || raw === false) return null;
  const c = asObject(raw, p);
  rejectUnknownKeys(c, p, CIM_ACCURACY_KEYS);
  if (!booleanField(c, 'enabled', p, true)) return null;
  const device = stringField(c, 'device', p, 'rram-neurram-v1');
  if (!devicePresets.names().includes(device)) throw new ConfigError(`${p}.device`, device, `one of ${devicePresets.names().join(', ')}`);
  const b = Math.max(2, Math.min(16, bits));
  return {
    model: oneOf(c.model ?? 'tile-v1', `${p}.model`, CIM_ACCURACY_MODELS),
    device,
    weightBits: numberField(c, 'weightBits', p, { integer: true, min: 2, max: 16 }, b),
    inputBits: numberField(c, 'inputBits', p, { integer: true, min: 2, max: 16 }, b),
    readNoise: booleanField(c, 'readNoise', p, false),
    adcRange: oneOf(c.adcRange ?? 'calibrated', `${p}.adcRange`, ['calibrated', 'full-scale'] as const),
    chips: numberField(c, 'chips', p, { integer: true, min: 1, max: 100 }, 3),
    samples: c.samples === undefined ? null : numberField(c, 'samples', p, { integer: true, min: 1 }),
    programmingNoise: c.programmingNoise === undefined ? null : numberField(c, 'programmingNoise', p, { min: 0, max: 1 }),
    stuckProbability: c.stuckProbability === undefined ? null : numberField(c, 'stuckProbability', p, { min: 0, max: 1 }),
  };
}
