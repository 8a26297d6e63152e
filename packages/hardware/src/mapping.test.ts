import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasStaticWeights, layerMacs } from '@cosearch/core';
import { bestBlockAssignment, compareSchemes, evaluate, getHardwarePreset, validateNetwork, type Scheme } from './index';

const hybrid = validateNetwork(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'experiments', 'networks', 'hybrid-cnn-vit-cifar.json'), 'utf8'))).layers;
const run = (scheme: Scheme, edit: (h: ReturnType<typeof getHardwarePreset>) => void = () => undefined) => {
  const hw = getHardwarePreset('edge-npu-cim-v1');
  hw.mapping.scheme = scheme;
  edit(hw);
  return evaluate(hybrid, hw);
};

describe('engine assignment schemes (H4H-NAS)', () => {
  it('npu-only / cim-only / cim-static put each layer where documented', () => {
    const npu = run('npu-only');
    const cim = run('cim-only');
    const mixed = run('cim-static');
    hybrid.forEach((l, i) => {
      const mac = layerMacs(l) > 0;
      expect(npu.perLayer[i].engine).toBe(mac ? 'npu' : 'vector');
      expect(cim.perLayer[i].engine).toBe(mac ? 'cim' : 'vector');
      expect(mixed.perLayer[i].engine).toBe(!mac ? 'vector' : hasStaticWeights(l) ? 'cim' : 'npu');
    });
    // cim-only writes the attention operands into crossbars every inference.
    expect(cim.breakdown.cimWrite.energyJ).toBeGreaterThan(0);
    expect(mixed.breakdown.cimWrite.energyJ).toBe(0);
  });

  it('per-layer: layer name wins over block label, then the default engine', () => {
    const r = run('per-layer', (h) => {
      h.mapping.assignment = { attn1: 'cim', 'attn1.fc1': 'npu' };
      h.mapping.defaultEngine = 'npu';
    });
    const by = (name: string) => r.perLayer.find((x) => x.name === name)!.engine;
    expect(by('attn1.qkv')).toBe('cim');
    expect(by('attn1.fc1')).toBe('npu');
    expect(by('attn2.qkv')).toBe('npu');
  });

  it('greedy-edp puts each static-weight layer on the engine with the lower energy × latency', () => {
    const g = run('greedy-edp');
    const npu = run('npu-only');
    const cim = run('cim-static'); // same CIM residency plan as greedy's comparison
    const edp = (r: ReturnType<typeof run>, i: number) => (r.perLayer[i].energyJ - r.perLayer[i].energy.noc) * r.perLayer[i].engineLatencyS;
    let checked = 0;
    hybrid.forEach((l, i) => {
      if (!hasStaticWeights(l)) return;
      const best = edp(cim, i) < edp(npu, i) ? 'cim' : 'npu';
      expect(g.perLayer[i].engine).toBe(best);
      checked++;
    });
    expect(checked).toBeGreaterThan(20);
    expect(g.perLayer.some((x) => x.engine === 'cim')).toBe(true);
    expect(g.perLayer.some((x) => x.engine === 'npu')).toBe(true);
  });

  it('crossing engines moves activations over the NoC, or through DRAM when configured', () => {
    const noc = run('cim-static');
    const dram = run('cim-static', (h) => { h.mapping.transferVia = 'dram'; });
    expect(dram.breakdown.dram.energyJ).toBeGreaterThan(noc.breakdown.dram.energyJ);
  });

  it('pipelining bounds the interval by the busiest engine', () => {
    const seq = run('cim-static');
    const pipe = run('cim-static', (h) => { h.mapping.pipeline = true; });
    expect(pipe.intervalS).toBeCloseTo(Math.max(pipe.engineBusyS.npu, pipe.engineBusyS.cim, pipe.engineBusyS.vector), 15);
    expect(pipe.intervalS).toBeLessThan(seq.intervalS);
    expect(pipe.latencyS).toBeCloseTo(seq.latencyS, 15);
  });

  it('bestBlockAssignment is the exhaustive EDP optimum over per-block assignments (brute force on LeNet-5)', () => {
    const lenet = validateNetwork(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'experiments', 'networks', 'lenet5.json'), 'utf8'))).layers;
    const base = getHardwarePreset('edge-npu-cim-v1');
    base.cim!.tiles = 16; // weights no longer fit: the choice is not trivial
    const best = bestBlockAssignment(lenet, base);
    const edp = (r: ReturnType<typeof evaluate>) => r.energyJ * r.latencyS;
    for (const features of ['npu', 'cim'] as const) {
      for (const classifier of ['npu', 'cim'] as const) {
        const hw = getHardwarePreset('edge-npu-cim-v1');
        hw.cim!.tiles = 16;
        hw.mapping = { ...hw.mapping, scheme: 'per-layer', defaultEngine: 'npu', assignment: { features, classifier } };
        expect(edp(best.result)).toBeLessThanOrEqual(edp(evaluate(lenet, hw)) * (1 + 1e-12));
      }
    }
    const rows = compareSchemes(lenet, base);
    expect(rows.map((r) => r.scheme)).toEqual(['npu-only', 'cim-only', 'cim-static', 'greedy-edp', 'per-block-best']);
    expect(rows[4].edpJs).toBeCloseTo(edp(best.result), 20);
  });
});
