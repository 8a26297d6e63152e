import fc from 'fast-check';
import { layerOutputs, type LayerSpec } from '@cosearch/core';
import { evaluate, getHardwarePreset, validateHardwareConfig, type HardwareConfig, type HardwareResult } from './index';

/** Random small MAC layers of every kind (shapes consistent by construction). */
const macLayer: fc.Arbitrary<LayerSpec> = fc.oneof(
  fc.record({ c: fc.integer({ min: 1, max: 48 }), k: fc.integer({ min: 1, max: 48 }), hw: fc.integer({ min: 3, max: 20 }), r: fc.constantFrom(1, 3, 5), s: fc.constantFrom(1, 2) })
    .filter((x) => x.hw >= x.r)
    .map(({ c, k, hw, r, s }): LayerSpec => {
      const o = Math.floor((hw - r) / s) + 1;
      return { kind: 'conv', name: 'conv', batch: 1, inChannels: c, outChannels: k, inHeight: hw, inWidth: hw, kernelH: r, kernelW: r, strideH: s, strideW: s, outHeight: o, outWidth: o };
    }),
  fc.record({ c: fc.integer({ min: 1, max: 64 }), hw: fc.integer({ min: 3, max: 20 }) })
    .map(({ c, hw }): LayerSpec => ({ kind: 'depthwise', name: 'dw', batch: 1, channels: c, inHeight: hw, inWidth: hw, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, outHeight: hw - 2, outWidth: hw - 2 })),
  fc.record({ b: fc.integer({ min: 1, max: 64 }), i: fc.integer({ min: 1, max: 300 }), o: fc.integer({ min: 1, max: 300 }) })
    .map(({ b, i, o }): LayerSpec => ({ kind: 'dense', name: 'fc', batch: b, inFeatures: i, outFeatures: o })),
  fc.record({ b: fc.integer({ min: 1, max: 4 }), m: fc.integer({ min: 1, max: 64 }), k: fc.integer({ min: 1, max: 64 }), n: fc.integer({ min: 1, max: 64 }) })
    .map(({ b, m, k, n }): LayerSpec => ({ kind: 'matmul', name: 'mm', batch: b, m, k, n })),
);

/**
 * A random MAC layer, a fixed dense layer (static weights: every network reads DRAM and moves
 * multi-flit packets), a fixed attention-style matmul (under 'cim-only' it programs crossbars)
 * and a vector-unit activation.
 */
const network = macLayer.map((l): LayerSpec[] => [
  l,
  { kind: 'dense', name: 'proj', batch: 4, inFeatures: 64, outFeatures: 64 },
  { kind: 'matmul', name: 'qk', batch: 2, m: 16, k: 16, n: 16 },
  { kind: 'activation', name: 'act', fn: 'gelu', elements: layerOutputs(l) },
]);

type Metric = (r: HardwareResult) => number;
const lat: Metric = (r) => r.latencyS;
const energy: Metric = (r) => r.energyJ;
const area: Metric = (r) => r.areaMm2;
/** Dynamic energy (leakage excluded: it follows latency, which some knobs move the other way). */
const dyn: Metric = (r) => r.energyJ - r.breakdown.leakage.energyJ;
const nocEnergy: Metric = (r) => r.breakdown.noc.energyJ;
/** Σ of the engines' own times (before the NoC): moves with engine knobs even when the NoC binds. */
const eng: Metric = (r) => r.perLayer.reduce((s, x) => s + x.engineLatencyS, 0);
const nocLat: Metric = (r) => r.perLayer.reduce((s, x) => s + x.nocLatencyS, 0);

interface Knob {
  name: string;
  scheme: 'npu-only' | 'cim-only';
  /** Sets the knob low (false) or high (true). */
  set: (hw: HardwareConfig, high: boolean) => void;
  /** Metric and the sign of its change when the knob goes low → high; strict = must move. */
  effects: [Metric, 1 | -1, boolean][];
}

