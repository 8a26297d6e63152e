import { conv2d, depthwise2d, type LayerSpec } from '@cosearch/core';
import { evaluate, validateHardwareConfig } from './index';
import { computeBoundConfig } from './testing';
import { derive } from './derive';
import { canonicalShape } from './shape';
import { mappingHardware } from './npu';
import { engineLayer, templateFor } from './mapper/templates';
import { analyseMapping } from './mappings/analyse';

const conv: LayerSpec = conv2d({ name: 'c', inChannels: 20, outChannels: 36, inHeight: 30, inWidth: 30, kernel: 3, padding: 'valid' });
// C=20, K=36, R=S=3, P=Q=28 → MACs 20·36·9·784 = 5,080,320
const MACS = 20 * 36 * 9 * 28 * 28;
const npuOnly = (edit: (h: ReturnType<typeof computeBoundConfig>) => void = () => undefined) =>
  computeBoundConfig('edge-npu-cim-v1', (h) => { h.mapping.scheme = 'npu-only'; edit(h); });

describe('NPU cost from the mapping, compute-bound (distribution and DRAM bandwidth unlimited, no hop latency)', () => {
  // Active PEs on a 16×16 array by hand, from each template's spatial maps (src/mappings/templates.ts):
  const cases: [string, number][] = [
    // K = 36 over 16 column clusters (folds 16, 16, 4), C = 20 over a cluster's 16 PEs (tiles 16, 4).
    ['weight-stationary-v1', 256 * (20 / 32) * (36 / 48)],
    // Y′ = 28 over 16 clusters (16, 12), X′ = 28 over a cluster's 16 PEs (16, 12).
    ['output-stationary-v1', 256 * (28 / 32) * (28 / 32)],
    // Eyeriss R × Y′: clusters of R = 3 PEs, ⌊256/3⌋ = 85 clusters hold all Y′ = 28 rows: 84 PEs.
    ['row-stationary-v1', 84],
    // X′ = 28 over 16 clusters (16, 12), C = 20 over a cluster's 16 PEs (16, 4).
    ['input-stationary-v1', 256 * (28 / 32) * (20 / 32)],
  ];
  for (const [mapping, active] of cases) {
    it(`${mapping}: runtime = MACs / active PEs, active PEs by hand`, () => {
      // 1 KiB RF: the row-stationary template keeps 16 filter rows per PE.
      const hw = npuOnly((h) => { h.npu!.mapping = mapping; h.npu!.rfBytes = 1024; });
      const r = evaluate([conv], hw).perLayer[0];
      expect(r.macs).toBe(MACS);
      expect(r.bound).toBe('compute');
      // activeUnits is MAESTRO's average over top-level cases weighted by occurrences (not by
      // time), so it equals MACs / cycles only when every step is alike (row-stationary here).
      if (mapping === 'row-stationary-v1') expect(r.activeUnits).toBeCloseTo(active, 9);
      expect(r.cycles).toBeCloseTo(MACS / active, 6);
      expect(r.latencyS).toBeCloseTo(MACS / active / hw.dvfs.npu.frequencyHz, 15);
      expect(r.mapping).toMatchObject({ name: mapping, chosenBy: 'config', stepBound: 'compute' });
    });
  }

  it('depthwise runs channel-parallel: 64 channels on 64 of 256 PEs (not a single row)', () => {
    const dw = depthwise2d({ name: 'dw', channels: 64, inHeight: 16, inWidth: 16, kernel: 3 });
    const r = evaluate([dw], npuOnly()).perLayer[0];
    expect(r.activeUnits).toBeCloseTo(64, 9);
  });

  it('the layer result is the engine\'s analysis of the mapping, converted to seconds', () => {
    const hw = validateHardwareConfig(npuOnly((h) => { h.npu!.mapping = 'maestro-kcp-ws-v1'; h.dram.bandwidthBytesPerS = 1e9; h.npu!.distribution.bandwidthBitsPerCycle = 64; }));
    const s = canonicalShape(conv)!;
    const p = derive(hw).npu!;
    const { mapping, layer } = templateFor('maestro-kcp-ws-v1', engineLayer(s, 'c'), p.rows, p.cols);
    const c = analyseMapping(layer, mapping, mappingHardware(s, p));
    const r = evaluate([conv], hw).perLayer[0];
    expect(r.cycles).toBe(c.runtimeCycles);
    expect(r.engineLatencyS).toBeCloseTo(c.runtimeCycles / 800e6, 15);
    expect(r.access.dramInputReads).toBe(c.dram.input.read);
    expect(r.access.glbWeightReads).toBe(c.l2.filter.read);
    expect(r.mapping!.steps).toBe(c.steps);
  });
});

