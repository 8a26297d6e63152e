import type { Shape } from './shape';
import { mapToCrossbars, type XbarGeometry } from './crossbar';
import { zeroEnergy, type EngineCost } from './result';

/** Everything the CIM model needs, as plain numbers (derived once per config in derive.ts). */
export interface CimParams extends XbarGeometry {
  tiles: number;
  adcBits: number;
  dacBits: number;
  columnsPerAdc: number;
  /** Mean cell conductance (G_min + G_max)/2, S. */
  gMeanSiemens: number;
  readVoltageV: number;
  readPulseS: number;
  writeEnergyPerCellJ: number;
  writeTimePerRowS: number;
  frequencyHz: number;
  vScale: number;
  adcJ: number;
  dacJ: number;
  /** Shift-add of one conversion result into the accumulator. */
  shiftAddJ: number;
  bufferBytes: number;
  bufferJPerBit: number;
  dramBytesPerS: number;
  dramJPerBit: number;
}

/** Per-layer context fixed at network level: are weights resident, how many copies run in parallel. */
export interface CimLayerContext {
  /** Weights must be (re)written this inference: they do not all fit, or they are activations. */
  program: boolean;
  /** Copies of the layer's weights working on different output pixels (spare tiles, ISAAC-style). */
  replication: number;
}

/** Mean of (x/(2^b−1))² over the 2^b equiprobable input levels: ½ for bit-serial inputs. */
export function inputActivity(dacBits: number): number {
  const L = 2 ** dacBits - 1;
  return (2 * L + 1) / (6 * L);
}

/**
 * CIM cost of one static-weight (or, in 'cim-only', dynamic) MAC layer:
 * - MVMs = N·P·Q steps, each applying ⌈b_in/b_dac⌉ input slices; an input slice takes the read
 *   pulse plus columnsPerAdc SAR conversions of adcBits clock cycles each (one bit per cycle):
 *   t_slice = t_read + columnsPerAdc·adcBits/f (REFERENCES §4 cycles-per-MVM form).
 * - layers needing more crossbars than exist run in ⌈crossbars/tiles⌉ passes; spare tiles hold
 *   `replication` copies that split the MVMs.
 * - energy = conversions·E_ADC + row drives·E_DAC + array ½·V²·Ḡ·t per cell per slice (mean input
 *   activity) + shift-add per conversion + buffer reads/writes + DRAM + programming (cells ×
 *   E_write, rows × t_write) when `program`.
 */
export function cimLayerCost(s: Shape, p: CimParams, ctx: CimLayerContext): EngineCost {
  const m = mapToCrossbars(s, p);
  const mvms = s.N * s.P * s.Q;
  const slicesIn = Math.ceil(s.inBits / p.dacBits);
  const sliceS = p.readPulseS + (p.columnsPerAdc * p.adcBits) / p.frequencyHz;
  const passes = Math.ceil(m.crossbars / p.tiles);
  const computeS = (Math.ceil(mvms / ctx.replication) * slicesIn * sliceS) * passes;
  const cellsUsed = s.G * m.rowsPerGroup * m.colsPerGroup;
  const conversions = mvms * slicesIn * m.rowBlocks * s.G * m.colsPerGroup;
  const dacDrives = mvms * slicesIn * m.colBlocks * s.G * m.rowsPerGroup;
  const energy = zeroEnergy();
  energy.adc = conversions * p.adcJ * p.vScale;
  energy.dac = dacDrives * p.dacJ * p.vScale;
  energy.array = mvms * slicesIn * cellsUsed * inputActivity(p.dacBits) * p.readVoltageV ** 2 * p.gMeanSiemens * p.readPulseS;
  energy.shiftAdd = conversions * p.shiftAddJ * p.vScale;
  const inBitsRead = mvms * s.G * m.rowsPerGroup * s.inBits;
  const outBitsWritten = s.outputCount * s.outBits;
  energy.cimBuffer = (inBitsRead + outBitsWritten) * p.bufferJPerBit * p.vScale;
  // Activations spill to DRAM when input + output do not fit in the CIM buffer.
  const iBytes = (s.inputCount * s.inBits) / 8;
  const oBytes = (s.outputCount * s.outBits) / 8;
  const spill = iBytes + oBytes > p.bufferBytes;
  let dramBytes = spill ? iBytes + oBytes : 0;
  let writeS = 0;
  if (ctx.program) {
    // Every used cell is written; crossbars are written in parallel, row by row.
    energy.cimWrite = cellsUsed * p.writeEnergyPerCellJ;
    writeS = passes * Math.min(m.rowsPerGroup * m.groupsPerXbar, p.rows) * p.writeTimePerRowS;
    if (!s.dynamicWeights) dramBytes += (s.weightCount * s.wBits) / 8;
  }
  energy.dram = dramBytes * 8 * p.dramJPerBit;
  const dramS = dramBytes / p.dramBytesPerS;
  const latencyS = Math.max(computeS, dramS) + writeS;
  const bound = writeS > computeS ? 'cim-write' : dramS > computeS ? 'dram' : 'compute';
  return {
    engine: 'cim',
    cycles: latencyS * p.frequencyHz,
    latencyS,
    energy,
    energyJ: energy.adc + energy.dac + energy.array + energy.shiftAdd + energy.cimBuffer + energy.cimWrite + energy.dram,
    activeUnits: Math.min(m.crossbars, p.tiles),
    utilisation: m.utilisation,
    crossbars: m.crossbars,
    adcConversions: conversions,
    access: {
      dramWeightReads: ctx.program && !s.dynamicWeights ? s.weightCount : 0,
      dramInputReads: spill ? s.inputCount : 0,
      dramOutputWrites: spill ? s.outputCount : 0,
      glbWeightReads: 0,
      glbInputReads: inBitsRead / s.inBits,
      glbOutputReads: 0,
      glbOutputWrites: s.outputCount,
      rf: 0,
      interPe: 0,
    },
    dramBytes,
    // Tiles spread over the NoC: the layer's unique inputs are multicast to its crossbars (the
    // im2col expansion happens in the tiles' input buffers, ISAAC-style) and the partial sums of
    // each row block are gathered.
    localNocBytes: m.crossbars > 1 ? (s.inputCount * s.inBits + outBitsWritten * m.rowBlocks) / 8 : 0,
    bound,
  };
}
