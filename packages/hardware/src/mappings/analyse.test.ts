import { analyseMapping } from './analyse';
import { parseDirectives } from './parse';
import { getMappingTemplate } from './templates';
import type { Mapping, MappingHardware, MappingLayer } from './types';

const hw = (o: Partial<MappingHardware> = {}): MappingHardware => ({
  numPes: 128, nocBandwidthElemsPerCycle: 1e6, nocHopLatencyCycles: 0, multicast: true, spatialReduction: true,
  offchipBandwidthElemsPerCycle: 1e6, l1SizeElems: Infinity, l2SizeElems: Infinity, doubleBuffering: true, simdLanes: 1,
  offchipModel: 'step-tile', ...o,
});
const conv = (name: string, K: number, C: number, R: number, Y: number, stride = 1): MappingLayer => ({
  name, kind: 'conv', dims: { N: 1, K, C, R, S: R, Y, X: Y }, strideY: stride, strideX: stride,
});
const tpl = (name: string, kind: MappingLayer['kind'] = 'conv'): Mapping => getMappingTemplate(name).build(kind, { rows: 8, cols: 16 });

// Layers of the MAESTRO development set (README of maestro-dev; inputs are the padded sizes).
const L1_CONV3x3 = conv('ResNet18_L1_CONV3x3', 64, 64, 3, 58);
const PW5 = conv('MobileNetV1_PW5', 256, 256, 1, 28);
const LENET_C3 = conv('LeNet5_C3_5x5', 16, 6, 5, 14);
const DW5: MappingLayer = { name: 'MobileNetV1_DW5_3x3', kind: 'depthwise', dims: { N: 1, K: 1, C: 256, R: 3, S: 3, Y: 30, X: 30 }, strideY: 1, strideX: 1 };
const MLP_FC1: MappingLayer = { name: 'HybridViTS_MLP_fc1', kind: 'gemm', dims: { M: 64, K: 192, N: 768 }, strideY: 1, strideX: 1 };

describe('analyseMapping: a 1-D convolution on 4 PEs, by hand', () => {
  // K = C = R = 1, S = 3, X = 8 → 6 outputs; one output column per PE: folds of 4 then 2 PEs.
  const layer: MappingLayer = { name: '1d', kind: 'conv', dims: { N: 1, K: 1, C: 1, R: 1, S: 3, Y: 1, X: 8 }, strideY: 1, strideX: 1 };
  const mapping: Mapping = { name: '1d', appliesTo: ['conv'], directives: parseDirectives('SpatialMap(Sz(S),1) X;') };
  const h = hw({ numPes: 4, nocBandwidthElemsPerCycle: 2, nocHopLatencyCycles: 1 });

  it('double-buffered: first step c + d(T_in), then max(d(T_in), c, d(T_out))', () => {
    // Step 1: 4 PEs × 3 input columns = 12 (not shared) + 3 weights multicast once = 15 elements,
    //   d = 1 + ⌈15/2⌉ − 1 = 8; c = S = 3 MACs → 11 cycles.
    // Step 2: 2 PEs × 3 new columns = 6, weights stay → d = 1 + 3 − 1 = 3; 2 outputs → d = 1;
    //   max(3, 3, 1) = 3. Runtime 14, MACs 6 × 3 = 18, PEs (4 + 2)/2 = 3.
    const r = analyseMapping(layer, mapping, h);
    expect(r.runtimeCycles).toBe(14);
    expect(r.macs).toBe(18);
    expect(r.activePes).toBe(3);
    expect(r.steps).toBe(2);
    expect(r.l2.input.read).toBe(18);
    expect(r.l2.filter.read).toBe(3);
    expect(r.l2.output.write).toBe(6);
    expect(r.l1.input.read).toBe(18);
    expect(r.l1.input.write).toBe(r.l2.input.read);
    expect(r.l1RequirementElems).toBe(2 * (3 + 3 + 1));
    expect(r.l2RequirementElems).toBe(2 * (12 + 3 + 4));
  });

  it('without double buffering every step is the sum', () => {
    // Step 1: 3 + 8 + d(4 outputs) = 3 + 8 + (1 + 2 − 1) = 13; step 2: 3 + 3 + 1 = 7.
    expect(analyseMapping(layer, mapping, { ...h, doubleBuffering: false }).runtimeCycles).toBe(20);
  });

  it('SIMD lanes divide the per-PE MACs (⌈3/2⌉ = 2)', () => {
    const r = analyseMapping(layer, mapping, hw({ numPes: 4, simdLanes: 2 }));
    // bw ∞, hop 0: d(T>0) = 0, so each step is c = 2 cycles.
    expect(r.runtimeCycles).toBe(4);
  });
});