const KNOBS: Knob[] = [
  { name: 'npu.peRows', scheme: 'npu-only', set: (h, hi) => { h.npu!.peRows = hi ? 64 : 4; }, effects: [[area, 1, true]] },
  { name: 'npu.peCols', scheme: 'npu-only', set: (h, hi) => { h.npu!.peCols = hi ? 64 : 4; }, effects: [[area, 1, true]] },
  // Low end 64 B: the templates' default tiles (a filter window per PE) must fit, or be shrunk to fit.
  { name: 'npu.rfBytes', scheme: 'npu-only', set: (h, hi) => { h.npu!.rfBytes = hi ? 4096 : 64; }, effects: [[area, 1, true], [energy, 1, true]] },
  { name: 'npu.glbBytes', scheme: 'npu-only', set: (h, hi) => { h.npu!.glbBytes = hi ? 8 << 20 : 8 << 10; }, effects: [[area, 1, true]] },
  // DRAM bandwidth now acts through the mapping's GLB-tile traffic (it used to be ideal tiling).
  { name: 'dram.bandwidthBytesPerS (1e6 vs 1e9 B/s)', scheme: 'npu-only', set: (h, hi) => { h.dram.bandwidthBytesPerS = hi ? 1e9 : 1e6; }, effects: [[eng, -1, true]] },
  { name: 'npu.distribution.bandwidthBitsPerCycle', scheme: 'npu-only', set: (h, hi) => { h.npu!.distribution.bandwidthBitsPerCycle = hi ? 1e6 : 1; }, effects: [[eng, -1, true]] },
  // Hop latency is paid at every top-level step (MAESTRO d(T) = H + ⌈T/bw⌉ − 1): only the product hops × latency counts.
  { name: 'npu.distribution.hopLatencyCycles', scheme: 'npu-only', set: (h, hi) => { h.npu!.distribution.hopLatencyCycles = hi ? 20 : 0; }, effects: [[eng, 1, true]] },
  { name: 'npu.distribution.hops', scheme: 'npu-only', set: (h, hi) => { h.npu!.distribution.hops = hi ? 8 : 0; }, effects: [[eng, 1, true]] },
  // Multicast counts an element sent to several units once; spatial reduction adds partial sums in the network.
  { name: 'npu.distribution.multicast', scheme: 'npu-only', set: (h, hi) => { h.npu!.distribution.multicast = hi; h.npu!.distribution.bandwidthBitsPerCycle = 8; }, effects: [[eng, -1, false]] },
  { name: 'npu.distribution.spatialReduction', scheme: 'npu-only', set: (h, hi) => { h.npu!.distribution.spatialReduction = hi; h.npu!.distribution.bandwidthBitsPerCycle = 8; }, effects: [[eng, -1, false]] },
  { name: 'npu.doubleBuffering', scheme: 'npu-only', set: (h, hi) => { h.npu!.doubleBuffering = hi; }, effects: [[eng, -1, true]] },
  { name: 'dram.bandwidthBytesPerS', scheme: 'npu-only', set: (h, hi) => { h.dram.bandwidthBytesPerS = hi ? 1e12 : 1e6; }, effects: [[eng, -1, true]] },
  { name: 'dram.energyJPerBit', scheme: 'npu-only', set: (h, hi) => { h.dram.energyJPerBit = hi ? 1e-10 : 1e-12; }, effects: [[energy, 1, true]] },
  { name: 'technology.nodeNm', scheme: 'npu-only', set: (h, hi) => { h.technology.nodeNm = hi ? 65 : 7; }, effects: [[energy, 1, true], [area, 1, true]] },
  { name: 'technology.leakageWPerMm2', scheme: 'npu-only', set: (h, hi) => { h.technology.leakageWPerMm2 = hi ? 0.1 : 0; }, effects: [[energy, 1, true]] },
  { name: 'dvfs.npu.voltageV', scheme: 'npu-only', set: (h, hi) => { h.dvfs.npu.voltageV = hi ? 1.0 : 0.7; h.dvfs.npu.frequencyHz = 400e6; }, effects: [[energy, 1, true]] },
  { name: 'dvfs.npu.frequencyHz', scheme: 'npu-only', set: (h, hi) => { h.dvfs.npu.frequencyHz = hi ? 800e6 : 200e6; }, effects: [[eng, -1, true]] },
  { name: 'dvfs.nominalVoltageV', scheme: 'npu-only', set: (h, hi) => { h.dvfs.nominalVoltageV = hi ? 1.1 : 0.95; }, effects: [[energy, -1, true]] },
  { name: 'vector.lanes', scheme: 'npu-only', set: (h, hi) => { h.vector.lanes = hi ? 256 : 1; }, effects: [[eng, -1, true], [area, 1, true]] },
  { name: 'cim.tiles', scheme: 'cim-only', set: (h, hi) => { h.cim!.tiles = hi ? 4096 : 64; }, effects: [[area, 1, true]] },
  { name: 'cim.rows', scheme: 'cim-only', set: (h, hi) => { h.cim!.rows = hi ? 256 : 64; }, effects: [[area, 1, true]] },
  { name: 'cim.cols', scheme: 'cim-only', set: (h, hi) => { h.cim!.cols = hi ? 256 : 64; }, effects: [[area, 1, true]] },
  { name: 'cim.cellBits', scheme: 'cim-only', set: (h, hi) => { h.cim!.cellBits = hi ? 8 : 1; }, effects: [[energy, -1, true]] },
  { name: 'cim.adcBits', scheme: 'cim-only', set: (h, hi) => { h.cim!.adcBits = hi ? 8 : 3; }, effects: [[energy, 1, true], [eng, 1, true], [area, 1, true]] },
  { name: 'cim.dacBits', scheme: 'cim-only', set: (h, hi) => { h.cim!.dacBits = hi ? 4 : 1; }, effects: [[eng, -1, true]] },
  { name: 'cim.columnsPerAdc', scheme: 'cim-only', set: (h, hi) => { h.cim!.columnsPerAdc = hi ? 16 : 1; }, effects: [[eng, 1, true], [area, -1, true]] },
  { name: 'cim.gMaxSiemens', scheme: 'cim-only', set: (h, hi) => { h.cim!.gMaxSiemens = hi ? 1e-3 : 2e-6; }, effects: [[energy, 1, true]] },
  { name: 'cim.gMinSiemens', scheme: 'cim-only', set: (h, hi) => { h.cim!.gMinSiemens = hi ? 5e-6 : 0; }, effects: [[energy, 1, true]] },
  { name: 'cim.readVoltageV', scheme: 'cim-only', set: (h, hi) => { h.cim!.readVoltageV = hi ? 1.0 : 0.1; }, effects: [[energy, 1, true]] },
  { name: 'cim.readPulseS', scheme: 'cim-only', set: (h, hi) => { h.cim!.readPulseS = hi ? 100e-9 : 1e-9; }, effects: [[eng, 1, true]] },
  { name: 'cim.differential', scheme: 'cim-only', set: (h, hi) => { h.cim!.differential = hi; }, effects: [[dyn, 1, true]] },
  { name: 'cim.writeEnergyPerCellJ', scheme: 'cim-only', set: (h, hi) => { h.cim!.tiles = 1; h.cim!.writeEnergyPerCellJ = hi ? 1e-9 : 1e-12; }, effects: [[energy, 1, true]] },
  { name: 'cim.writeTimePerRowS', scheme: 'cim-only', set: (h, hi) => { h.cim!.tiles = 1; h.cim!.writeTimePerRowS = hi ? 1e-3 : 1e-9; }, effects: [[eng, 1, true]] },
  { name: 'cim.bufferBytes', scheme: 'cim-only', set: (h, hi) => { h.cim!.bufferBytes = hi ? 1 << 20 : 1 << 10; }, effects: [[area, 1, true]] },
  { name: 'dvfs.cim.frequencyHz', scheme: 'cim-only', set: (h, hi) => { h.dvfs.cim.frequencyHz = hi ? 800e6 : 200e6; }, effects: [[eng, -1, true]] },
  { name: 'dvfs.cim.voltageV', scheme: 'cim-only', set: (h, hi) => { h.dvfs.cim.voltageV = hi ? 1.0 : 0.7; h.dvfs.cim.frequencyHz = 400e6; }, effects: [[energy, 1, true]] },
  { name: 'noc.k', scheme: 'npu-only', set: (h, hi) => { h.noc.k = hi ? 8 : 2; h.noc.placement = { npu: [1, 1], cim: [0, 1], dram: [0, 0] }; }, effects: [[area, 1, true]] },
  { name: 'noc.topology', scheme: 'npu-only', set: (h, hi) => { h.noc.topology = hi ? 'ring' : 'mesh'; h.noc.placement.npu = [0, 2]; /* mesh 2 hops to DRAM, ring 8 */ }, effects: [[energy, 1, true]] },
  { name: 'noc.linkWidthBits', scheme: 'npu-only', set: (h, hi) => { h.noc.linkWidthBits = hi ? 1024 : 16; }, effects: [[area, 1, true], [nocLat, -1, true]] },
  { name: 'noc.flitBits', scheme: 'npu-only', set: (h, hi) => { h.noc.flitBits = hi ? 1024 : 16; }, effects: [[area, 1, true]] },
  { name: 'noc.packetFlits', scheme: 'npu-only', set: (h, hi) => { h.noc.packetFlits = hi ? 16 : 2; }, effects: [[nocEnergy, -1, true]] },
  { name: 'noc.routerStages', scheme: 'npu-only', set: (h, hi) => { h.noc.routerStages = hi ? 10 : 1; }, effects: [[nocLat, 1, true]] },
  { name: 'noc.virtualChannels', scheme: 'npu-only', set: (h, hi) => { h.noc.virtualChannels = hi ? 8 : 1; h.noc.bufferDepthFlits = 1; }, effects: [[area, 1, true], [nocLat, -1, true]] },
  { name: 'noc.bufferDepthFlits', scheme: 'npu-only', set: (h, hi) => { h.noc.bufferDepthFlits = hi ? 16 : 1; }, effects: [[area, 1, true]] },
  { name: 'noc.linkLengthMm', scheme: 'npu-only', set: (h, hi) => { h.noc.linkLengthMm = hi ? 5 : 0.1; }, effects: [[energy, 1, true]] },
  { name: 'noc.placement', scheme: 'npu-only', set: (h, hi) => { h.noc.placement.npu = hi ? [3, 3] : [0, 0]; }, effects: [[energy, 1, true], [nocLat, 1, true]] },
  { name: 'dvfs.noc.frequencyHz', scheme: 'npu-only', set: (h, hi) => { h.dvfs.noc.frequencyHz = hi ? 800e6 : 200e6; }, effects: [[nocLat, -1, true]] },
  { name: 'mapping.pipeline', scheme: 'npu-only', set: (h, hi) => { h.mapping.pipeline = hi; }, effects: [[(r) => r.intervalS, -1, false]] },
];

