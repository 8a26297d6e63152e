import { Registry } from '@cosearch/core';
import type { DeviceParams } from './types';
import { validateDeviceParams } from './validate';

/** Joule heating of one pulse across a device at conductance G: E = V²·G·t (driver energy excluded). */
export function pulseEnergyJ(voltageV: number, gSiemens: number, widthS: number): number {
  return voltageV * voltageV * gSiemens * widthS;
}

// NeuroSim's default RRAM on/off resistances, 100 kΩ / 1.7 MΩ (NeuroSim defaults), give the physical
// scale of the aihwkit presets, which are specified in normalised weight units only.
const NEUROSIM_RRAM = { gMinSiemens: 1 / 1.7e6, gMaxSiemens: 1 / 100e3 };
// Assumed sub-µs RRAM programming pulse (not in the aihwkit sources): 1.5 V, 100 ns at mid-range G.
const RRAM_PULSE = {
  pulseEnergyJ: pulseEnergyJ(1.5, (NEUROSIM_RRAM.gMinSiemens + NEUROSIM_RRAM.gMaxSiemens) / 2, 100e-9),
  pulseLatencyS: 100e-9,
};
const QUIET = { stuckAtMinProb: 0, stuckAtMaxProb: 0, readNoise: 0, nlLtp: 0, nlLtd: 0 };

/**
 * aihwkit step sizes are given for weights in [−1, 1] (width 2) on one abstract device; here one
 * device of the differential pair spans the normalised range [0, 1], so dgMin = dw_min / 2 keeps
 * the number of states (range / step). Device-to-device step spread 0.3 and cycle-to-cycle
 * 0.3·dw_min are aihwkit's defaults (dw_min_dtod, dw_min_std; IBM aihwkit PulsedDevice defaults).
 */
