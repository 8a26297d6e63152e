import type { Shape } from './shape';
import type { DistributionConfig, MapperObjective } from './config';
import type { MappingCost, MappingHardware } from './mappings/types';
import { macEnergyJ } from './tech';
import { zeroEnergy, type Bound, type EngineCost, type EnergyBreakdown } from './result';
import { mapLayer, type EnergyTable } from './mapper/map-layer';

/** Everything the NPU model needs, as plain numbers (derived once per config in derive.ts). */
export interface NpuParams {
  /** Template name, or 'auto' (the mapper picks per layer). */
  mapping: string;
  mapperObjective: MapperObjective;
  rows: number;
  cols: number;
  rfBytes: number;
  glbBytes: number;
  distribution: DistributionConfig;
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
 * Word width the engine's element counts are converted with: the wider operand (the engine
 * counts elements; buses and buffers are sized in bits).
 */
export function wordBits(s: Shape): number {
  return Math.max(s.inBits, s.wBits);
}

/**
 * The accelerator as the mapping engine sees it for one layer: bandwidths and capacities in
 * elements of the layer's word width, DRAM bandwidth per NPU cycle.
 */
export function mappingHardware(s: Shape, p: NpuParams): MappingHardware {
  const w = wordBits(s);
  const d = p.distribution;
  return {
    numPes: p.rows * p.cols,
    nocBandwidthElemsPerCycle: d.bandwidthBitsPerCycle / w,
    nocHopLatencyCycles: d.hops * d.hopLatencyCycles,
    multicast: d.multicast,
    spatialReduction: d.spatialReduction,
    offchipBandwidthElemsPerCycle: (p.dramBytesPerS * 8) / (p.frequencyHz * w),
    l1SizeElems: Math.floor((p.rfBytes * 8) / w),
    l2SizeElems: Math.floor((p.glbBytes * 8) / w),
    doubleBuffering: p.doubleBuffering,
    simdLanes: 1,
  };
}

/** Per-element energies of each tensor at each level, J (what the mapper's energy objective and the NPU cost share). */
export function energyTable(s: Shape, p: NpuParams): EnergyTable {
  const v = p.vScale;
  const bits = { input: s.inBits, filter: s.wBits, output: s.outBits };
  const per = (jPerBit: number, scale: number) => ({ input: bits.input * jPerBit * scale, filter: bits.filter * jPerBit * scale, output: bits.output * jPerBit * scale });
  return {
    macJ: (p.macEnergyJ ?? macEnergyJ(s.inBits, s.wBits, p.nodeNm)) * v,
    l1: per(p.rfJPerBit, v),
    l2: per(p.glbJPerBit, v),
    dram: per(p.dramJPerBit, 1),
    interPeJ: s.outBits * p.interPeJPerBit * v,
  };
}

/** Energy of one analysed mapping by component (MACs, RF = L1, inter-PE, GLB = L2 incl. DRAM fills, DRAM), J. */
export function mappingEnergy(c: MappingCost, e: EnergyTable): Pick<EnergyBreakdown, 'mac' | 'rf' | 'interPe' | 'glb' | 'dram'> {
  const level = (a: MappingCost['l1'], j: EnergyTable['l1']) =>
    (a.input.read + a.input.write) * j.input + (a.filter.read + a.filter.write) * j.filter + (a.output.read + a.output.write) * j.output;
  return { mac: c.macs * e.macJ, rf: level(c.l1, e.l1), interPe: c.interPe * e.interPeJ, glb: level(c.l2, e.l2), dram: level(c.dram, e.dram) };
}

const BOUND: Record<MappingCost['bound'], Bound> = { compute: 'compute', noc: 'glb', offchip: 'dram' };

/**
 * NPU cost of one MAC layer from its mapping (issue 13): the named template, or the mapper's best
 * for `npu.mapping: "auto"`, analysed by the MAESTRO-style engine (`mappings/`). Runtime is the
 * engine's per-step model (ingress, compute, egress per step; max with double buffering, sum
 * without; distribution-network hop latency at every step; the GLB tiles' off-chip traffic
 * against DRAM bandwidth); energy = Σ per-tensor access counts at DRAM, GLB (L2, fills included),
 * RF (L1) and between PEs × the technology table's energy per bit × the tensor's bit width, plus
 * MACs × E_MAC. A layer with G groups (grouped conv, batched matmul) runs its G problems one
 * after another (the engine multiplies; depthwise layers map their channels instead).
 */
export function npuLayerCost(s: Shape, p: NpuParams, layerName?: string): EngineCost {
  const hw = mappingHardware(s, p);
  const e = energyTable(s, p);
  const m = mapLayer(s, p, hw, e, layerName);
  const c = m.cost;
  const cycles = c.runtimeCycles;
  const latencyS = cycles / p.frequencyHz;
  const parts = mappingEnergy(c, e);
  const energy = zeroEnergy();
  energy.mac = parts.mac;
  energy.rf = parts.rf;
  energy.interPe = parts.interPe;
  energy.glb = parts.glb;
  energy.dram = parts.dram;
  const dramBits = (c.dram.input.read + c.dram.input.write) * s.inBits + (c.dram.filter.read + c.dram.filter.write) * s.wBits +
    (c.dram.output.read + c.dram.output.write) * s.outBits;
  const dramBytes = dramBits / 8;
  return {
    engine: 'npu',
    cycles,
    latencyS,
    energy,
    energyJ: energy.mac + energy.rf + energy.interPe + energy.glb + energy.dram,
    activeUnits: c.activePes,
    utilisation: c.activePes / (p.rows * p.cols),
    crossbars: 0,
    adcConversions: 0,
    access: {
      dramWeightReads: c.dram.filter.read,
      dramInputReads: c.dram.input.read,
      dramOutputWrites: c.dram.output.write,
      dramOutputReads: c.dram.output.read,
      glbWeightReads: c.l2.filter.read,
      glbInputReads: c.l2.input.read,
      glbOutputReads: c.l2.output.read,
      glbOutputWrites: c.l2.output.write,
      rf: (c.l1.input.read + c.l1.input.write + c.l1.filter.read + c.l1.filter.write + c.l1.output.read + c.l1.output.write),
      interPe: c.interPe,
    },
    dramBytes,
    localNocBytes: 0,
    bound: BOUND[c.bound],
    mapping: {
      name: m.name,
      directives: m.directives,
      chosenBy: m.chosenBy,
      stepBound: c.bound,
      steps: c.steps,
      ingressCyclesAvg: c.ingressDelayAvg,
      computeCyclesAvg: c.computeDelayAvg,
      egressCyclesAvg: c.egressDelayAvg,
    },
  };
}
