import { Registry } from '@cosearch/core';
import type { HardwareConfig } from './config';
import { validateHardwareConfig } from './validate';

/**
 * Hardware presets by versioned name. Each `create` returns a fresh, validated config (callers may
 * mutate it). Sources of the numbers are cited per preset; values not published are marked
 * "assumed" and kept to typical figures of the node.
 */
export const hardwarePresets = new Registry<HardwareConfig, Record<string, never>>('hardware preset');

const ALPHA_POWER = { nominalVoltageV: 1.0, thresholdVoltageV: 0.35, alpha: 1.3 };

/** Eyeriss-like (Chen et al. ISSCC/JSSC 2017) as in the Timeloop/Accelergy Eyeriss-like example. */
function eyeriss(): unknown {
  return {
    name: 'eyeriss-65nm-v1',
    technology: { nodeNm: 65, leakageWPerMm2: 0.002 },
    // Eyeriss runs 100–250 MHz at 1 V (JSSC 2017); f_max(1 V) = 250 MHz.
    dvfs: { ...ALPHA_POWER, maxFrequencyAtNominalHz: 250e6, npu: { voltageV: 1.0, frequencyHz: 200e6 }, cim: { voltageV: 1.0, frequencyHz: 200e6 }, noc: { voltageV: 1.0, frequencyHz: 200e6 } },
    npu: {
      dataflow: 'row-stationary-v1', peRows: 12, peCols: 14,
      // PE scratchpads: ifmap 12×16 b + filter 224×16 b + psum 24×16 b = 520 B (JSSC 2017 Table I).
      rfBytes: 520,
      // Timeloop Eyeriss-like global buffer: 16384 × 64 b = 128 KiB.
      glbBytes: 131072,
      // Timeloop's example reports compute-bound cycles (no buffer bandwidth cap): 1024 b/cycle
      // keeps the GLB from limiting either reference layer (assumed). Eyeriss's GIN multicasts a
      // packet to its PEs in one cycle (JSSC 2017): one hop of one cycle.
      distribution: { bandwidthBitsPerCycle: 1024, hops: 1, hopLatencyCycles: 1, multicast: true, spatialReduction: true },
      doubleBuffering: true,
      // Accelergy 65 nm Eyeriss-like table: 8-bit MAC 0.21 pJ, GLB 18 pJ per 64-bit read.
      macEnergyJ: 0.21e-12,
      glbEnergyJPerBit: 18e-12 / 64,
    },
    vector: { lanes: 16 },
    // Accelergy: DRAM 512 pJ per 64-bit access; LPDDR4 bandwidth 25.6 GB/s (assumed, not limiting).
    dram: { bandwidthBytesPerS: 25.6e9, energyJPerBit: 512e-12 / 64 },
    // A single router joins the array and the DRAM port (no on-chip network in Eyeriss).
    noc: { topology: 'mesh', k: 1, linkWidthBits: 512, flitBits: 512, packetFlits: 4, routerStages: 1, virtualChannels: 2, bufferDepthFlits: 4, linkLengthMm: 1, placement: { npu: [0, 0], cim: [0, 0], dram: [0, 0] } },
    mapping: { scheme: 'npu-only' },
  };
}

/** TPU v1-like (Jouppi et al. ISCA 2017): 256×256 systolic, 28 nm, 700 MHz, 24 MiB buffer, 34 GB/s. */
function tpu(): unknown {
  return {
    name: 'tpu-like-v1',
    technology: { nodeNm: 28, leakageWPerMm2: 0.01 },
    dvfs: { ...ALPHA_POWER, maxFrequencyAtNominalHz: 700e6, npu: { voltageV: 1.0, frequencyHz: 700e6 }, cim: { voltageV: 1.0, frequencyHz: 700e6 }, noc: { voltageV: 1.0, frequencyHz: 700e6 } },
    npu: {
      // A TPU PE holds one weight and streams im2col rows; a directive mapping cannot spread
      // C·R·S over the rows, so the systolic template keeps a filter window per PE: 256 B per PE
      // (assumed) lets that window, double-buffered, fit (the area counts it).
      dataflow: 'systolic-ws-v1', peRows: 256, peCols: 256, rfBytes: 256,
      glbBytes: 24 * 1024 * 1024,
      // Unified buffer feeds 256 bytes per cycle into the array (ISCA 2017 Fig. 1).
      // Systolic: operands move PE to PE, one hop of one cycle per step.
      distribution: { bandwidthBitsPerCycle: 256 * 8 * 2, hops: 1, hopLatencyCycles: 1, multicast: true, spatialReduction: true },
      doubleBuffering: true,
    },
    vector: { lanes: 256 },
    // DDR3 34 GB/s (ISCA 2017); DDR3 ≈ 20 pJ/bit (Horowitz 1.3–2.6 nJ per 64 b).
    dram: { bandwidthBytesPerS: 34e9, energyJPerBit: 20e-12 },
    noc: { topology: 'mesh', k: 1, linkWidthBits: 2048, flitBits: 2048, packetFlits: 4, routerStages: 1, virtualChannels: 2, bufferDepthFlits: 4, linkLengthMm: 1, placement: { npu: [0, 0], cim: [0, 0], dram: [0, 0] } },
    mapping: { scheme: 'npu-only' },
  };
}

/**
 * NeuRRAM-like RRAM CIM chip (Wan et al. Nature 2022): 48 cores of 256×256 1T1R RRAM, 130 nm,
 * differential conductance pairs, bit-serial inputs, voltage-mode neurons (one per column), up to
 * 8-bit outputs. Conductance range 1–40 µS; read pulses and write costs are assumed typical RRAM.
 */
