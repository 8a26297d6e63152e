import { hasStaticWeights, layerMacs, type LayerSpec } from '@cosearch/core';
import type { Engine, HardwareConfig } from './config';

/**
 * Engine of one layer under the H4H-NAS execution schemes (`mapping.scheme`):
 * - 'npu-only'   every MAC layer on the NPU;
 * - 'cim-only'   every MAC layer on the CIM tiles — attention matmuls too, whose activation
 *                operand is written into crossbars each inference (what a CIM-only chip must do);
 * - 'cim-static' static-weight layers (conv, depthwise, dense) on CIM, activation × activation
 *                matmuls on the NPU (on the vector unit if the chip has no NPU);
 * - 'per-layer'  `mapping.assignment[layer.name]`, else `mapping.assignment[layer.block]`, else
 *                `mapping.defaultEngine` — the runner writes one entry per block (decisions
 *                `engine.<block>`, see space.ts) or per layer;
 * - 'greedy-edp' resolved in evaluate.ts: each MAC layer on the engine with the lower
 *                energy × latency (both costed).
 * Non-MAC layers (pool, norm, activation, add, softmax) always run on the vector unit.
 * Returns null for 'greedy-edp' MAC layers (the caller compares engines).
 */
export function schemeEngine(l: LayerSpec, hw: HardwareConfig): Engine | null {
  if (layerMacs(l) === 0) return 'vector';
  const m = hw.mapping;
  const dynamic = !hasStaticWeights(l);
  const npuSide: Engine = hw.npu ? 'npu' : 'vector';
  switch (m.scheme) {
    case 'npu-only':
      return npuSide;
    case 'cim-only':
      return 'cim';
    case 'cim-static':
      return dynamic ? npuSide : 'cim';
    case 'per-layer': {
      const e = m.assignment[l.name] ?? (l.block !== undefined ? m.assignment[l.block] : undefined) ?? m.defaultEngine;
      return e === 'npu' ? npuSide : e;
    }
    case 'greedy-edp':
      return null;
  }
}
