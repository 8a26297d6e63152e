import type { Shape } from '../shape';
import type { ArrayParams, DataflowResult } from './types';

/**
 * Shared closed form of the spatial templates (REFERENCES §4). Extent `dRow` of the layer is
 * spread over the array rows and `dCol` over the columns, the remaining loops run in time:
 *   compute cycles = MACs/(dRow·dCol) · ⌈dRow/rows⌉ · ⌈dCol/cols⌉ = MACs / (PEs · utilisation),
 *   utilisation   = Π_d d/(⌈d/p⌉·p).
 * GLB traffic of a tensor = max(unique elements, MACs / reuse), where `reuse` is the number of
 * MACs served per GLB fetch (spatial multicast/reduction × temporal reuse inside the PE), which
 * each template supplies. Output traffic counts partial-sum writes; reads = writes − outputs.
 */
export interface Reuse {
  weight: number;
  input: number;
  output: number;
  rfPerMac: number;
  interPePerMac: number;
}

export interface SpatialFold {
  /** Average used rows/cols over the folds: d / ⌈d/p⌉. */
  rowsUsed: number;
  colsUsed: number;
  computeCycles: number;
}

export function fold(s: Shape, a: ArrayParams, dRow: number, dCol: number): SpatialFold {
  const fr = Math.ceil(dRow / a.rows);
  const fc = Math.ceil(dCol / a.cols);
  return { rowsUsed: dRow / fr, colsUsed: dCol / fc, computeCycles: (s.macs / (dRow * dCol)) * fr * fc };
}

export function fromReuse(s: Shape, computeCycles: number, r: Reuse): DataflowResult {
  const writes = Math.max(s.outputCount, s.macs / r.output);
  return {
    activePes: s.macs / computeCycles,
    computeCycles,
    glbWeightReads: Math.max(s.weightCount, s.macs / r.weight),
    glbInputReads: Math.max(s.inputCount, s.macs / r.input),
    glbOutputWrites: writes,
    glbOutputReads: writes - s.outputCount,
    rfAccesses: s.macs * r.rfPerMac,
    interPeTransfers: s.macs * r.interPePerMac,
  };
}

/**
 * Sliding-window (halo) reuse of inputs over a tile of `p × q` outputs: MACs per input fetched =
 * p·q·R·S / (((p−1)·sh + R)·((q−1)·sw + S)).
 */
export function haloReuse(s: Shape, p: number, q: number): number {
  return (p * q * s.R * s.S) / (((p - 1) * s.strideH + s.R) * ((q - 1) * s.strideW + s.S));
}
