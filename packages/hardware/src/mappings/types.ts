/**
 * Mappings as data (issue 13): how a layer's loop dimensions are split over space and time at each
 * level (DRAM → global buffer → PE clusters → PEs), written as MAESTRO's data-centric directives
 * (Kwon et al., MICRO 2019): `SpatialMap(size, offset) D`, `TemporalMap(size, offset) D`,
 * `Cluster(n)`. Why directives and not a Timeloop loop nest: the dataflows this model must match
 * (the MAESTRO templates and the five named dataflows) are stated as directives, the cluster is a
 * logical grouping independent of the physical rows × cols, and a directive list is short enough
 * for a mapper to enumerate. A Timeloop nest (per-level factors and permutations) can be written
 * as directives level by level.
 *
 * This file is the contract between the analysis engine (`analyse.ts`), the templates, the
 * MAESTRO-file parser, the mapper and the NPU model: change it only together with all of them.
 */

/**
 * Loop dimensions. Convolutions (MAESTRO's convention): N batch, K output channels, C input
 * channels, R×S filter, Y×X input rows/cols (no padding: the caller passes the padded input), and
 * the output-centric Y′/X′ (written `Yo`/`Xo`; MAESTRO's Y'/X'). GEMM (M×K)·(K×N): M, N, K with K
 * the reduction (GEMM layers use M, N, K only). Depthwise: C channels, one filter each (K = 1).
 */
export type Dim = 'N' | 'K' | 'C' | 'R' | 'S' | 'Y' | 'X' | 'Yo' | 'Xo' | 'M';

/**
 * A tile size or offset: a number, or an expression over `Sz(D)` (the layer's size of dimension
 * D), integers, + − × and parentheses, e.g. `"Sz(R)"`, `"8+Sz(S)-1"`. Evaluated per layer.
 */
export type SizeExpr = number | string;

export interface MapDirective {
  kind: 'spatial' | 'temporal';
  dim: Dim;
  size: SizeExpr;
  offset: SizeExpr;
}

/** Splits the units below into logical clusters of `size` (MAESTRO `Cluster(size, P)`). */
export interface ClusterDirective {
  kind: 'cluster';
  size: SizeExpr;
}

export type Directive = MapDirective | ClusterDirective;

export type LayerKind = 'conv' | 'depthwise' | 'gemm';

/** A mapping: directives outer → inner; `Cluster` starts the next (inner) level. */
export interface Mapping {
  /** Template or user name, e.g. 'maestro-kcp-ws-v1'. */
  name: string;
  /** Layer kinds the mapping applies to. */
  appliesTo: LayerKind[];
  directives: Directive[];
  /** Where the mapping comes from (paper, MAESTRO file) — shown in reports. */
  source?: string;
}

/** A layer in the engine's terms (sizes of every dimension the kind has; strides for convs). */
export interface MappingLayer {
  name: string;
  kind: LayerKind;
  /** Dimension sizes: conv/depthwise N, K, C, R, S, Y, X (Y, X = padded input); gemm M, N, K. */
  dims: Partial<Record<Dim, number>>;
  strideY: number;
  strideX: number;
  /**
   * Independent problems run one after another (grouped conv groups, batched matmuls); the cost
   * of one is multiplied. Default 1.
   */
  groups?: number;
}

/**
 * The accelerator as the engine sees it. Bandwidths in elements per cycle (MAESTRO counts
 * elements, not bytes); `Infinity` = unconstrained. The buffer-to-PE distribution network is
 * separate from the chip-level NoC between engines and memory.
 */
export interface MappingHardware {
  numPes: number;
  /** Distribution network (GLB ↔ clusters ↔ PEs) bandwidth, elements per cycle, at every level. */
  nocBandwidthElemsPerCycle: number;
  /** Hops × latency per hop of the distribution network, cycles (only the product matters). */
  nocHopLatencyCycles: number;
  /** Multicast of one element to several sub-clusters counts once (MAESTRO: always on). */
  multicast: boolean;
  /** Spatial reduction of partial sums inside the network (adder tree) rather than in the GLB. */
  spatialReduction: boolean;
  /** DRAM ↔ GLB bandwidth, elements per cycle. */
  offchipBandwidthElemsPerCycle: number;
  /** Per-PE register file and global buffer capacities, elements (capacity constraints). */
  l1SizeElems: number;
  l2SizeElems: number;
  /** Overlap transfers with compute: step = max(ingress, compute, egress), else their sum. */
  doubleBuffering: boolean;
  /** MACs per PE per cycle. */
  simdLanes: number;
  /**
   * DRAM ↔ GLB traffic model (default 'reuse'). 'reuse': a tensor that fits whole in the GLB next
   * to the step tiles is filled once; the others are refilled as the top-level loop order reuses
   * them (Timeloop-style tile fills). 'step-tile': MAESTRO's assumption, the GLB holds only the
   * double-buffered step tile, so every top-level step refetches its whole input and filter tile.
   */
  offchipModel?: 'reuse' | 'step-tile';
}

/** Per-tensor access counts at one level, elements. */
export interface TensorAccess {
  read: number;
  write: number;
}

export interface LevelAccess {
  input: TensorAccess;
  filter: TensorAccess;
  output: TensorAccess;
}

/** What the engine returns for one layer under one mapping on one accelerator. */
export interface MappingCost {
  macs: number;
  runtimeCycles: number;
  /** Average active PEs over top-level iteration cases, weighted by occurrences (MAESTRO's). */
  activePes: number;
  /**
   * The same average with every sub-cluster's own (edge) tile: MAESTRO counts an active
   * sub-cluster at its first tile's activity even on edge steps, which this one does not.
   */
  activePesExact: number;
  /** Number of top-level steps (Σ occurrences). */
  steps: number;
  /** Per-step delays at the top level, cycles (averages weighted by occurrences, and maxima). */
  ingressDelayAvg: number;
  egressDelayAvg: number;
  computeDelayAvg: number;
  ingressDelayMax: number;
  egressDelayMax: number;
  computeDelayMax: number;
  /** What limited the top-level steps most often. */
  bound: 'compute' | 'noc' | 'offchip';
  /** Accesses: l1 = PE register files, l2 = global buffer, dram = off-chip (as the reuse implies). */
  l1: LevelAccess;
  l2: LevelAccess;
  dram: LevelAccess;
  /** Traffic between neighbouring PEs/clusters (forwarded partial sums, elements). */
  interPe: number;
  /** Buffer requirements, elements (double-buffered, as MAESTRO prints them). */
  l1RequirementElems: number;
  l2RequirementElems: number;
}
