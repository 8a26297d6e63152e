import type { ConvLayer, DenseLayer, DepthwiseLayer, MatmulLayer } from '@cosearch/core';
import { canonicalShape } from '../shape';
import { analyseMapping } from './analyse';
import { mappingLayerFromShape, mappingLayerFromSpec } from './layer';
import { getMappingTemplate, mappingTemplates } from './templates';
import type { MappingHardware } from './types';

const conv = (a: Omit<ConvLayer, 'kind'>): ConvLayer => ({ kind: 'conv', ...a });
const depthwise = (a: Omit<DepthwiseLayer, 'kind' | 'batch'>): DepthwiseLayer => ({ kind: 'depthwise', batch: 1, ...a });
const dense = (a: Omit<DenseLayer, 'kind'>): DenseLayer => ({ kind: 'dense', ...a });
const matmul = (a: Omit<MatmulLayer, 'kind'>): MatmulLayer => ({ kind: 'matmul', ...a });

const hw: MappingHardware = {
  numPes: 168, nocBandwidthElemsPerCycle: 16, nocHopLatencyCycles: 1, multicast: true, spatialReduction: true,
  offchipBandwidthElemsPerCycle: 8, l1SizeElems: Infinity, l2SizeElems: 108 * 1024, doubleBuffering: true, simdLanes: 1,
};

describe('mappingLayerFromShape / mappingLayerFromSpec', () => {
  it('conv: padded input = (P − 1)·stride + R, batch N', () => {
    // ResNet-18 conv1: 224×224 input padded by 3, 7×7/2 → 112×112.
    const l = mappingLayerFromSpec(conv({ name: 'c1', batch: 2, inChannels: 3, outChannels: 64, inHeight: 224, inWidth: 224, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, outHeight: 112, outWidth: 112 }))!;
    expect(l).toMatchObject({ kind: 'conv', dims: { N: 2, K: 64, C: 3, R: 7, S: 7, Y: 229, X: 229 }, strideY: 2, strideX: 2 });
  });

  it('depthwise → channels as C with K = 1; dense and matmul → GEMM (batched matmuls as groups)', () => {
    const dw = mappingLayerFromSpec(depthwise({ name: 'dw', channels: 32, inHeight: 112, inWidth: 112, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, outHeight: 56, outWidth: 56 }))!;
    expect(dw).toMatchObject({ kind: 'depthwise', dims: { N: 1, K: 1, C: 32, R: 3, S: 3, Y: 113, X: 113 } });
    const fc = mappingLayerFromSpec(dense({ name: 'fc', batch: 64, inFeatures: 192, outFeatures: 768 }))!;
    expect(fc).toMatchObject({ kind: 'gemm', dims: { M: 64, K: 192, N: 768 } });
    const qk = mappingLayerFromSpec(matmul({ name: 'qk', batch: 3, m: 64, k: 64, n: 64 }))!;
    expect(qk).toMatchObject({ kind: 'gemm', dims: { M: 64, K: 64, N: 64 }, groups: 3 });
  });

  it('every template that applies gives the exact MAC count of the core layer', () => {
    const specs = [
      conv({ name: 'c', batch: 1, inChannels: 24, outChannels: 40, inHeight: 28, inWidth: 28, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, outHeight: 28, outWidth: 28 }),
      conv({ name: 'c2', batch: 1, inChannels: 16, outChannels: 24, inHeight: 31, inWidth: 31, kernelH: 5, kernelW: 5, strideH: 2, strideW: 2, outHeight: 16, outWidth: 16 }),
      depthwise({ name: 'dw', channels: 96, inHeight: 56, inWidth: 56, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, outHeight: 28, outWidth: 28 }),
      dense({ name: 'fc', batch: 64, inFeatures: 192, outFeatures: 100 }),
      matmul({ name: 'av', batch: 3, m: 64, k: 64, n: 64 }),
    ];
    for (const s of specs) {
      const shape = canonicalShape(s)!;
      const l = mappingLayerFromShape(shape, s.name);
      for (const t of mappingTemplates) {
        if (!t.appliesTo.includes(l.kind)) continue;
        const r = analyseMapping(l, t.build(l.kind, { rows: 12, cols: 14 }), hw);
        expect(r.macs).toBe(shape.macs);
        expect(r.runtimeCycles).toBeGreaterThan(0);
        expect(Number.isFinite(r.runtimeCycles)).toBe(true);
      }
    }
  });

  it('the depthwise variants are channel- or row-parallel, never a single row of PEs', () => {
    const l = mappingLayerFromSpec(depthwise({ name: 'dw', channels: 64, inHeight: 56, inWidth: 56, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, outHeight: 56, outWidth: 56 }))!;
    for (const t of mappingTemplates) {
      if (!t.appliesTo.includes('depthwise')) continue;
      // A 12 × 14 array: one row would be 14 PEs.
      expect(analyseMapping(l, t.build('depthwise', { rows: 12, cols: 14 }), hw).activePes).toBeGreaterThan(14);
    }
  });

  it('row-stationary on Eyeriss AlexNet: CONV2 135 PEs (27 output rows × R = 5), as the chip; CONV3 39 (R × Y′) or 156 (sets)', () => {
    // AlexNet CONV2: 5×5 filters, 27×27 outputs (input 27 padded by 2 = 31). Eyeriss (Chen et al., JSSC 2017)
    // runs it on 135 of its 168 PEs, as quoted in issue 13 (the old R·C fold gave 162).
    const l = mappingLayerFromSpec(conv({ name: 'conv2', batch: 1, inChannels: 48, outChannels: 256, inHeight: 31, inWidth: 31, kernelH: 5, kernelW: 5, strideH: 1, strideW: 1, outHeight: 27, outWidth: 27 }))!;
    const r = analyseMapping(l, getMappingTemplate('row-stationary-v1').build('conv', { rows: 12, cols: 14 }), hw);
    expect(r.activePes).toBe(135);
    expect(analyseMapping(l, getMappingTemplate('row-stationary-sets-v1').build('conv', { rows: 12, cols: 14 }), hw).activePes).toBe(135);
    // CONV3 (3×3, 13×13 outputs): R × Y′ alone uses 13 × 3 = 39 PEs; Eyeriss's four logical sets of
    // 3 × 14 PEs (over filters), 13 output rows each, use 156.
    const c3 = mappingLayerFromSpec(conv({ name: 'conv3', batch: 1, inChannels: 256, outChannels: 384, inHeight: 15, inWidth: 15, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, outHeight: 13, outWidth: 13 }))!;
    expect(analyseMapping(c3, getMappingTemplate('row-stationary-v1').build('conv', { rows: 12, cols: 14 }), hw).activePes).toBe(39);
    expect(analyseMapping(c3, getMappingTemplate('row-stationary-sets-v1').build('conv', { rows: 12, cols: 14 }), hw).activePes).toBe(156);
  });
});