describe('sanity anchors of the MAESTRO development set (numbers typed from its README)', () => {
  it('A1 compute-bound: runtime = MACs / utilised PEs on 128 ideal PEs', () => {
    const kcp = analyseMapping(L1_CONV3x3, tpl('maestro-kcp-ws-v1'), hw());
    expect(kcp.runtimeCycles).toBe(903168); // 115605504 / 128
    expect(kcp.macs).toBe(115605504);
    expect(kcp.activePes).toBe(128);
    expect(analyseMapping(MLP_FC1, tpl('maestro-nmk-k64-v1', 'gemm'), hw()).runtimeCycles).toBe(73728); // 9437184 / 128
    expect(analyseMapping(DW5, tpl('maestro-cp-ws-v1', 'depthwise'), hw()).runtimeCycles).toBe(14112); // 1806336 / 128
    const rs = analyseMapping(LENET_C3, tpl('maestro-yrp-rs-v1'), hw());
    expect(rs.runtimeCycles).toBe(4800); // 240000 / 50
    expect(rs.activePes).toBe(50);
  });

  it('A2 NoC delay: KCP_WS PW5 per-step compute delay = h + ⌈128/bw⌉', () => {
    const c = (bw: number, h: number): number =>
      analyseMapping(PW5, tpl('maestro-kcp-ws-v1'), hw({ nocBandwidthElemsPerCycle: bw, nocHopLatencyCycles: h })).computeDelayMax;
    expect([4, 8, 16, 32, 64].map((bw) => c(bw, 0))).toEqual([32, 16, 8, 4, 2]);
    expect([4, 8, 16, 32, 64].map((bw) => c(bw, 3))).toEqual([35, 19, 11, 7, 5]);
    expect(c(1e6, 3)).toBe(4);
  });

  it('A3 off-chip (MAESTRO step-tile model): runtime × off-chip bandwidth is constant, 173408256', () => {
    for (const ob of [4, 8, 16, 32, 64]) {
      const r = analyseMapping(L1_CONV3x3, tpl('maestro-kcp-ws-v1'), hw({ offchipBandwidthElemsPerCycle: ob }));
      expect(r.runtimeCycles * ob).toBe(173408256);
      expect(r.bound).toBe('offchip');
    }
  });

  it('A5 hop latency: runtime(h) − runtime(0) = h·(N + 1) at every NoC bandwidth', () => {
    for (const bw of [4, 8, 16, 32, 64, 1e6]) {
      const at = (h: number): number => analyseMapping(L1_CONV3x3, tpl('maestro-kcp-ws-v1'), hw({ nocBandwidthElemsPerCycle: bw, nocHopLatencyCycles: h })).runtimeCycles;
      expect(at(3) - at(0)).toBe(301059); // 3 · 100353
      const os = (h: number): number => analyseMapping(L1_CONV3x3, tpl('maestro-yxp-os-v1'), hw({ nocBandwidthElemsPerCycle: bw, nocHopLatencyCycles: h })).runtimeCycles;
      expect(os(3) - os(0)).toBe(344067); // 3 · 114689
    }
    expect(analyseMapping(L1_CONV3x3, tpl('maestro-kcp-ws-v1'), hw({ nocHopLatencyCycles: 3 })).runtimeCycles).toBe(1204227); // 100352·12 + 3
  });

  it('A4 bandwidth-bound KCP_WS PW5 halves its runtime with every doubling of NoC bandwidth', () => {
    const rt = [4, 8, 16, 32, 64].map((bw) => analyseMapping(PW5, tpl('maestro-kcp-ws-v1'), hw({ nocBandwidthElemsPerCycle: bw })).runtimeCycles);
    for (let i = 1; i < rt.length; i++) expect(rt[i - 1] / rt[i]).toBeCloseTo(2, 2);
  });
});

