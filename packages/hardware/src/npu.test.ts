import { conv2d, depthwise2d, type LayerSpec } from '@cosearch/core';
import { evaluate } from './index';
import { computeBoundConfig } from './testing';
import { dramTraffic } from './npu';

const conv: LayerSpec = conv2d({ name: 'c', inChannels: 20, outChannels: 36, inHeight: 30, inWidth: 30, kernel: 3, padding: 'valid' });
// C=20, K=36, R=S=3, P=Q=28 → MACs 20·36·9·784 = 5,080,320
const MACS = 20 * 36 * 9 * 28 * 28;

describe('NPU dataflows, compute-bound', () => {
  // Expected spatial utilisation on a 16×16 array, by hand: Π d/(⌈d/16⌉·16) over the mapped extents.
  const cases: [string, number][] = [
    ['weight-stationary-v1', (20 / 32) * (36 / 48)], // C=20 on rows, G·K=36 on cols
    ['output-stationary-v1', (28 / 32) * (28 / 32)], // P, Q
    ['row-stationary-v1', (60 / 64) * (28 / 32)], // R·C=60, P=28
    ['input-stationary-v1', (20 / 32) * (28 / 32)], // C, Q
  ];
  for (const [df, util] of cases) {
    it(`${df}: runtime = MACs / active PEs, active PEs = PEs × utilisation`, () => {
      const hw = computeBoundConfig('edge-npu-cim-v1', (h) => { h.npu!.dataflow = df; h.mapping.scheme = 'npu-only'; });
      const r = evaluate([conv], hw).perLayer[0];
      expect(r.macs).toBe(MACS);
      expect(r.bound).toBe('compute');
      expect(r.activeUnits).toBeCloseTo(256 * util, 9);
      expect(r.cycles).toBeCloseTo(MACS / r.activeUnits, 6);
      expect(r.latencyS).toBeCloseTo(MACS / r.activeUnits / hw.dvfs.npu.frequencyHz, 15);
    });
  }

  it('systolic-ws-v1 follows the SCALE-Sim fold time 2R + C + T − 2', () => {
    const hw = computeBoundConfig('edge-npu-cim-v1', (h) => { h.npu!.dataflow = 'systolic-ws-v1'; h.mapping.scheme = 'npu-only'; });
    const r = evaluate([conv], hw).perLayer[0];
    // C·R·S = 180 → ⌈180/16⌉ = 12 row folds; K = 36 → 3 column folds; T = 784.
    expect(r.cycles).toBeCloseTo(12 * 3 * (2 * 16 + 16 + 784 - 2), 6);
  });

  it('depthwise on weight-stationary spreads channels over the columns', () => {
    const hw = computeBoundConfig('edge-npu-cim-v1', (h) => { h.mapping.scheme = 'npu-only'; });
    const dw = depthwise2d({ name: 'dw', channels: 64, inHeight: 16, inWidth: 16, kernel: 3 });
    const r = evaluate([dw], hw).perLayer[0];
    // C = 1 on rows (1/16), G·K = 64 on 16 cols (1.0) → 16 active PEs.
    expect(r.activeUnits).toBeCloseTo(16, 9);
  });
});

describe('NPU bandwidth-bound', () => {
  it('DRAM-bound runtime scales as 1/bandwidth', () => {
    const mk = (bw: number) => computeBoundConfig('edge-npu-cim-v1', (h) => { h.dram.bandwidthBytesPerS = bw; h.npu!.glbBytes = 4096; h.mapping.scheme = 'npu-only'; });
    const a = evaluate([conv], mk(1e8)).perLayer[0];
    const b = evaluate([conv], mk(2e8)).perLayer[0];
    expect(a.bound).toBe('dram');
    expect(b.bound).toBe('dram');
    expect(a.latencyS / b.latencyS).toBeCloseTo(2, 9);
  });

  it('GLB-bound runtime scales as 1/bandwidth, and equals traffic / bandwidth', () => {
    const mk = (bits: number) => computeBoundConfig('edge-npu-cim-v1', (h) => { h.npu!.glbBandwidthBitsPerCycle = bits; h.mapping.scheme = 'npu-only'; });
    const a = evaluate([conv], mk(4)).perLayer[0];
    const b = evaluate([conv], mk(8)).perLayer[0];
    expect(a.bound).toBe('glb');
    expect(a.latencyS / b.latencyS).toBeCloseTo(2, 9);
    const x = a.access;
    const bits = 8 * (x.glbWeightReads + x.glbInputReads + x.glbOutputReads + x.glbOutputWrites);
    expect(a.cycles).toBeCloseTo(bits / 4, 6);
  });

  it('without double buffering the levels add up instead of overlapping', () => {
    const on = computeBoundConfig('edge-npu-cim-v1', (h) => { h.dram.bandwidthBytesPerS = 1e9; h.mapping.scheme = 'npu-only'; });
    const off = computeBoundConfig('edge-npu-cim-v1', (h) => { h.dram.bandwidthBytesPerS = 1e9; h.npu!.doubleBuffering = false; h.mapping.scheme = 'npu-only'; });
    expect(evaluate([conv], off).latencyS).toBeGreaterThan(evaluate([conv], on).latencyS);
  });
});

describe('NPU energy', () => {
  it('energy ≥ MACs × energy per MAC, and each count costs its per-access energy', () => {
    const hw = computeBoundConfig('eyeriss-65nm-v1');
    const r = evaluate([conv], hw).perLayer[0];
    expect(r.energyJ).toBeGreaterThanOrEqual(MACS * 0.21e-12);
    expect(r.energy.mac).toBeCloseTo(MACS * 0.21e-12, 18);
    expect(r.energy.dram).toBeCloseTo(8 * 8e-12 * (r.access.dramWeightReads + r.access.dramInputReads + r.access.dramOutputWrites), 18);
  });
});

describe('dramTraffic tiling', () => {
  it('keeps activations on chip when they fit, else picks the cheaper loop order', () => {
    expect(dramTraffic(100, 10, 10, 40)).toEqual({ w: 100, i: 0, o: 0 });
    // cap 16: half = 8. Weights outer: 100 + 30·⌈100/8⌉ = 490; inputs outer: 30 + 100·⌈30/8⌉ = 430.
    expect(dramTraffic(100, 30, 10, 16)).toEqual({ w: 400, i: 30, o: 10 });
    expect(dramTraffic(10, 300, 10, 16)).toEqual({ w: 10, i: 600, o: 10 });
    // The second operand of an attention matmul is an activation: no DRAM traffic when all fit.
    expect(dramTraffic(100, 10, 10, 200, true)).toEqual({ w: 0, i: 0, o: 0 });
    // Too big (120 > 40): tiling as for static weights; inputs outer 10 + 100·⌈10/20⌉ = 110 < 100 + 10·⌈100/20⌉ = 150.
    expect(dramTraffic(100, 10, 10, 40, true)).toEqual({ w: 100, i: 10, o: 10 });
  });
});
