/**
 * The hardware configuration: plain JSON data, validated once by `validateHardwareConfig`
 * (validate.ts). Units are SI and carried in the field names. Every field is documented in the
 * package README.
 */
import type { CimTileParams } from '@cosearch/core';

/** Where each engine sits on the NoC, as router coordinates [x, y] on the k×k grid. */
export interface Placement {
  npu: [number, number];
  cim: [number, number];
  dram: [number, number];
}

export type Topology = 'mesh' | 'torus' | 'ring';

export interface NocConfig {
  topology: Topology;
  /** Routers per side: k×k routers (a ring has k·k routers in one cycle). */
  k: number;
  /** Physical link width in bits (bits a link moves per NoC cycle). */
  linkWidthBits: number;
  /** Flit size in bits; a flit takes ⌈flitBits/linkWidthBits⌉ link cycles. */
  flitBits: number;
  /** Flits per packet (one head flit of overhead per packet, Dally & Towles §12). */
  packetFlits: number;
  /** Router pipeline depth in cycles. */
  routerStages: number;
  virtualChannels: number;
  /** Buffer depth per virtual channel, in flits. */
  bufferDepthFlits: number;
  /** Physical length of one link (router pitch), mm. */
  linkLengthMm: number;
  placement: Placement;
}

/** One DVFS operating point. */
export interface OperatingPoint {
  voltageV: number;
  frequencyHz: number;
}

export interface DvfsConfig {
  /** Nominal supply at which the technology energies hold and `maxFrequencyAtNominalHz` is met. */
  nominalVoltageV: number;
  thresholdVoltageV: number;
  /** Velocity-saturation exponent of the alpha-power law (Sakurai & Newton 1990). */
  alpha: number;
  /** f_max at the nominal voltage. */
  maxFrequencyAtNominalHz: number;
  npu: OperatingPoint;
  cim: OperatingPoint;
  noc: OperatingPoint;
}

/**
 * The buffer-to-PE distribution network inside the NPU (GLB ↔ PE clusters ↔ PEs), separate from
 * the chip-level NoC between engines and memory. The same network parameters apply at every
 * cluster level of a mapping (MAESTRO configures identical NoC levels).
 */
export interface DistributionConfig {
  /** Bandwidth of each level, bits per NPU cycle (elements per cycle = bits / the layer's word width). */
  bandwidthBitsPerCycle: number;
  /** Hops from the buffer to the farthest unit of a level. */
  hops: number;
  /** Cycles per hop; every top-level step waits hops × hopLatencyCycles (MAESTRO d(T) = H + ⌈T/bw⌉ − 1). */
  hopLatencyCycles: number;
  /** One element sent to several units counts once on the network. */
  multicast: boolean;
  /** Partial sums are added in the network (adder tree) instead of each travelling to the buffer. */
  spatialReduction: boolean;
}

/** What the mapper minimises when `npu.mapping` is "auto". */
export type MapperObjective = 'latency' | 'energy' | 'edp';

export interface NpuConfig {
  /** Dataflow plug-in name (see `dataflowRegistry`), e.g. 'row-stationary-v1'; names the default mapping. */
  dataflow: string;
  /**
   * Mapping of every layer: a template name (see `mappingTemplates`), "auto" (the mapper picks
   * the best mapping per layer for `mapperObjective`), or directive text in MAESTRO syntax
   * (`"SpatialMap(1,1) K; TemporalMap(16,16) C; Cluster(16, P); SpatialMap(1,1) C"`). Default:
   * the template of `dataflow`.
   */
  mapping: string;
  /** Mapper objective for `mapping: "auto"` (default 'edp', Timeloop's mapper default metric). */
  mapperObjective: MapperObjective;
  peRows: number;
  peCols: number;
  /** Register file (scratchpad) per PE, bytes. */
  rfBytes: number;
  /** Global buffer, bytes. */
  glbBytes: number;
  /**
   * Buffer-to-PE distribution network. Old configs' `glbBandwidthBitsPerCycle` (GLB ↔ array
   * bandwidth) is read as `distribution.bandwidthBitsPerCycle`.
   */
  distribution: DistributionConfig;
  /** Overlap transfers with compute (runtime = max instead of sum). */
  doubleBuffering: boolean;
  /** Optional per-access energies replacing the technology-table defaults (for calibrated presets). */
  macEnergyJ?: number;
  rfEnergyJPerBit?: number;
  glbEnergyJPerBit?: number;
}

export type CimCellTech = 'rram' | 'sram';

/** A compute-in-memory tile array; the tile fields are core's `CimTileParams`, shared with @cosearch/cim-training. */
export interface CimConfig extends CimTileParams {
  cellTech: CimCellTech;
  /** Number of crossbar arrays on the chip. */
  tiles: number;
  /** Energy to program one cell, J, and time to program one row, s (RRAM write-verify). */
  writeEnergyPerCellJ: number;
  writeTimePerRowS: number;
  /** Input/output activation buffer of the CIM engine, bytes. */
  bufferBytes: number;
  /** Optional override of the ADC energy per conversion (default: ISAAC table scaled to the node). */
  adcEnergyJ?: number;
}

export interface VectorConfig {
  /** Element operations per NPU-domain cycle (softmax, norms, activations, pooling, adds). */
  lanes: number;
}

export interface DramConfig {
  bandwidthBytesPerS: number;
  energyJPerBit: number;
}

export type Engine = 'npu' | 'cim' | 'vector';
export type AssignedEngine = 'npu' | 'cim';

/** H4H-NAS execution schemes (mapping.ts documents each). */
export type Scheme = 'npu-only' | 'cim-only' | 'cim-static' | 'per-layer' | 'greedy-edp';

export interface MappingConfig {
  scheme: Scheme;
  /** For 'per-layer': engine by layer name or by block label (layer name wins). */
  assignment: Record<string, AssignedEngine>;
  /** For 'per-layer': engine of MAC layers not named in `assignment`. */
  defaultEngine: AssignedEngine;
  /** Activations moving between engines go over the NoC or round-trip through DRAM. */
  transferVia: 'noc' | 'dram';
  /** Engines work on successive inferences concurrently; `intervalS` = slowest engine's busy time. */
  pipeline: boolean;
}

export interface TechnologyConfig {
  /** Process node, nm (energies scale by Stillmaker & Baas 2017, areas by (node/45)²). */
  nodeNm: number;
  /** Leakage power per mm² at the nominal voltage, W/mm². */
  leakageWPerMm2: number;
}

export interface HardwareConfig {
  name: string;
  technology: TechnologyConfig;
  dvfs: DvfsConfig;
  /** Absent on a CIM-only chip. */
  npu?: NpuConfig;
  /** Absent on an NPU-only chip. */
  cim?: CimConfig;
  vector: VectorConfig;
  dram: DramConfig;
  noc: NocConfig;
  mapping: MappingConfig;
}