describe('NPU per-step bounds: distribution network, hop latency, DRAM', () => {
  it('distribution-bound runtime halves when its bandwidth doubles (MAESTRO sweep anchor A4: 2.000 on KCP_WS PW5)', () => {
    // MobileNetV1 PW5 (1×1, 256→256, 28×28) under maestro-kcp-ws-v1, as in the MAESTRO sweep.
    const pw = conv2d({ name: 'pw5', inChannels: 256, outChannels: 256, inHeight: 28, inWidth: 28, kernel: 1, padding: 'valid' });
    const mk = (bits: number) => npuOnly((h) => { h.npu!.mapping = 'maestro-kcp-ws-v1'; h.npu!.distribution.bandwidthBitsPerCycle = bits; });
    // 4 and 8 elements per cycle. The inner cluster's network delay is part of the top level's
    // compute delay (MAESTRO anchor A2), so the step reads "compute" though the network binds.
    const a = evaluate([pw], mk(4 * 8)).perLayer[0];
    const b = evaluate([pw], mk(8 * 8)).perLayer[0];
    expect(a.mapping!.computeCyclesAvg).toBeGreaterThan(b.mapping!.computeCyclesAvg);
    expect(a.cycles / b.cycles).toBeCloseTo(2, 3);
  });

  it('hop latency is paid at every step: Δruntime = h·(steps + 1) (MAESTRO anchor A5)', () => {
    const mk = (h: number) => npuOnly((x) => { x.npu!.distribution.hops = 1; x.npu!.distribution.hopLatencyCycles = h; });
    const a = evaluate([conv], mk(0)).perLayer[0];
    const b = evaluate([conv], mk(3)).perLayer[0];
    expect(b.cycles - a.cycles).toBe(3 * (a.mapping!.steps + 1));
  });

  it('DRAM-bound runtime scales as 1/bandwidth and is reported as off-chip bound', () => {
    const mk = (bw: number) => npuOnly((h) => { h.dram.bandwidthBytesPerS = bw; h.npu!.glbBytes = 8192; });
    const a = evaluate([conv], mk(1e8)).perLayer[0];
    const b = evaluate([conv], mk(2e8)).perLayer[0];
    expect(a.bound).toBe('dram');
    expect(a.mapping!.stepBound).toBe('offchip');
    expect(a.latencyS / b.latencyS).toBeCloseTo(2, 3);
  });

  it('a written mapping whose tile is above its buffer is a one-line error naming npu.mapping and the buffer', () => {
    const text = 'SpatialMap(1,1) K; TemporalMap(16,16) C; TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X; Cluster(16, P); SpatialMap(1,1) C; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S';
    const hw = npuOnly((h) => { h.npu!.mapping = text; h.npu!.glbBytes = 1024; });
    expect(() => evaluate([conv], hw)).toThrow(/^invalid npu\.mapping: got "SpatialMap.*expected a mapping that fits layer "c" on this NPU \(.*global buffer's 1024 elements/);
  });

  it('a template whose default tiles do not fit is shrunk to the buffers (same spatial pair), or rejected if nothing fits', () => {
    // weight-stationary-v1 keeps a 3×3 window per PE: 2·(9 + 9 + 1) = 38 elements; a 16-byte RF forces 1 row at a time.
    const r = evaluate([conv], npuOnly((h) => { h.npu!.rfBytes = 16; })).perLayer[0];
    expect(r.mapping).toMatchObject({ name: 'weight-stationary-v1', chosenBy: 'mapper' });
    expect(r.macs).toBe(MACS);
    expect(() => evaluate([conv], npuOnly((h) => { h.npu!.rfBytes = 2; }))).toThrow(/^invalid npu\.mapping: got "weight-stationary-v1", expected a mapping that fits layer "c".*register file's 2 elements/);
  });

  it('without double buffering the per-step delays add up instead of overlapping', () => {
    const on = npuOnly((h) => { h.npu!.distribution.bandwidthBitsPerCycle = 64; });
    const off = npuOnly((h) => { h.npu!.distribution.bandwidthBitsPerCycle = 64; h.npu!.doubleBuffering = false; });
    expect(evaluate([conv], off).latencyS).toBeGreaterThan(evaluate([conv], on).latencyS);
  });
});

describe('NPU energy from the access counts', () => {
  it('MACs × E_MAC, and DRAM = every DRAM element × 8 bits × 8 pJ/bit (Eyeriss preset, 8-bit layer)', () => {
    const hw = computeBoundConfig('eyeriss-65nm-v1');
    const r = evaluate([conv], hw).perLayer[0];
    expect(r.energyJ).toBeGreaterThanOrEqual(MACS * 0.21e-12);
    expect(r.energy.mac).toBeCloseTo(MACS * 0.21e-12, 18);
    const a = r.access;
    expect(r.energy.dram).toBeCloseTo(8 * 8e-12 * (a.dramWeightReads + a.dramInputReads + a.dramOutputWrites + (a.dramOutputReads ?? 0)), 18);
    // GLB: array-side reads and writes plus the DRAM fills, at 18 pJ per 64 bits.
    const glbWords = a.glbWeightReads + a.glbInputReads + a.glbOutputReads + a.glbOutputWrites + a.dramWeightReads + a.dramInputReads;
    expect(r.energy.glb).toBeCloseTo(8 * (18e-12 / 64) * glbWords, 18);
  });
});
