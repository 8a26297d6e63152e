import type { CimTileParams } from '@cosearch/core';
import type { HardwareConfig } from './config';

/** The shared tile fields (declared in core, so cim-training reads the same ones). */
export type { CimTileParams };

/** The tile parameters of a config's CIM engine, or null if it has none. */
export function cimTileParams(hw: HardwareConfig): CimTileParams | null {
  const c = hw.cim;
  if (!c) return null;
  return {
    rows: c.rows, cols: c.cols, cellBits: c.cellBits, adcBits: c.adcBits, dacBits: c.dacBits, columnsPerAdc: c.columnsPerAdc,
    gMinSiemens: c.gMinSiemens, gMaxSiemens: c.gMaxSiemens, readVoltageV: c.readVoltageV, readPulseS: c.readPulseS, differential: c.differential,
  };
}
