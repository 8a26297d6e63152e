import type { HardwareConfig } from './config';

/**
 * The CIM tile parameters in the field names shared with @cosearch/cim-training, so a search
 * can simulate the accuracy of the very crossbar it costs (same ADC bits, levels, conductances).
 */
export interface CimTileParams {
  rows: number;
  cols: number;
  cellBits: number;
  adcBits: number;
  dacBits: number;
  columnsPerAdc: number;
  gMinSiemens: number;
  gMaxSiemens: number;
  readVoltageV: number;
  readPulseS: number;
  differential: boolean;
}

/** The tile parameters of a config's CIM engine, or null if it has none. */
export function cimTileParams(hw: HardwareConfig): CimTileParams | null {
  const c = hw.cim;
  if (!c) return null;
  return {
    rows: c.rows, cols: c.cols, cellBits: c.cellBits, adcBits: c.adcBits, dacBits: c.dacBits, columnsPerAdc: c.columnsPerAdc,
    gMinSiemens: c.gMinSiemens, gMaxSiemens: c.gMaxSiemens, readVoltageV: c.readVoltageV, readPulseS: c.readPulseS, differential: c.differential,
  };
}