describe('edge iterations are exact', () => {
  it('strided layers under spatial Y/X maps count exactly K·C·R·S·Y′·X′ MACs (MAESTRO artefact 1 is not reproduced)', () => {
    const conv1 = conv('ResNet18_CONV1_7x7s2', 64, 3, 7, 230, 2);
    for (const t of ['maestro-kcp-ws-v1', 'maestro-yrp-rs-v1', 'maestro-xp-ws-v1', 'maestro-yxp-os-v1']) {
      for (const pes of [64, 128, 512]) {
        expect(analyseMapping(conv1, tpl(t), hw({ numPes: pes })).macs).toBe(118013952); // 64·3·7·7·112·112
      }
    }
    const l3 = conv('ResNet18_L3_0_CONV1_3x3s2', 256, 128, 3, 30, 2);
    const xp = analyseMapping(l3, tpl('maestro-xp-ws-v1'), hw());
    expect(xp.activePes).toBe(14); // 14 output columns, one per PE (MAESTRO reports 15: artefact 2)
    expect(xp.runtimeCycles).toBe(4128768); // = 57802752 / 14, as MAESTRO's runtime
  });

  it('a layer whose tiles do not divide evenly still sums to the exact MAC count', () => {
    const odd = conv('odd', 37, 19, 3, 23, 1);
    for (const t of ['maestro-kcp-ws-v1', 'maestro-yrp-rs-v1', 'maestro-xp-ws-v1', 'maestro-yxp-os-v1', 'weight-stationary-v1', 'output-stationary-v1', 'row-stationary-v1', 'input-stationary-v1', 'systolic-ws-v1', 'row-stationary-sets-v1']) {
      for (const array of [{ rows: 1, cols: 7 }, { rows: 5, cols: 10 }, { rows: 12, cols: 14 }]) {
        const m = getMappingTemplate(t).build('conv', array);
        expect(analyseMapping(odd, m, hw({ numPes: array.rows * array.cols })).macs).toBe(37 * 19 * 9 * 21 * 21);
      }
    }
  });
});

describe('directions and determinism', () => {
  const layers = [L1_CONV3x3, PW5, LENET_C3, conv('s2', 48, 24, 3, 29, 2)];
  const temps = ['maestro-kcp-ws-v1', 'maestro-yrp-rs-v1', 'maestro-xp-ws-v1', 'maestro-yxp-os-v1'];

  it('more NoC bandwidth is never slower; more hop latency is never faster; more off-chip bandwidth is never slower', () => {
    for (const model of ['step-tile', 'reuse'] as const) {
      for (const l of layers) {
        for (const t of temps) {
          const rt = (o: Partial<MappingHardware>): number => analyseMapping(l, tpl(t), hw({ offchipModel: model, ...o })).runtimeCycles;
          let prev = Infinity;
          for (const bw of [1, 2, 4, 8, 16, 64, 1e6]) {
            const r = rt({ nocBandwidthElemsPerCycle: bw });
            expect(r).toBeLessThanOrEqual(prev);
            prev = r;
          }
          prev = 0;
          for (const h of [0, 1, 2, 5]) {
            const r = rt({ nocHopLatencyCycles: h, nocBandwidthElemsPerCycle: 8 });
            expect(r).toBeGreaterThanOrEqual(prev);
            prev = r;
          }
          prev = Infinity;
          for (const ob of [1, 2, 8, 32, Infinity]) {
            const r = rt({ offchipBandwidthElemsPerCycle: ob, l2SizeElems: 20000 });
            expect(r).toBeLessThanOrEqual(prev);
            prev = r;
          }
        }
      }
    }
  });

  it('more PEs are never slower for the spatial templates (unlimited bandwidth)', () => {
    for (const l of layers) {
      for (const t of temps) {
        let prev = Infinity;
        for (const pes of [64, 128, 256, 512, 1024]) {
          const r = analyseMapping(l, tpl(t), hw({ numPes: pes })).runtimeCycles;
          expect(r).toBeLessThanOrEqual(prev);
          prev = r;
        }
      }
    }
  });

  it('without multicast or spatial reduction the network carries more and is never faster', () => {
    for (const l of layers) {
      for (const t of temps) {
        const o = { nocBandwidthElemsPerCycle: 8, nocHopLatencyCycles: 1 };
        const base = analyseMapping(l, tpl(t), hw(o));
        const noMc = analyseMapping(l, tpl(t), hw({ ...o, multicast: false }));
        const noRed = analyseMapping(l, tpl(t), hw({ ...o, spatialReduction: false }));
        expect(noMc.runtimeCycles).toBeGreaterThanOrEqual(base.runtimeCycles);
        expect(noMc.l2.input.read + noMc.l2.filter.read).toBeGreaterThanOrEqual(base.l2.input.read + base.l2.filter.read);
        expect(noRed.runtimeCycles).toBeGreaterThanOrEqual(base.runtimeCycles);
        expect(noRed.l2.output.write).toBeGreaterThanOrEqual(base.l2.output.write);
      }
    }
    // KCP_WS reduces 64 input channels inside a cluster: without the adder tree 64× the partial sums leave.
    const kcp = (red: boolean): number => analyseMapping(L1_CONV3x3, tpl('maestro-kcp-ws-v1'), hw({ spatialReduction: red })).l2.output.write;
    expect(kcp(false)).toBe(64 * kcp(true));
  });

  it('double buffering is never slower than the sum', () => {
    for (const l of layers) {
      for (const t of temps) {
        const o = { nocBandwidthElemsPerCycle: 8, nocHopLatencyCycles: 2 };
        expect(analyseMapping(l, tpl(t), hw(o)).runtimeCycles).toBeLessThanOrEqual(analyseMapping(l, tpl(t), hw({ ...o, doubleBuffering: false })).runtimeCycles);
      }
    }
  });

  it('is deterministic and pure (same inputs, same result; a fresh mapping object gives the same)', () => {
    const h = hw({ nocBandwidthElemsPerCycle: 8, nocHopLatencyCycles: 1, offchipModel: 'reuse', l2SizeElems: 50000 });
    const a = analyseMapping(L1_CONV3x3, tpl('maestro-yxp-os-v1'), h);
    const copy: Mapping = JSON.parse(JSON.stringify(tpl('maestro-yxp-os-v1')));
    expect(analyseMapping({ ...L1_CONV3x3 }, copy, h)).toEqual(a);
    expect(analyseMapping(L1_CONV3x3, tpl('maestro-yxp-os-v1'), h)).toEqual(a);
  });

  it('groups multiply the cost of one problem', () => {
    const one = analyseMapping(MLP_FC1, tpl('maestro-nmk-k64-v1', 'gemm'), hw());
    const four = analyseMapping({ ...MLP_FC1, groups: 4 }, tpl('maestro-nmk-k64-v1', 'gemm'), hw());
    expect(four.macs).toBe(4 * one.macs);
    expect(four.runtimeCycles).toBe(4 * one.runtimeCycles);
    expect(four.activePes).toBe(one.activePes);
  });
});

