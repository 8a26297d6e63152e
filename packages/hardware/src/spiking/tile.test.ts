import { checkHardwareModel, conv2d, type LayerSpec } from '@cosearch/core';
import { spikingTileModel } from './model';
import { spikingTileCost, validateSpikingTileConfig } from './tile';

const dense: LayerSpec = { kind: 'dense', name: 'fc', batch: 1, inFeatures: 100, outFeatures: 10 };

describe('spiking CIM tile cost', () => {
  it('matches a hand calculation for one dense layer with measured activity', () => {
    const cfg = validateSpikingTileConfig({ steps: 10 });
    // 50 input spikes on 50 rows, Σ G over the read rows 2.5 mS, 5 output spikes
    const r = spikingTileCost([dense], cfg, [{ inputSpikes: 50, outputSpikes: 5, rowReads: 50, rowReadSiemens: 2.5e-3 }]);
    const xbar = 0.2 ** 2 * 10e-9 * 2.5e-3; // V²·t·ΣG = 1 pJ
    const wl = 50 * 50e-15; // 2.5 pJ
    const ifc = 10 * 10 * 10e-15 + 5 * 100e-15; // 1.5 pJ
    const noc = 55 * 16 * (2 * 0.16e-12 + 1 * 1 * 0.44e-12); // 55 packets of 16 bits × 12.16 pJ
    expect(r.breakdown.crossbarReadJ).toBeCloseTo(1e-12, 20);
    expect(r.breakdown.wordlineJ).toBeCloseTo(wl, 20);
    expect(r.breakdown.ifJ).toBeCloseTo(ifc, 20);
    expect(r.breakdown.nocJ / noc).toBeCloseTo(1, 10);
    expect(r.energyJ / (xbar + wl + ifc + noc)).toBeCloseTo(1, 10);
    expect(r.spikesPerImage).toBe(55);
    expect(r.energyPerSpikeJ).toBeCloseTo(r.energyJ / 55, 20);
    expect(r.latencyS).toBeCloseTo(10 * (10e-9 + 1e-9 + 2e-9), 15); // T × (pulse + IF + hop)
    expect(r.powerW).toBeCloseTo(r.energyJ / r.latencyS, 12);
    // one 128×128 array of pairs (30 F² cells at 32 nm) + 128 IF circuits of 100 µm²
    expect(r.areaMm2).toBeCloseTo(128 * 128 * 2 * 30 * (32e-6) ** 2 + 128 * 100e-6, 10);
  });

  it('estimates activity from the default rates when none is measured (conv: a spike reads a row per output position)', () => {
    const conv = conv2d({ name: 'c', inChannels: 1, outChannels: 16, inHeight: 28, inWidth: 28, kernel: 5, stride: 2 });
    const cfg = validateSpikingTileConfig({ steps: 8, inputSpikeRate: 0.1, hiddenSpikeRate: 0.05, meanAbsWeight: 0.1 });
    const r = spikingTileCost([conv], cfg);
    const inputSpikes = 0.1 * 784 * 8;
    const positions = conv.kind === 'conv' ? conv.outHeight * conv.outWidth : 0;
    const rowReads = (inputSpikes * 25 * positions) / 784;
    expect(r.perLayer[0].wordlineJ).toBeCloseTo(rowReads * 50e-15, 18);
    expect(r.breakdown.crossbarReadJ).toBeCloseTo(0.04 * 10e-9 * rowReads * 16 * (2e-6 + 0.1 * 39e-6), 18);
    expect(r.latencyS).toBeCloseTo(8 * (positions * 11e-9 + 2e-9), 15);
  });

  it('rejects bad config with one line naming the field', () => {
    expect(() => validateSpikingTileConfig({ steps: 0 })).toThrow(/^invalid spikingTile\.steps: got 0, expected an integer >= 1$/);
    expect(() => validateSpikingTileConfig({ readVoltageV: -0.2 })).toThrow(/^invalid spikingTile\.readVoltageV/);
    expect(() => validateSpikingTileConfig({ gMinSiemens: 5e-5 })).toThrow(/^invalid spikingTile\.gMaxSiemens/);
    expect(() => spikingTileCost([{ kind: 'matmul', name: 'qk', batch: 1, m: 4, k: 4, n: 4 }], validateSpikingTileConfig({}))).toThrow(/^invalid layers\.qk\.kind/);
  });

  it('conforms to the hardware-model seam (spiking-tile-v1)', () => {
    const conv = conv2d({ name: 'c', inChannels: 1, outChannels: 16, inHeight: 28, inWidth: 28, kernel: 5, stride: 2 });
    const failures = checkHardwareModel(spikingTileModel, {
      configs: [spikingTileModel.validateConfig({})],
      networks: [[conv, { kind: 'dense', name: 'fc1', batch: 1, inFeatures: 2304, outFeatures: 128 }, { kind: 'dense', name: 'out', batch: 1, inFeatures: 128, outFeatures: 10 }]],
      invalid: [{ raw: { steps: -1 }, message: /steps/ }, { raw: { model: 'analytical-v1' }, message: /model/ }],
    });
    expect(failures).toEqual([]);
  });
});