const PRESETS: Record<string, { description: string; params: DeviceParams }> = {
  'reram-es-aihwkit-v1': {
    description: 'aihwkit ReRamESPresetDevice: dw_min 0.00135 on ±1 (~1480 states); exp-step approximated by soft bounds',
    params: {
      model: 'soft-bounds-v1', ...NEUROSIM_RRAM, ...RRAM_PULSE, ...QUIET,
      dgMin: 0.00135 / 2, levels: 1480, upDownAsymmetry: 0, dgStdD2d: 0.3, boundsStdD2d: 0.05, c2cStd: 0.3 * (0.00135 / 2),
      programmingNoise: 0.03,
      citation: 'IBM aihwkit ReRamESPresetDevice (dw_min 0.00135, w in ±1); bounds spread 0.05 and programming noise 0.03 assumed',
    },
  },
  'reram-sb-aihwkit-v1': {
    description: 'aihwkit ReRamSBPresetDevice: soft bounds, dw_min 0.002 on a width-2 range (~1000 states), write noise, d2d spread',
    params: {
      model: 'soft-bounds-v1', ...NEUROSIM_RRAM, ...RRAM_PULSE, ...QUIET,
      dgMin: 0.002 / 2, levels: 1000, upDownAsymmetry: 0, dgStdD2d: 0.3, boundsStdD2d: 0.05, c2cStd: 0.3 * (0.002 / 2),
      readNoise: 0.002, programmingNoise: 0.03, stuckAtMinProb: 0.001, stuckAtMaxProb: 0.001,
      citation: 'IBM aihwkit ReRamSBPresetDevice (dw_min 0.002, range −0.75…1.25); read noise 0.2%, stuck 0.1%+0.1%, bounds spread 0.05 assumed',
    },
  },
  'reram-om-aihwkit-v1': {
    description: 'aihwkit ReRamArrayOMPresetDevice: soft bounds, dw_min 0.0949 on ±1 (~21 states)',
    params: {
      model: 'soft-bounds-v1', ...NEUROSIM_RRAM, ...RRAM_PULSE, ...QUIET,
      dgMin: 0.0949 / 2, levels: 21, upDownAsymmetry: 0, dgStdD2d: 0.3, boundsStdD2d: 0.05, c2cStd: 0.3 * (0.0949 / 2),
      programmingNoise: 0.03,
      citation: 'IBM aihwkit ReRamArrayOMPresetDevice (dw_min 0.0949, w in ±1)',
    },
  },
  'gokmen-vlasov-v1': {
    description: 'Gokmen & Vlasov 2016 RPU device as in aihwkit: constant step 0.0016 on ±1 (~1200 states)',
    params: {
      model: 'constant-step-v1', ...NEUROSIM_RRAM, ...RRAM_PULSE, ...QUIET,
      dgMin: 0.0016 / 2, levels: 1200, upDownAsymmetry: 0, dgStdD2d: 0.3, boundsStdD2d: 0.05, c2cStd: 0.3 * (0.0016 / 2),
      programmingNoise: 0.03,
      citation: 'Gokmen & Vlasov, Front. Neurosci. 2016; aihwkit GokmenVlasovPresetDevice',
    },
  },
  'idealized-v1': {
    description: 'aihwkit IdealizedPresetDevice: constant step 0.0002 on ±1 (10⁴ states), no noise',
    params: {
      model: 'constant-step-v1', ...NEUROSIM_RRAM, ...RRAM_PULSE, ...QUIET,
      dgMin: 0.0002 / 2, levels: 10000, upDownAsymmetry: 0, dgStdD2d: 0, boundsStdD2d: 0, c2cStd: 0, programmingNoise: 0,
      citation: 'IBM aihwkit IdealizedPresetDevice',
    },
  },
  'agasi-neurosim-v1': {
    description: 'Ag:a-Si (Jo et al. 2010) as in the NeuroSim device table: 97 levels, NL 2.4/−4.88, C2C 3.5%',
    params: {
      model: 'neurosim-nonlinear-v1', gMinSiemens: 3.0769e-9, gMaxSiemens: 3.8462e-8,
      dgMin: 1 / 97, levels: 97, upDownAsymmetry: 0, nlLtp: 2.4, nlLtd: 4.88, dgStdD2d: 0, boundsStdD2d: 0, c2cStd: 0.035,
      stuckAtMinProb: 0, stuckAtMaxProb: 0, readNoise: 0, programmingNoise: 0.03,
      pulseEnergyJ: pulseEnergyJ(3.2, (3.0769e-9 + 3.8462e-8) / 2, 300e-6), pulseLatencyS: 300e-6,
      citation: 'MLP+NeuroSim V3.0 device table (Chen et al., TCAD 2018): 97 levels, NL 2.40/−4.88, Ron 26 MΩ, on/off 12.5, 3.2 V/300 µs, C2C 3.5% (levels and NL as in the table; the other values recalled, not re-checked)',
    },
  },
  'epiram-neurosim-v1': {
    description: 'EpiRAM (Choi et al. 2018) as in the NeuroSim device table: 64 levels, NL 0.5/−0.5, C2C 2%',
    params: {
      model: 'neurosim-nonlinear-v1', gMinSiemens: 1 / 81e3 / 50.2, gMaxSiemens: 1 / 81e3,
      dgMin: 1 / 64, levels: 64, upDownAsymmetry: 0, nlLtp: 0.5, nlLtd: 0.5, dgStdD2d: 0, boundsStdD2d: 0, c2cStd: 0.02,
      stuckAtMinProb: 0, stuckAtMaxProb: 0, readNoise: 0, programmingNoise: 0.03,
      pulseEnergyJ: pulseEnergyJ(5, (1 / 81e3) * 0.51, 5e-6), pulseLatencyS: 5e-6,
      citation: 'MLP+NeuroSim V3.0 device table: 64 levels, NL 0.5/−0.5; Ron 81 kΩ, on/off 50.2, 5 V/5 µs, C2C 2% recalled',
    },
  },
  'rram-neurram-v1': {
    description: 'NeuRRAM-like 1T1R RRAM for inference: differential pairs, write-verify programming, 4-bit weights',
    params: {
      model: 'constant-step-v1', gMinSiemens: 1e-6, gMaxSiemens: 40e-6, ...RRAM_PULSE,
      dgMin: 1 / 15, levels: 15, upDownAsymmetry: 0, nlLtp: 0, nlLtd: 0, dgStdD2d: 0, boundsStdD2d: 0, c2cStd: 0,
      stuckAtMinProb: 0, stuckAtMaxProb: 0, readNoise: 0.005, programmingNoise: 0.05,
      citation: 'Wan et al., Nature 2022 (NeuRRAM): 4-bit weights on differential pairs; 1–40 µS range recalled; 5% programming noise = the issue evaluation level',
    },
  },
};

/** Device presets by versioned name (frozen data; each cites its source). */
export const devicePresets = new Registry<DeviceParams, Record<string, never>>('device preset');
for (const [name, { description, params }] of Object.entries(PRESETS)) {
  const frozen = Object.freeze(validateDeviceParams(params, name));
  devicePresets.register({ name, description, defaults: frozen as unknown as Record<string, unknown>, create: () => ({ ...frozen }) });
}

/** A preset name or a full parameter object → validated `DeviceParams` (a fresh copy). */
export function resolveDevice(device: DeviceParams | string): DeviceParams {
  return typeof device === 'string' ? devicePresets.create(device, {}) : validateDeviceParams(device);
}
