import { conformanceNetwork, getHardwareModel, resolveHardwareModel, runHardwareModelConformance, layerMacs, type LayerSpec } from '@cosearch/core';
import { analyticalModel, engineCosts, evaluate, evaluateModel, getHardwarePreset, type HardwareConfig } from './index';

const edge = getHardwarePreset('edge-npu-cim-v1');
const greedy = getHardwarePreset('edge-npu-cim-v1');
greedy.mapping.scheme = 'greedy-edp';

// Knobs run on the first config (edge: it has both an NPU and CIM tiles).
runHardwareModelConformance(analyticalModel, {
  configs: [edge, greedy, getHardwarePreset('eyeriss-65nm-v1'), getHardwarePreset('tpu-like-v1'), getHardwarePreset('neurram-130nm-v1')],
  // The default V/f grid (0.6–1.0 V × 200 MHz–1 GHz) has no feasible clock at 0.6 V on the
  // Eyeriss (f_max 120 MHz) and NeuRRAM (48 MHz) presets, so sampling would dead-end there: a grid every preset can run.
  spaceOptions: { voltagesV: [0.8, 0.9, 1.0], frequenciesHz: [25e6, 50e6, 75e6] },
  invalid: [
    { raw: { extends: 'edge-npu-cim-v1', npu: { peRows: 0 } }, message: /^invalid npu\.peRows: got 0, expected an integer >= 1$/ },
    { raw: { model: 'lut-v1', extends: 'edge-npu-cim-v1' }, message: /^invalid model: got "lut-v1", expected "analytical-v1"$/ },
  ],
});

describe('analytical-v1 behind the seam', () => {
  it('is registered, resolves files without a model field, and equals evaluate()', () => {
    expect(getHardwareModel('analytical-v1')).toBe(analyticalModel);
    const { model, config } = resolveHardwareModel({ extends: 'eyeriss-65nm-v1', npu: { peRows: 8 } });
    expect(model.id).toBe('analytical-v1');
    expect((config as HardwareConfig).npu!.peRows).toBe(8);
    const net = conformanceNetwork();
    expect(JSON.stringify(model.evaluate(net, config))).toBe(JSON.stringify(evaluate(net, config as HardwareConfig)));
    expect(() => resolveHardwareModel({ extends: 'edge-npu-cim-v1', npu: { peRows: -2 } }, { path: 'hardware' })).toThrow('invalid hardware.npu.peRows: got -2');
  });
});

describe('engine-cost registry (per model, engine, layer kind, with priority fallback)', () => {
  const net: LayerSpec[] = conformanceNetwork();
  const model = { id: 'double-conv-test-v1', token: 'dct|' };
  afterEach(() => ['dct-conv', 'dct-low', 'dct-pass'].forEach((n) => engineCosts.unregister(n)));

  it('a model-specific entry answers first, falls back with next(), and leaves the analytical model untouched', () => {
    engineCosts.register({ name: 'dct-conv', model: model.id, engine: 'npu', kinds: ['conv'], priority: 5, cost: (x) => { const b = x.next(); return { ...b, latencyS: 2 * b.latencyS }; } });
    const hw = getHardwarePreset('edge-npu-cim-v1');
    hw.mapping.scheme = 'npu-only';
    const ref = evaluate(net, hw);
    const r = evaluateModel(net, hw, model);
    net.forEach((l, i) => {
      const want = l.kind === 'conv' ? 2 * ref.perLayer[i].engineLatencyS : ref.perLayer[i].engineLatencyS;
      expect(r.perLayer[i].engineLatencyS).toBe(want);
      expect(r.perLayer[i].macs).toBe(layerMacs(l));
    });
    // The memo is keyed by the model's token: the analytical result is unchanged afterwards.
    expect(JSON.stringify(evaluate(net, hw))).toBe(JSON.stringify(ref));
  });

  it('orders by priority, then model-specific before "*", and null passes to the next entry', () => {
    engineCosts.register({ name: 'dct-low', model: model.id, engine: 'npu', kinds: '*', priority: 1, cost: (x) => ({ ...x.next(), latencyS: 1 }) });
    engineCosts.register({ name: 'dct-pass', model: model.id, engine: 'npu', kinds: ['conv'], priority: 9, cost: () => null });
    expect(engineCosts.chain(model.id, 'npu', 'conv').map((e) => e.name)).toEqual(['dct-pass', 'dct-low', 'npu-analytical']);
    expect(engineCosts.chain(model.id, 'cim', 'conv').map((e) => e.name)).toEqual(['cim-analytical']);
    expect(engineCosts.chain('analytical-v1', 'npu', 'conv').map((e) => e.name)).toEqual(['npu-analytical']);
    const hw = getHardwarePreset('edge-npu-cim-v1');
    hw.mapping.scheme = 'npu-only';
    expect(evaluateModel([net[0]], hw, model).perLayer[0].engineLatencyS).toBe(1);
    expect(() => engineCosts.register({ name: 'dct-low', model: '*', engine: 'npu', kinds: '*', priority: 0, cost: () => null })).toThrow(/already registered/);
  });
});
