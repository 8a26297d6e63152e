import type { HardwareConfig } from './config';
import { getHardwarePreset } from './presets';

/**
 * A config for tests: a preset with leakage off and bandwidths so high that no memory level or
 * the NoC limits a layer (compute-bound), then `edit` applied. Not exported from the package.
 */
export function computeBoundConfig(preset = 'edge-npu-cim-v1', edit: (hw: HardwareConfig) => void = () => undefined): HardwareConfig {
  const hw = getHardwarePreset(preset);
  hw.technology.leakageWPerMm2 = 0;
  hw.dram.bandwidthBytesPerS = 1e18;
  if (hw.npu) {
    hw.npu.distribution.bandwidthBitsPerCycle = 1e12;
    hw.npu.distribution.hopLatencyCycles = 0;
    hw.npu.glbBytes = 1 << 30;
  }
  hw.noc.linkWidthBits = hw.noc.flitBits = 1 << 20;
  edit(hw);
  return hw;
}