function configFor(k: Knob, high: boolean): HardwareConfig {
  const hw = getHardwarePreset('edge-npu-cim-v1');
  hw.mapping.scheme = k.scheme;
  hw.dvfs.npu = { voltageV: 1.0, frequencyHz: 800e6 };
  hw.dvfs.cim = { voltageV: 1.0, frequencyHz: 800e6 };
  k.set(hw, high);
  return validateHardwareConfig(hw);
}

const finiteNonNegative = (r: HardwareResult) => {
  const nums = [r.latencyS, r.intervalS, r.energyJ, r.areaMm2, r.powerW, ...r.perLayer.flatMap((x) => [x.latencyS, x.energyJ, x.cycles, x.utilisation, ...Object.values(x.energy), ...Object.values(x.access)])];
  return nums.every((v) => Number.isFinite(v) && v >= 0);
};

describe('property: no dead knobs, no NaN, no negatives', () => {
  for (const k of KNOBS) {
    it(`${k.name} moves its outputs in the expected direction`, () => {
      const lo = configFor(k, false);
      const hi = configFor(k, true);
      fc.assert(
        fc.property(network, (net) => {
          const a = evaluate(net, lo);
          const b = evaluate(net, hi);
          if (!finiteNonNegative(a) || !finiteNonNegative(b)) return false;
          return k.effects.every(([m, sign, strict]) => {
            const d = (m(b) - m(a)) * sign;
            return strict ? d > 0 : d >= -1e-18;
          });
        }),
        { numRuns: 15, seed: 42 },
      );
    });
  }

  it('the mapping choice is not a dead knob: the templates and auto give different runtimes', () => {
    const l: LayerSpec[] = [{ kind: 'conv', name: 'c', batch: 1, inChannels: 20, outChannels: 36, inHeight: 30, inWidth: 30, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, outHeight: 28, outWidth: 28 }];
    const names = ['weight-stationary-v1', 'output-stationary-v1', 'row-stationary-v1', 'input-stationary-v1', 'maestro-kcp-ws-v1', 'maestro-yxp-os-v1', 'auto'];
    const lat = names.map((m) => {
      const hw = getHardwarePreset('edge-npu-cim-v1');
      hw.npu!.mapping = m;
      hw.npu!.mapperObjective = 'latency';
      hw.mapping.scheme = 'npu-only';
      return evaluate(l, hw).latencyS;
    });
    expect(new Set(lat).size).toBe(names.length);
    // The mapper's latency pick is no slower than any template.
    expect(Math.min(...lat)).toBe(lat[lat.length - 1]);
  });

  it('more PEs are never slower when compute-bound (spatial templates)', () => {
    fc.assert(
      fc.property(macLayer, fc.constantFrom('weight-stationary-v1', 'output-stationary-v1', 'row-stationary-v1', 'input-stationary-v1'),
        fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 16 }),
        (l, df, r, c, dr, dc) => {
          const mk = (rows: number, cols: number) => {
            const hw = getHardwarePreset('edge-npu-cim-v1');
            Object.assign(hw.npu!, { mapping: df, peRows: rows, peCols: cols, glbBytes: 1 << 30, rfBytes: 1 << 16 });
            Object.assign(hw.npu!.distribution, { bandwidthBitsPerCycle: 1e12, hopLatencyCycles: 0 });
            hw.dram.bandwidthBytesPerS = 1e18;
            hw.noc.linkWidthBits = hw.noc.flitBits = 1 << 20;
            hw.mapping.scheme = 'npu-only';
            return evaluate([l], hw).perLayer[0];
          };
          const small = mk(r, c);
          const big = mk(r + dr, c + dc);
          return big.cycles <= small.cycles * (1 + 1e-12);
        }),
      { numRuns: 200, seed: 7 },
    );
  });
});
