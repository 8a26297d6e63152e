import type { Shape } from '../shape';

/** The PE array a dataflow maps onto. */
export interface ArrayParams {
  rows: number;
  cols: number;
  rfBytes: number;
}

/**
 * What a dataflow template yields for one layer on one array: spatial utilisation, compute
 * cycles and access counts (in words) between the global buffer (GLB) and the array, inside the
 * PEs' register files (RF) and between neighbouring PEs.
 */
export interface DataflowResult {
  /** Average active PEs = MACs / compute cycles. */
  activePes: number;
  computeCycles: number;
  glbWeightReads: number;
  glbInputReads: number;
  /** Partial sums read back for accumulation (writes − unique outputs). */
  glbOutputReads: number;
  glbOutputWrites: number;
  rfAccesses: number;
  interPeTransfers: number;
}

/** A dataflow plug-in: pure function of the canonical shape and the array. */
export interface Dataflow {
  readonly name: string;
  map(s: Shape, a: ArrayParams): DataflowResult;
}
