import { conv2d, depthwise2d, type LayerSpec } from '@cosearch/core';
import { getHardwarePreset } from '../presets';
import { derive } from '../derive';
import { canonicalShape } from '../shape';
import { energyTable, mappingHardware } from '../npu';
import type { MapperObjective } from '../config';
import { engineLayer, templatesFor } from './templates';
import { costEnergyJ, exhaustiveMapping, searchMapping } from './search';
import { mappingSpace } from './space';
import { findMapping } from './index';
import { analyseMapping } from '../mappings/analyse';

/** A small NPU (4×4 PEs, 64 B RF, 4 KiB GLB) so the exhaustive search stays quick and buffers bind. */
function small(edit: (hw: ReturnType<typeof getHardwarePreset>) => void = () => undefined) {
  const hw = getHardwarePreset('edge-npu-cim-v1');
  Object.assign(hw.npu!, { peRows: 4, peCols: 4, rfBytes: 64, glbBytes: 4096 });
  hw.mapping.scheme = 'npu-only';
  edit(hw);
  return hw;
}

function setup(l: LayerSpec, hw: ReturnType<typeof getHardwarePreset>) {
  const s = canonicalShape(l)!;
  const p = derive(hw).npu!;
  return { layer: engineLayer(s, l.name), hw: mappingHardware(s, p), energy: energyTable(s, p), templates: templatesFor(engineLayer(s, l.name).kind, p.rows, p.cols) };
}

const LAYERS: LayerSpec[] = [
  conv2d({ name: 'conv3x3', inChannels: 6, outChannels: 8, inHeight: 10, inWidth: 10, kernel: 3, padding: 'valid' }),
  conv2d({ name: 'conv-s2', inChannels: 3, outChannels: 5, inHeight: 11, inWidth: 11, kernel: 3, stride: 2, padding: 'valid' }),
  depthwise2d({ name: 'dw', channels: 12, inHeight: 9, inWidth: 9, kernel: 3 }),
  { kind: 'dense', name: 'fc', batch: 2, inFeatures: 40, outFeatures: 24 },
  { kind: 'matmul', name: 'qk', batch: 2, m: 8, k: 16, n: 8 },
];

describe('mapper: equals the exhaustive search over the same space', () => {
  for (const objective of ['latency', 'energy', 'edp'] as MapperObjective[]) {
    for (const l of LAYERS) {
      it(`${l.name}, ${objective}`, () => {
        for (const hw of [small(), small((h) => { h.dram.bandwidthBytesPerS = 2e8; h.npu!.distribution.bandwidthBitsPerCycle = 16; })]) {
          const x = setup(l, hw);
          const fast = searchMapping(x.layer, x.templates, x.hw, { objective, energy: x.energy });
          const brute = exhaustiveMapping(x.layer, x.templates, x.hw, { objective, energy: x.energy });
          expect(fast.score).toBe(brute.score);
          expect(fast.mapping.directives).toEqual(brute.mapping.directives);
          expect(fast.spaceSize).toBe(brute.spaceSize);
          expect(fast.analysed + fast.pruned).toBe(fast.spaceSize);
        }
      });
    }
  }

  it('the active-PE bound is an upper bound for every candidate (so the pruning is exact)', () => {
    for (const l of LAYERS) {
      const x = setup(l, small((h) => { h.npu!.glbBytes = 1 << 20; h.npu!.rfBytes = 4096; }));
      for (const c of mappingSpace(x.layer, x.templates, x.hw.numPes)) {
        let cost;
        try { cost = analyseMapping(x.layer, c.mapping, x.hw); } catch { continue; }
        expect(cost.macs / cost.runtimeCycles).toBeLessThanOrEqual(c.activePesBound + 1e-9);
      }
    }
  });

  it('memoised results equal cold ones', () => {
    const hw = small();
    for (const l of LAYERS) expect(findMapping(l, hw)).toEqual(findMapping(l, hw, { memo: false }));
  });

  it('prunes: on a compute-bound layer the bound skips part of the space for latency', () => {
    const hw = small((h) => { h.dram.bandwidthBytesPerS = 1e15; h.npu!.distribution.bandwidthBitsPerCycle = 1e9; h.npu!.glbBytes = 1 << 20; h.npu!.rfBytes = 4096; });
    const x = setup(LAYERS[0], hw);
    const r = searchMapping(x.layer, x.templates, x.hw, { objective: 'latency', energy: x.energy });
    expect(r.pruned).toBeGreaterThan(0);
    // 6·8·9·8·8 = 27,648 MACs on 16 PEs: 1,728 cycles is the bound; the best mapping is within 2× of it.
    expect(r.cost.runtimeCycles).toBeGreaterThanOrEqual(1728);
  });

  it('buffers are constraints: every chosen mapping fits, and a tiny GLB rules candidates out', () => {
    const x = setup(LAYERS[0], small((h) => { h.npu!.glbBytes = 256; }));
    const r = searchMapping(x.layer, x.templates, x.hw, { objective: 'edp', energy: x.energy });
    expect(r.infeasible).toBeGreaterThan(0);
    expect(r.cost.l2RequirementElems).toBeLessThanOrEqual(x.hw.l2SizeElems);
    expect(r.cost.l1RequirementElems).toBeLessThanOrEqual(x.hw.l1SizeElems);
  });

  it('deterministic, and the space lists each directive list once', () => {
    const x = setup(LAYERS[0], small());
    const a = searchMapping(x.layer, x.templates, x.hw, { objective: 'edp', energy: x.energy });
    const b = searchMapping(x.layer, x.templates, x.hw, { objective: 'edp', energy: x.energy });
    expect(b).toEqual(a);
    const space = mappingSpace(x.layer, x.templates, x.hw.numPes);
    const keys = space.map((c) => JSON.stringify(c.mapping.directives));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('each objective is optimal for itself: latency-best is no slower, energy-best no costlier than the other picks', () => {
    const hw = small();
    const l = LAYERS[0];
    const lat = findMapping(l, hw, { objective: 'latency', memo: false });
    const en = findMapping(l, hw, { objective: 'energy', memo: false });
    const edp = findMapping(l, hw, { objective: 'edp', memo: false });
    expect(lat.cost.runtimeCycles).toBeLessThanOrEqual(en.cost.runtimeCycles);
    expect(lat.cost.runtimeCycles).toBeLessThanOrEqual(edp.cost.runtimeCycles);
    const x = setup(l, hw);
    expect(en.score).toBeLessThanOrEqual(costEnergyJ(lat.cost, x.energy));
    expect(en.score).toBeLessThanOrEqual(costEnergyJ(edp.cost, x.energy));
    expect(edp.score).toBeLessThanOrEqual(costEnergyJ(lat.cost, x.energy) * lat.cost.runtimeCycles);
  });
});
