import type { Shape } from './shape';
import type { Dataflow } from './dataflows/types';
import { macEnergyJ } from './tech';
import { zeroEnergy, type Bound, type EngineCost } from './result';

/** Everything the NPU model needs, as plain numbers (derived once per config in derive.ts). */
export interface NpuParams {
  dataflow: Dataflow;
  rows: number;
  cols: number;
  rfBytes: number;
  glbBytes: number;
  glbBandwidthBitsPerCycle: number;
  doubleBuffering: boolean;
  frequencyHz: number;
  nodeNm: number;
  /** (V/V_nom)² applied to all on-chip dynamic energy. */
  vScale: number;
  macEnergyJ?: number;
  rfJPerBit: number;
  glbJPerBit: number;
  /** Inter-PE hop: 2× an RF access (Eyeriss normalised costs, Chen et al. ISCA 2016). */
  interPeJPerBit: number;
  dramBytesPerS: number;
  dramJPerBit: number;
}

/**
 * DRAM traffic of one layer (bytes per tensor). Activations stay in the GLB when input + output
 * fit in its usable part (half when double-buffered); static weights always stream from DRAM,
 * while the second operand of an activation × activation matmul (`dynamicWeights`, e.g. K or V)
 * is an activation too and stays on chip when all three fit. Otherwise the GLB is split between a
 * resident tile of one operand while the other streams past, and the cheaper loop order is taken:
 * Wb + Ib·⌈Wb/(cap/2)⌉ or Ib + Wb·⌈Ib/(cap/2)⌉; outputs are written once.
 */
export function dramTraffic(wBytes: number, iBytes: number, oBytes: number, capBytes: number, dynamicWeights = false): { w: number; i: number; o: number } {
  if (dynamicWeights && wBytes + iBytes + oBytes <= capBytes) return { w: 0, i: 0, o: 0 };
  if (!dynamicWeights && iBytes + oBytes <= capBytes) return { w: wBytes, i: 0, o: 0 };
  const half = capBytes / 2;
  const weightsOuter = wBytes + iBytes * Math.ceil(wBytes / half);
  const inputsOuter = iBytes + wBytes * Math.ceil(iBytes / half);
  return weightsOuter <= inputsOuter
    ? { w: wBytes, i: iBytes * Math.ceil(wBytes / half), o: oBytes }
    : { w: wBytes * Math.ceil(iBytes / half), i: iBytes, o: oBytes };
}

/**
 * NPU cost of one MAC layer: compute cycles and GLB/RF counts from the dataflow template, DRAM
 * traffic from `dramTraffic`; each level's time = traffic / bandwidth and runtime = max(compute,
 * GLB, DRAM) with double buffering, their sum without (REFERENCES §4). Energy = Σ counts × energy
 * per access (MACs, RF, inter-PE, GLB reads+writes incl. DRAM fills, DRAM).
 */
export function npuLayerCost(s: Shape, p: NpuParams): EngineCost {
  const df = p.dataflow.map(s, { rows: p.rows, cols: p.cols, rfBytes: p.rfBytes });
  const wBytes = (s.weightCount * s.wBits) / 8;
  const iBytes = (s.inputCount * s.inBits) / 8;
  const oBytes = (s.outputCount * s.outBits) / 8;
  const dram = dramTraffic(wBytes, iBytes, oBytes, p.doubleBuffering ? p.glbBytes / 2 : p.glbBytes, s.dynamicWeights);
  const dramBytes = dram.w + dram.i + dram.o;
  const glbArrayBits =
    df.glbWeightReads * s.wBits + df.glbInputReads * s.inBits + (df.glbOutputReads + df.glbOutputWrites) * s.outBits;
  const computeS = df.computeCycles / p.frequencyHz;
  const glbS = glbArrayBits / p.glbBandwidthBitsPerCycle / p.frequencyHz;
  const dramS = dramBytes / p.dramBytesPerS;
  let latencyS: number;
  let bound: Bound = 'compute';
  if (p.doubleBuffering) {
    latencyS = Math.max(computeS, glbS, dramS);
    if (latencyS === dramS && dramS > computeS) bound = 'dram';
    else if (latencyS === glbS && glbS > computeS) bound = 'glb';
  } else {
    latencyS = computeS + glbS + dramS;
    bound = computeS >= glbS && computeS >= dramS ? 'compute' : dramS >= glbS ? 'dram' : 'glb';
  }
  const wordBits = Math.max(s.inBits, s.wBits);
  const energy = zeroEnergy();
  energy.mac = s.macs * (p.macEnergyJ ?? macEnergyJ(s.inBits, s.wBits, p.nodeNm)) * p.vScale;
  energy.rf = df.rfAccesses * wordBits * p.rfJPerBit * p.vScale;
  energy.interPe = df.interPeTransfers * wordBits * p.interPeJPerBit * p.vScale;
  energy.glb = (glbArrayBits + dramBytes * 8) * p.glbJPerBit * p.vScale;
  energy.dram = dramBytes * 8 * p.dramJPerBit;
  return {
    engine: 'npu',
    cycles: latencyS * p.frequencyHz,
    latencyS,
    energy,
    energyJ: energy.mac + energy.rf + energy.interPe + energy.glb + energy.dram,
    activeUnits: df.activePes,
    utilisation: df.activePes / (p.rows * p.cols),
    crossbars: 0,
    adcConversions: 0,
    access: {
      dramWeightReads: (dram.w * 8) / s.wBits,
      dramInputReads: (dram.i * 8) / s.inBits,
      dramOutputWrites: (dram.o * 8) / s.outBits,
      glbWeightReads: df.glbWeightReads,
      glbInputReads: df.glbInputReads,
      glbOutputReads: df.glbOutputReads,
      glbOutputWrites: df.glbOutputWrites,
      rf: df.rfAccesses,
      interPe: df.interPeTransfers,
    },
    dramBytes,
    localNocBytes: 0,
    bound,
  };
}
