import type { Engine } from './config';

/** Energy components (J) a layer or a network spends; keys of `breakdown`. */
export const ENERGY_COMPONENTS = [
  'mac', 'rf', 'interPe', 'glb', 'dram', 'adc', 'dac', 'array', 'shiftAdd', 'cimBuffer', 'cimWrite', 'vector', 'noc', 'leakage',
] as const;
export type EnergyComponent = (typeof ENERGY_COMPONENTS)[number];
export type EnergyBreakdown = Record<EnergyComponent, number>;

export function zeroEnergy(): EnergyBreakdown {
  return { mac: 0, rf: 0, interPe: 0, glb: 0, dram: 0, adc: 0, dac: 0, array: 0, shiftAdd: 0, cimBuffer: 0, cimWrite: 0, vector: 0, noc: 0, leakage: 0 };
}

/**
 * Access counts per memory level and tensor, in words (elements), so rows compare line by line
 * with Timeloop-style reports. GLB counts are array-side (fills from DRAM are not included).
 */
export interface AccessCounts {
  dramWeightReads: number;
  dramInputReads: number;
  dramOutputWrites: number;
  /** NPU: partial sums read back from DRAM when the GLB cannot hold them (absent = 0). */
  dramOutputReads?: number;
  glbWeightReads: number;
  glbInputReads: number;
  glbOutputReads: number;
  glbOutputWrites: number;
  rf: number;
  interPe: number;
}

export function zeroAccess(): AccessCounts {
  return { dramWeightReads: 0, dramInputReads: 0, dramOutputWrites: 0, glbWeightReads: 0, glbInputReads: 0, glbOutputReads: 0, glbOutputWrites: 0, rf: 0, interPe: 0 };
}

/** What limited a layer's runtime. */
export type Bound = 'compute' | 'glb' | 'dram' | 'noc' | 'cim-write' | 'vector';

/**
 * The mapping an NPU layer ran with: the template it comes from ("custom" for directive text),
 * the directives as text (tiles as analysed), who chose them, and what bounded its top-level steps.
 */
export interface LayerMapping {
  /** Template the mapping comes from (for `npu.mapping: "auto"`, the template of the mapper's pick). */
  name: string;
  /** Directives outer → inner, MAESTRO syntax, e.g. `SpatialMap(1,1) K; TemporalMap(64,64) C; Cluster(64); SpatialMap(1,1) C`. */
  directives: string;
  /** 'config': the named template or written mapping as is; 'mapper': "auto", or a template whose tiles the mapper shrank to fit the buffers. */
  chosenBy: 'config' | 'mapper';
  /** What limited the top-level steps most often: compute, the distribution network, or off-chip bandwidth. */
  stepBound: 'compute' | 'noc' | 'offchip';
  /** Top-level steps and the average per-step ingress / compute / egress delays, cycles. */
  steps: number;
  ingressCyclesAvg: number;
  computeCyclesAvg: number;
  egressCyclesAvg: number;
}

/** One engine's cost for one layer, before NoC and leakage (memoised by shape). */
export interface EngineCost {
  engine: Engine;
  /** Cycles of the engine's clock domain. */
  cycles: number;
  latencyS: number;
  /** Dynamic energy by component (DVFS-scaled), J. */
  energy: EnergyBreakdown;
  energyJ: number;
  /** NPU: average active PEs; CIM: used crossbars; vector: lanes. */
  activeUnits: number;
  /** Spatial utilisation of the engine, 0..1. */
  utilisation: number;
  crossbars: number;
  adcConversions: number;
  access: AccessCounts;
  /** Bytes moved to/from DRAM (these cross the NoC between the engine and the memory controller). */
  dramBytes: number;
  /** Bytes moved among the engine's own tiles over the NoC (CIM scatter/gather). */
  localNocBytes: number;
  bound: Bound;
  /** Set by table models (e.g. `lut-v1`): whether the figures were measured or estimated, and how. */
  source?: 'measured' | 'estimated';
  sourceNote?: string;
  /** NPU layers: the mapping and its per-step bound. */
  mapping?: LayerMapping;
}

/** One row of `perLayer`. */
export interface LayerResult {
  name: string;
  kind: string;
  block?: string;
  engine: Engine;
  macs: number;
  cycles: number;
  /** Layer time including NoC streaming (overlapped) and transfers from another engine, s. */
  latencyS: number;
  /** The engine's own time (compute and memory levels, CIM programming), before the NoC, s. */
  engineLatencyS: number;
  energyJ: number;
  activeUnits: number;
  utilisation: number;
  crossbars: number;
  adcConversions: number;
  access: AccessCounts;
  energy: EnergyBreakdown;
  /** NoC traffic of the layer (DRAM, inter-engine transfer, CIM scatter), bytes, and its time. */
  nocBytes: number;
  nocLatencyS: number;
  bound: Bound;
  /** Table models only (`lut-v1`): 'measured' (a table row of this shape) or 'estimated', and the rule applied. */
  source?: 'measured' | 'estimated';
  sourceNote?: string;
  /** NPU layers: the mapping (name, directives) and its per-step bound; absent on CIM and vector layers. */
  mapping?: LayerMapping;
}

export interface HardwareResult {
  /** End-to-end latency of one inference (layers in sequence), s. */
  latencyS: number;
  /** Initiation interval: = latencyS, or the busiest engine's time when `mapping.pipeline`. */
  intervalS: number;
  energyJ: number;
  areaMm2: number;
  /** energyJ / intervalS, W. */
  powerW: number;
  macs: number;
  perLayer: LayerResult[];
  breakdown: Record<string, { energyJ: number; latencyS?: number }>;
  area: Record<string, number>;
  /** Busy time per engine, s. */
  engineBusyS: Record<Engine, number>;
  cim: { crossbarsNeeded: number; weightsResident: boolean; replication: number };
}
