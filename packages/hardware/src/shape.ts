import { bitsOf, type LayerSpec } from '@cosearch/core';

/**
 * A MAC layer canonicalised to the 7-D conv nest of REFERENCES §4 plus a group count G:
 * G independent problems, each N·K·C·R·S·P·Q MACs. Depthwise = G channels with C = K = 1;
 * dense = 1×1 conv on a 1×1 image; matmul [m×k]·[k×n] = G = batch problems with P = m, C = k,
 * K = n, whose "weight" operand (k×n) is an activation (`dynamicWeights`).
 */
export interface Shape {
  G: number; N: number; K: number; C: number; R: number; S: number; P: number; Q: number;
  strideH: number; strideW: number;
  /** Input height/width per group (for unique input counts and halo reuse). */
  H: number; W: number;
  inBits: number; wBits: number; outBits: number;
  dynamicWeights: boolean;
  macs: number;
  /** Unique elements of each tensor over all groups. */
  weightCount: number; inputCount: number; outputCount: number;
}

function make(
  G: number, N: number, K: number, C: number, R: number, S: number, P: number, Q: number,
  strideH: number, strideW: number, H: number, W: number, l: LayerSpec, dynamicWeights: boolean,
): Shape {
  const b = bitsOf(l);
  return {
    G, N, K, C, R, S, P, Q, strideH, strideW, H, W,
    inBits: b.inputBits, wBits: b.weightBits, outBits: b.outputBits, dynamicWeights,
    macs: G * N * K * C * R * S * P * Q,
    weightCount: G * K * C * R * S,
    inputCount: G * N * C * H * W,
    outputCount: G * N * K * P * Q,
  };
}

/** The canonical shape of a MAC layer, or null for vector-unit layers (pool, norm, softmax, ...). */
export function canonicalShape(l: LayerSpec): Shape | null {
  switch (l.kind) {
    case 'conv': {
      const g = l.groups ?? 1;
      return make(g, l.batch, l.outChannels / g, l.inChannels / g, l.kernelH, l.kernelW, l.outHeight, l.outWidth,
        l.strideH, l.strideW, l.inHeight, l.inWidth, l, false);
    }
    case 'depthwise':
      return make(l.channels, l.batch, 1, 1, l.kernelH, l.kernelW, l.outHeight, l.outWidth,
        l.strideH, l.strideW, l.inHeight, l.inWidth, l, false);
    case 'dense':
      return make(1, l.batch, l.outFeatures, l.inFeatures, 1, 1, 1, 1, 1, 1, 1, 1, l, false);
    case 'matmul':
      return make(l.batch, 1, l.n, l.k, 1, 1, l.m, 1, 1, 1, l.m, 1, l, true);
    default:
      return null;
  }
}

/** Ceil-fold utilisation of extent d on p units: d / (⌈d/p⌉·p) (REFERENCES §4). */
export function foldUtil(d: number, p: number): number {
  return d / (Math.ceil(d / p) * p);
}