function neurram(): unknown {
  return {
    name: 'neurram-130nm-v1',
    technology: { nodeNm: 130, leakageWPerMm2: 0.001 },
    dvfs: { ...ALPHA_POWER, maxFrequencyAtNominalHz: 100e6, npu: { voltageV: 1.0, frequencyHz: 100e6 }, cim: { voltageV: 1.0, frequencyHz: 100e6 }, noc: { voltageV: 1.0, frequencyHz: 100e6 } },
    cim: {
      cellTech: 'rram', tiles: 48, rows: 256, cols: 256, cellBits: 1, adcBits: 6, dacBits: 1, columnsPerAdc: 1,
      gMinSiemens: 1e-6, gMaxSiemens: 40e-6, readVoltageV: 0.2, readPulseS: 10e-9, differential: true,
      writeEnergyPerCellJ: 10e-12, writeTimePerRowS: 1e-6, bufferBytes: 65536,
    },
    vector: { lanes: 16 },
    dram: { bandwidthBytesPerS: 1.6e9, energyJPerBit: 20e-12 },
    noc: { topology: 'mesh', k: 7, linkWidthBits: 64, flitBits: 64, packetFlits: 4, routerStages: 2, virtualChannels: 2, bufferDepthFlits: 4, linkLengthMm: 0.8, placement: { npu: [0, 0], cim: [3, 3], dram: [0, 0] } },
    mapping: { scheme: 'cim-only' },
  };
}

/**
 * Edge NPU + RRAM CIM SoC at 22 nm (H4H-NAS-style): a 16×16 weight-stationary NPU with 256 KiB
 * GLB beside NeuroSim-default CIM tiles (128×128, 5-bit ADC shared by 8 columns, 1 GHz, RRAM
 * 100 kΩ/1.7 MΩ, 0.55 V read); 2048 tiles with 2-bit cells hold 4 M 8-bit weights, enough for the example ViT and hybrid; 4×4 mesh NoC.
 */
function edge(): unknown {
  return {
    name: 'edge-npu-cim-v1',
    // Leakage: 3 mW/mm² (assumed, low-power 22 nm library at nominal voltage).
    technology: { nodeNm: 22, leakageWPerMm2: 0.003 },
    // Edge DVFS grid 0.6–1.0 V, 200 MHz–1 GHz (REFERENCES §4); f_max(0.9 V) = 894 MHz.
    dvfs: { ...ALPHA_POWER, maxFrequencyAtNominalHz: 1e9, npu: { voltageV: 0.9, frequencyHz: 800e6 }, cim: { voltageV: 0.9, frequencyHz: 800e6 }, noc: { voltageV: 0.9, frequencyHz: 800e6 } },
    npu: { dataflow: 'weight-stationary-v1', peRows: 16, peCols: 16, rfBytes: 64, glbBytes: 262144,
      // 512 b/cycle from the GLB to a 16×16 array over a 2-level bus (1 cycle per level, assumed).
      distribution: { bandwidthBitsPerCycle: 512, hops: 2, hopLatencyCycles: 1, multicast: true, spatialReduction: true }, doubleBuffering: true },
    cim: {
      cellTech: 'rram', tiles: 2048, rows: 128, cols: 128, cellBits: 2, adcBits: 5, dacBits: 1, columnsPerAdc: 8,
      gMinSiemens: 1 / 1.7e6, gMaxSiemens: 1 / 100e3, readVoltageV: 0.55, readPulseS: 2e-9, differential: true,
      writeEnergyPerCellJ: 10e-12, writeTimePerRowS: 100e-9, bufferBytes: 262144,
    },
    vector: { lanes: 32 },
    // LPDDR4x 32-bit channel: 12.8 GB/s, ≈ 4 pJ/bit (assumed typical mobile DRAM).
    dram: { bandwidthBytesPerS: 12.8e9, energyJPerBit: 4e-12 },
    noc: { topology: 'mesh', k: 4, linkWidthBits: 128, flitBits: 128, packetFlits: 5, routerStages: 3, virtualChannels: 4, bufferDepthFlits: 4, linkLengthMm: 0.5, placement: { npu: [1, 1], cim: [2, 2], dram: [0, 0] } },
    mapping: { scheme: 'cim-static' },
  };
}

const BUILT_IN: ReadonlyArray<[string, string, () => unknown]> = [
  ['eyeriss-65nm-v1', 'Eyeriss-like 168-PE row-stationary array, 65 nm, Accelergy energies (Timeloop example)', eyeriss],
  ['tpu-like-v1', 'TPU v1-like 256×256 weight-stationary systolic array, 28 nm, 700 MHz', tpu],
  ['neurram-130nm-v1', 'NeuRRAM-like chip: 48 RRAM cores 256×256, 130 nm, differential, bit-serial inputs', neurram],
  ['edge-npu-cim-v1', 'edge SoC, 22 nm: 16×16 WS NPU + 2048 RRAM tiles 128×128 (NeuroSim defaults) + 4×4 mesh NoC', edge],
];
for (const [name, description, raw] of BUILT_IN) {
  hardwarePresets.register({ name, description, create: () => validateHardwareConfig(raw()) });
}

/** A fresh copy of a preset config (throws NotFoundError listing the presets). */
export function getHardwarePreset(name: string): HardwareConfig {
  return hardwarePresets.create(name, {});
}

/**
 * Validates a hardware file, resolving `"extends": "<preset>"` against the registered presets:
 * `{ "extends": "edge-npu-cim-v1", "cim": { "adcBits": 6 } }` is the preset with 6-bit ADCs.
 */
export function loadHardwareConfig(raw: unknown): HardwareConfig {
  return validateHardwareConfig(raw, getHardwarePreset);
}
