import type { LayerSpec } from '@cosearch/core';
import { canonicalShape, type Shape } from '../shape';
import type { MappingLayer } from './types';

/**
 * The engine's layer from the hardware package's canonical `Shape`. MAESTRO's convention: Y, X are
 * the (padded) input rows and columns with no padding modelled, so the padded input is the one
 * the outputs use, Y = (P − 1)·stride + R (a "same"-padded layer's unused last rows drop out).
 * - depthwise (G channels, C = K = 1): kind 'depthwise', C = G;
 * - a 1×1 "conv" on a 1×1 image (dense) and matmuls: GEMM (M×K)·(K×N) with M = rows, K = the
 *   reduction, N = outputs; batched matmuls and grouped convs run `groups` problems in sequence.
 */
export function mappingLayerFromShape(shape: Shape, name = 'layer'): MappingLayer {
  const s = shape;
  const Y = (s.P - 1) * s.strideH + s.R;
  const X = (s.Q - 1) * s.strideW + s.S;
  if (s.dynamicWeights) {
    // matmul [m×k]·[k×n] per batch: P = m, C = k, K = n, G = batch.
    return { name, kind: 'gemm', dims: { M: s.N * s.P * s.Q, K: s.C * s.R * s.S, N: s.K }, strideY: 1, strideX: 1, groups: s.G };
  }
  if (s.R === 1 && s.S === 1 && s.P === 1 && s.Q === 1 && s.H === 1 && s.W === 1) {
    return { name, kind: 'gemm', dims: { M: s.N, K: s.C, N: s.K }, strideY: 1, strideX: 1, groups: s.G };
  }
  if (s.K === 1 && s.C === 1 && s.G > 1) {
    return { name, kind: 'depthwise', dims: { N: s.N, K: 1, C: s.G, R: s.R, S: s.S, Y, X }, strideY: s.strideH, strideX: s.strideW };
  }
  return { name, kind: 'conv', dims: { N: s.N, K: s.K, C: s.C, R: s.R, S: s.S, Y, X }, strideY: s.strideH, strideX: s.strideW, groups: s.G };
}

/** The engine's layer for a core `LayerSpec`, or null for layers without MACs (pool, norm, ...). */
export function mappingLayerFromSpec(layer: LayerSpec): MappingLayer | null {
  const s = canonicalShape(layer);
  return s ? mappingLayerFromShape(s, layer.name) : null;
}
