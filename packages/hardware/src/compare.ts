import { hasStaticWeights, layerMacs, type LayerSpec } from '@cosearch/core';
import type { AssignedEngine, HardwareConfig, Scheme } from './config';
import { evaluate } from './evaluate';
import type { HardwareResult } from './result';

export interface SchemeRow {
  /** Scheme name, or 'per-block-best' for the searched block assignment. */
  scheme: string;
  latencyS: number;
  intervalS: number;
  energyJ: number;
  edpJs: number;
  layersOnCim: number;
  layersOnNpu: number;
  /** Block → engine, for 'per-block-best'. */
  assignment?: Record<string, AssignedEngine>;
  result: HardwareResult;
}

function copy(hw: HardwareConfig): HardwareConfig {
  return JSON.parse(JSON.stringify(hw)) as HardwareConfig;
}

function row(scheme: string, r: HardwareResult, assignment?: Record<string, AssignedEngine>): SchemeRow {
  return {
    scheme, latencyS: r.latencyS, intervalS: r.intervalS, energyJ: r.energyJ, edpJs: r.energyJ * r.latencyS,
    layersOnCim: r.perLayer.filter((x) => x.engine === 'cim').length,
    layersOnNpu: r.perLayer.filter((x) => x.engine === 'npu').length,
    assignment, result: r,
  };
}

/**
 * The best per-block engine assignment for energy × latency, as the runner's per-block decisions
 * would find it: static-weight layers follow their block's engine, attention matmuls stay on the
 * NPU. Exhaustive over 2^blocks when blocks ≤ `exhaustiveMax`, else coordinate descent from
 * all-CIM until no single flip improves.
 */
export function bestBlockAssignment(layers: readonly LayerSpec[], base: HardwareConfig, exhaustiveMax = 12): { assignment: Record<string, AssignedEngine>; result: HardwareResult } {
  const blocks = [...new Set(layers.filter((l) => hasStaticWeights(l) && layerMacs(l) > 0).map((l) => l.block ?? l.name))];
  const pinned: Record<string, AssignedEngine> = {};
  for (const l of layers) if (!hasStaticWeights(l) && layerMacs(l) > 0) pinned[l.name] = 'npu';
  const run = (choice: AssignedEngine[]) => {
    const hw = copy(base);
    hw.mapping.scheme = 'per-layer';
    hw.mapping.defaultEngine = 'npu';
    hw.mapping.assignment = { ...Object.fromEntries(blocks.map((b, i) => [b, choice[i]])), ...pinned };
    return evaluate(layers, hw);
  };
  const edp = (r: HardwareResult) => r.energyJ * r.latencyS;
  let best: AssignedEngine[] = blocks.map(() => 'cim');
  let bestR = run(best);
  if (blocks.length <= exhaustiveMax) {
    for (let mask = 0; mask < 1 << blocks.length; mask++) {
      const c = blocks.map((_, i): AssignedEngine => ((mask >> i) & 1 ? 'npu' : 'cim'));
      const r = run(c);
      if (edp(r) < edp(bestR)) { best = c; bestR = r; }
    }
  } else {
    for (let improved = true; improved;) {
      improved = false;
      for (let i = 0; i < blocks.length; i++) {
        const c = [...best];
        c[i] = c[i] === 'cim' ? 'npu' : 'cim';
        const r = run(c);
        if (edp(r) < edp(bestR)) { best = c; bestR = r; improved = true; }
      }
    }
  }
  return { assignment: Object.fromEntries(blocks.map((b, i) => [b, best[i]])), result: bestR };
}

/**
 * NPU-only, CIM-only and heterogeneous execution of one network on one chip (the H4H-NAS
 * comparison): the fixed schemes, the per-layer greedy scheme and the best per-block assignment.
 */
export function compareSchemes(layers: readonly LayerSpec[], base: HardwareConfig): SchemeRow[] {
  const rows: SchemeRow[] = [];
  const schemes: Scheme[] = base.npu && base.cim ? ['npu-only', 'cim-only', 'cim-static', 'greedy-edp'] : base.npu ? ['npu-only'] : ['cim-only'];
  for (const s of schemes) {
    const hw = copy(base);
    hw.mapping.scheme = s;
    rows.push(row(s, evaluate(layers, hw)));
  }
  if (base.npu && base.cim) {
    const b = bestBlockAssignment(layers, base);
    rows.push(row('per-block-best', b.result, b.assignment));
  }
  return rows;
}