describe('DRAM traffic as the reuse implies', () => {
  it("'reuse': a GLB that holds the filter fetches it once; the input is refetched as the loops slide over it", () => {
    // KCP_WS keeps a filter tile while Y, X slide: with the whole filter (36,864) resident it is read
    // from DRAM exactly once; the input (58·58·64 = 215,296) does not fit next to it in 60,000.
    const r = analyseMapping(L1_CONV3x3, tpl('maestro-kcp-ws-v1'), hw({ offchipModel: 'reuse', l2SizeElems: 60000, offchipBandwidthElemsPerCycle: 8 }));
    expect(r.dram.filter.read).toBe(64 * 64 * 9);
    expect(r.dram.input.read).toBe(r.l2.input.read);
    expect(r.dram.input.read).toBeGreaterThan(215296);
    expect(r.dram.output.write).toBe(64 * 56 * 56);
    // A GLB that holds everything reads each tensor once.
    const big = analyseMapping(L1_CONV3x3, tpl('maestro-kcp-ws-v1'), hw({ offchipModel: 'reuse', l2SizeElems: 1e6 }));
    expect(big.dram.input.read).toBe(215296);
    expect(big.dram.filter.read).toBe(36864);
  });

  it("'reuse': halo rows shared by neighbouring clusters come from DRAM once", () => {
    // YXP_OS: 16 clusters each take 3 input rows of one output row; the GLB fill is their union,
    // 18 rows, while the network sends 16 × 3 = 48 (per-cluster windows, as MAESTRO).
    const r = analyseMapping(L1_CONV3x3, tpl('maestro-yxp-os-v1'), hw({ offchipModel: 'reuse', l2SizeElems: 20000 }));
    expect(r.dram.input.read).toBeLessThan(r.l2.input.read);
    expect(r.dram.input.read / r.l2.input.read).toBeGreaterThan(18 / 48 - 0.05);
    expect(r.dram.input.read / r.l2.input.read).toBeLessThan(18 / 48 + 0.1);
  });

  it("'step-tile' (MAESTRO): every top-level step refetches its first tile", () => {
    const r = analyseMapping(L1_CONV3x3, tpl('maestro-kcp-ws-v1'), hw());
    // 100,352 steps × (576 inputs + 1,152 weights), the L2 requirement being twice that plus 2·2 outputs.
    expect(r.dram.input.read + r.dram.filter.read).toBe(100352 * 1728);
    expect(r.l2RequirementElems).toBe(2 * (576 + 1152 + 2));
  });
});
