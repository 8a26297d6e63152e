/**
 * The compute-in-memory tile parameters that the hardware cost model (@cosearch/hardware) and
 * the crossbar accuracy model (@cosearch/cim-training) share, with the same names and units, so
 * a co-search candidate's CIM choice configures both. The two packages may not import each
 * other, so the one declaration lives here; each extends it with its own fields.
 */
export interface CimTileParams {
  /** Crossbar rows (inputs) and columns (outputs) of one array. */
  rows: number;
  cols: number;
  /** Bits stored per cell (multi-level cells). */
  cellBits: number;
  adcBits: number;
  /** Input bits applied per array cycle (1 = bit-serial inputs). */
  dacBits: number;
  /** Columns sharing one ADC (time-multiplexed). */
  columnsPerAdc: number;
  gMinSiemens: number;
  gMaxSiemens: number;
  readVoltageV: number;
  readPulseS: number;
  /** Differential weight pairs (G+ − G−): two columns per weight slice. */
  differential: boolean;
}
