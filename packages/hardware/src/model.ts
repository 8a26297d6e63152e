import { prefixConfigError, registerHardwareModel, stripModelField, type HardwareKnob, type HardwareModel } from '@cosearch/core';
import type { HardwareConfig, Scheme } from './config';
import type { HardwareResult } from './result';
import { evaluate } from './evaluate';
import { getHardwarePreset, loadHardwareConfig } from './presets';
import { applyHardwareCandidate, hardwareSpace, type HardwareSpaceOptions } from './space';
import { validateHardwareConfig } from './validate';

/**
 * The analytical model of this package behind core's `HardwareModel` seam, registered as
 * `analytical-v1` (the model of a hardware file without a `model` field).
 */

/** A knob changed on a copy of the config (never the original), revalidated. */
function knob(name: string, scheme: Scheme | null, set: (h: HardwareConfig, high: boolean) => void, effects: HardwareKnob['effects']): HardwareKnob<HardwareConfig> {
  return {
    name,
    effects,
    set: (cfg, high) => {
      const h = structuredClone(cfg);
      if (scheme) h.mapping.scheme = scheme;
      set(h, high);
      return validateHardwareConfig(h);
    },
  };
}

/**
 * Knobs with a direction the model guarantees on any network with MAC and vector layers (the
 * full list of 43 knobs, with engine-only metrics, is in properties.test.ts). Needs a config
 * with both an NPU and CIM tiles (e.g. edge-npu-cim-v1).
 */
export const ANALYTICAL_KNOBS: readonly HardwareKnob<HardwareConfig>[] = [
  // A 4× faster NPU clock shortens every NPU layer (the NoC streams overlap compute).
  knob('dvfs.npu.frequencyHz', 'npu-only', (h, hi) => { h.dvfs.npu.frequencyHz = hi ? 800e6 : 200e6; }, [{ metric: 'latencyS', direction: -1 }]),
  // Dynamic energy ∝ V² at a fixed clock.
  knob('dvfs.npu.voltageV', 'npu-only', (h, hi) => { h.dvfs.npu = { voltageV: hi ? 1.0 : 0.7, frequencyHz: 400e6 }; }, [{ metric: 'energyJ', direction: 1 }]),
  knob('npu.peRows', 'npu-only', (h, hi) => { h.npu!.peRows = hi ? 64 : 4; }, [{ metric: 'areaMm2', direction: 1 }]),
  knob('vector.lanes', 'npu-only', (h, hi) => { h.vector.lanes = hi ? 256 : 1; }, [{ metric: 'latencyS', direction: -1 }, { metric: 'areaMm2', direction: 1 }]),
  knob('technology.leakageWPerMm2', null, (h, hi) => { h.technology.leakageWPerMm2 = hi ? 0.1 : 0; }, [{ metric: 'energyJ', direction: 1 }, { metric: 'powerW', direction: 1 }]),
  knob('technology.nodeNm', 'npu-only', (h, hi) => { h.technology.nodeNm = hi ? 65 : 7; }, [{ metric: 'energyJ', direction: 1 }, { metric: 'areaMm2', direction: 1 }]),
  knob('dram.energyJPerBit', 'npu-only', (h, hi) => { h.dram.energyJPerBit = hi ? 1e-10 : 1e-12; }, [{ metric: 'energyJ', direction: 1 }]),
  knob('noc.linkLengthMm', 'npu-only', (h, hi) => { h.noc.linkLengthMm = hi ? 5 : 0.1; }, [{ metric: 'energyJ', direction: 1 }]),
  knob('cim.adcBits', 'cim-only', (h, hi) => { h.cim!.adcBits = hi ? 8 : 3; }, [{ metric: 'energyJ', direction: 1 }, { metric: 'latencyS', direction: 1 }, { metric: 'areaMm2', direction: 1 }]),
  knob('cim.columnsPerAdc', 'cim-only', (h, hi) => { h.cim!.columnsPerAdc = hi ? 16 : 1; }, [{ metric: 'latencyS', direction: 1 }, { metric: 'areaMm2', direction: -1 }]),
  knob('cim.tiles', 'cim-only', (h, hi) => { h.cim!.tiles = hi ? 4096 : 64; }, [{ metric: 'areaMm2', direction: 1 }]),
];

export const analyticalModel: HardwareModel<HardwareConfig, HardwareResult> = {
  id: 'analytical-v1',
  description: 'analytical NPU dataflows + CIM crossbars + vector unit + NoC + DRAM + DVFS + leakage + area (@cosearch/hardware)',
  /** A preset name, or a hardware object (may `extend` a preset; a `model` field must say analytical-v1). */
  validateConfig: (raw, path) =>
    prefixConfigError(path, () => (typeof raw === 'string' ? getHardwarePreset(raw) : loadHardwareConfig(stripModelField(raw, 'analytical-v1')))),
  searchSpace: (options = {}) => hardwareSpace(options as HardwareSpaceOptions),
  applyCandidate: applyHardwareCandidate,
  evaluate,
  knobs: ANALYTICAL_KNOBS,
};

registerHardwareModel(analyticalModel);
