import { initBackend } from '@cosearch/backend';
import { ConfigError, type CimTileParams } from '@cosearch/core';
import { loadDataset, type DatasetSplits } from '@cosearch/datasets';
import { cimTileParams, getHardwarePreset } from '@cosearch/hardware';
import { Supernet, largestArch, subnetLayers, trainSupernet, type SupernetConfig } from '@cosearch/supernet';
import { cimAccuracyKey, createCimAccuracy } from './cim-accuracy';
import { validateCosearchSections, type CimAccuracy } from './cosearch-config';

const sections = (accuracy: unknown, hardware: unknown = { preset: 'edge-npu-cim-v1' }) =>
  validateCosearchSections({ dataset: { name: 'mnist' }, hardware, accuracy }, 1);

describe('accuracy.cim config', () => {
  it('defaults to the tile-accurate model with the network bits', () => {
    const c = sections({ cim: {} }).accuracy.cim!;
    expect(c).toMatchObject({ model: 'tile-v1', device: 'rram-neurram-v1', inputBits: 8, weightBits: 8, readNoise: false, adcRange: 'calibrated', chips: 3 });
  });

  it('rejects tiles the accuracy model cannot realise, naming the experiment field', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    // cells of 5 bits on a 16-state (4-bit) NeuRRAM device
    expect(err(() => sections({ cim: {} }, { preset: 'edge-npu-cim-v1', overrides: { cim: { cellBits: 5 } } }))).toMatch(/^invalid hardware\.overrides\.cim\.cellBits: got 5/);
    // 8-bit DAC slices of 4-bit activations
    expect(err(() => sections({ cim: { inputBits: 4 } }, { preset: 'edge-npu-cim-v1', overrides: { cim: { dacBits: 8 } } }))).toMatch(/^invalid hardware\.overrides\.cim\.dacBits: got 8/);
    // a 30-bit ADC option in the search space
    expect(err(() => sections({ cim: {} }, { preset: 'edge-npu-cim-v1', space: { adcBits: [4, 30] } }))).toMatch(/^invalid hardware\.space\.adcBits\[1\]: got 30/);
    // 5-bit cells offered to the search on the same device
    expect(err(() => sections({ cim: {} }, { preset: 'edge-npu-cim-v1', space: { cellBits: [1, 5] } }))).toMatch(/^invalid hardware\.space\.cellBits\[1\]: got 5/);
    expect(err(() => sections({ cim: { model: 'exact' } }))).toMatch(/^invalid accuracy\.cim\.model: got "exact"/);
    expect(err(() => sections({ cim: { device: 'no-such-device' } }))).toMatch(/^invalid accuracy\.cim\.device/);
    // the programmed-weights model does not simulate the tile: no tile check
    expect(sections({ cim: { model: 'weights-v1' } }, { preset: 'edge-npu-cim-v1', overrides: { cim: { cellBits: 5 } } }).accuracy.cim!.model).toBe('weights-v1');
  });
});

/** A tiny supernet on synthetic 8×8 images (trained briefly so that accuracy means something). */
const tiny: SupernetConfig = {
  inputHeight: 8, inputWidth: 8, inputChannels: 1, numClasses: 3,
  stemChannels: 4, stemKernel: 3, stemStride: 2, headDim: 4,
  stages: [{ widths: [8], depths: [1], stride: 1, blockTypes: ['mbconv'], kernels: [3], expansions: [2], heads: [1], mlpRatios: [1] }],
};

describe('tile-accurate CIM accuracy of a subnet', () => {
  let data: DatasetSplits;
  let net: Supernet;
  const base = cimTileParams(getHardwarePreset('edge-npu-cim-v1'))!;
  const cim = (o: Partial<CimAccuracy> = {}): CimAccuracy => ({
    model: 'tile-v1', device: 'rram-neurram-v1', weightBits: 8, inputBits: 8, readNoise: false, adcRange: 'full-scale', chips: 2, samples: null, programmingNoise: 0, stuckProbability: 0, ...o,
  });

  beforeAll(async () => {
    await initBackend({ backend: 'wasm', quiet: true });
    data = loadDataset({ name: 'synthetic', seed: 3, options: { height: 8, width: 8, channels: 1, numClasses: 3, samples: 600, noise: 0.3 } });
    net = Supernet.create(tiny, 1);
    await trainSupernet(net, data, { steps: 60, batchSize: 32, seed: 1, quiet: true, conflictEvery: 0 });
  });
  afterAll(() => net.dispose());

  it('the chosen tile decides the accuracy: a lossless noiseless tile keeps the clean accuracy, 2-bit ADCs lose it', async () => {
    const arch = largestArch(tiny);
    const layers = subnetLayers(tiny, arch).filter((l) => l.kind === 'conv' || l.kind === 'depthwise' || l.kind === 'dense').map((l) => l.name);
    const f = createCimAccuracy(net, data.val, data.train, cim());
    const clean = (await f(arch, [], base, 0)).accuracy; // no CIM layer: the override leaves every op digital
    const lossless: CimTileParams = { ...base, adcBits: 12 }; // ≥ 9 lossless bits of a 128-row, 1-bit DAC, 2-bit cell column
    const exact = await f(arch, layers, lossless, clean);
    // 8-bit activations and weights: at most a few images of 120 change
    expect(Math.abs(exact.accuracy - clean)).toBeLessThanOrEqual(0.05);
    const coarse = await f(arch, layers, { ...base, adcBits: 2 }, clean);
    expect(coarse.accuracy).toBeLessThan(exact.accuracy - 0.1);
  }, 120_000);

  it('is memoised by tile and deterministic across evaluators', async () => {
    const arch = largestArch(tiny);
    const a = cimAccuracyKey(arch, ['stem.conv'], base, cim());
    expect(cimAccuracyKey(arch, ['stem.conv'], { ...base, adcBits: base.adcBits + 1 }, cim())).not.toBe(a);
    expect(cimAccuracyKey(arch, ['stem.conv'], { ...base, rows: 64 }, cim())).not.toBe(a);
    expect(cimAccuracyKey(arch, ['stem.conv'], base, cim({ device: 'rram-hfo2-v1' }))).not.toBe(a);
    expect(cimAccuracyKey(arch, ['stem.conv'], base, cim({ adcRange: 'calibrated' }))).not.toBe(a);
    const noisy = cim({ programmingNoise: 0.1 });
    const r1 = await createCimAccuracy(net, data.val, data.train, noisy)(arch, ['stem.conv', 'head.fc'], base, 0);
    const r2 = await createCimAccuracy(net, data.val, data.train, noisy)(arch, ['stem.conv', 'head.fc'], base, 0);
    expect(r2).toEqual(r1);
  }, 120_000);
});
