import { MetricError } from './errors';
import { assertFiniteMetrics, isMaximised, metricValue, type Metrics } from './metrics';
import { conv2d, depthwise2d, layerInputs, layerMacs, layerOutputs, layerWeights, networkTotals, validateLayers, type LayerSpec } from './layers';

const m: Metrics = { accuracy: 0.9, latencyS: 2e-3, energyJ: 3e-6, areaMm2: 4, extra: { params: 1000 } };

describe('metrics', () => {
  it('reads core fields, edp, edap and extras', () => {
    expect(metricValue(m, 'latencyS')).toBe(2e-3);
    expect(metricValue(m, 'edp')).toBeCloseTo(6e-9, 20);
    expect(metricValue(m, 'edap')).toBeCloseTo(2.4e-8, 20);
    expect(metricValue(m, 'params')).toBe(1000);
    expect(() => metricValue(m, 'powerW')).toThrow(/metric "powerW" not present; have accuracy, latencyS, energyJ, areaMm2, edp, edap, params/);
    expect(isMaximised('accuracy')).toBe(true);
    expect(isMaximised('cimAccuracy')).toBe(true);
    expect(isMaximised('latencyS')).toBe(false);
  });
  it('assertFiniteMetrics names every bad field', () => {
    expect(() => assertFiniteMetrics(m)).not.toThrow();
    expect(() => assertFiniteMetrics({ ...m, latencyS: NaN, extra: { p: Infinity } })).toThrow('metrics must be finite numbers: latencyS=NaN, extra.p=Infinity');
    expect(() => assertFiniteMetrics({ ...m, accuracy: 90 })).toThrow(MetricError);
    expect(() => assertFiniteMetrics({ ...m, energyJ: -1 })).toThrow('energyJ must be non-negative, got -1');
  });
});

describe('layers: MAC / weight / activation counts (hand values)', () => {
  it('conv 3×3, 3→32, 112×112 output at stride 2 (Timeloop reference layer: 10.84 M MACs)', () => {
    const l = conv2d({ name: 'c1', inChannels: 3, outChannels: 32, inHeight: 224, inWidth: 224, kernel: 3, stride: 2 });
    expect([l.outHeight, l.outWidth]).toEqual([112, 112]);
    expect(layerMacs(l)).toBe(32 * 112 * 112 * 3 * 9); // 10,838,016
    expect(layerWeights(l)).toBe(864);
    expect(layerInputs(l)).toBe(3 * 224 * 224);
    expect(layerOutputs(l)).toBe(32 * 112 * 112);
  });
  it('grouped, depthwise, valid padding, dense, attention matmul, vector layers', () => {
    const g = conv2d({ name: 'g', inChannels: 8, outChannels: 16, inHeight: 8, inWidth: 8, kernel: 3, groups: 4, padding: 'valid' });
    expect([g.outHeight, layerMacs(g), layerWeights(g)]).toEqual([6, 16 * 36 * 2 * 9, 16 * 2 * 9]);
    const d = depthwise2d({ name: 'd', channels: 16, inHeight: 14, inWidth: 14, kernel: 5, stride: 2 });
    expect([d.outHeight, layerMacs(d), layerWeights(d)]).toEqual([7, 16 * 49 * 25, 400]);
    const dense: LayerSpec = { kind: 'dense', name: 'fc', batch: 2, inFeatures: 64, outFeatures: 10 };
    expect([layerMacs(dense), layerWeights(dense), layerInputs(dense), layerOutputs(dense)]).toEqual([1280, 640, 128, 20]);
    // QKᵀ for 4 heads, 16 tokens, head dim 8: 4·16·8·16 MACs, no static weights, both operands read.
    const qk: LayerSpec = { kind: 'matmul', name: 'qk', batch: 4, m: 16, k: 8, n: 16 };
    expect([layerMacs(qk), layerWeights(qk), layerInputs(qk), layerOutputs(qk)]).toEqual([8192, 0, 4 * (128 + 128), 1024]);
    const add: LayerSpec = { kind: 'add', name: 'res', elements: 100 };
    expect([layerMacs(add), layerInputs(add), layerOutputs(add)]).toEqual([0, 200, 100]);
    expect(networkTotals([dense, qk, add])).toEqual({ macs: 1280 + 8192, weights: 640, activations: 20 + 1024 + 100 });
  });
  it('validateLayers names the bad field', () => {
    expect(validateLayers([{ kind: 'dense', name: 'fc', batch: 1, inFeatures: 4, outFeatures: 2 }])).toHaveLength(1);
    expect(() => validateLayers([{ kind: 'dense', name: 'fc', batch: 1, inFeatures: 0, outFeatures: 2 }])).toThrow('invalid layers[0].inFeatures: got 0, expected a positive integer');
    expect(() => validateLayers([{ kind: 'lstm', name: 'x' }])).toThrow(/layers\[0\]\.kind: got "lstm", expected one of conv/);
    expect(() => validateLayers([{ kind: 'add', name: 'a', elements: 4, weightBits: 40 }])).toThrow('invalid layers[0].weightBits: got 40, expected an integer from 1 to 32');
  });
});
