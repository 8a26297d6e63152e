import { initBackend } from '@cosearch/backend';
import { Rng } from '@cosearch/core';
import type { DatasetSplits, ImageSet } from '@cosearch/datasets';
import { evaluateOnChips } from '../evaluate';
import { accuracyOf } from '../model/infer';
import { buildArch } from '../model/arch';
import { TRAIN_DEFAULTS, validateTrainOptions } from './options';
import { trainCim } from './trainer';

beforeAll(() => initBackend({ quiet: true }));

/** Three classes of 6×6 images: a bright bar in the top, middle or bottom rows, plus noise. */
function bars(n: number, seed: number): ImageSet {
  const rng = new Rng(seed);
  const images = new Float32Array(n * 36);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels[i] = c;
    for (let p = 0; p < 36; p++) {
      const row = Math.floor(p / 6);
      images[i * 36 + p] = Math.min(1, Math.max(0, (Math.floor(row / 2) === c ? 0.8 : 0.1) + 0.1 * rng.normal()));
    }
  }
  return { images, labels, n, height: 6, width: 6, channels: 1, numClasses: 3 };
}
const data: DatasetSplits = { name: 'bars', train: bars(96, 1), val: bars(30, 2), test: bars(30, 3) };
// the toy bars span two of six rows: shifting them would change the class, so no augmentation
const base = { model: 'mlp', batchSize: 8, lr: 0.2, augmentShift: 0 };

describe('trainCim', () => {
  it('float learns a separable toy problem (mlp)', async () => {
    const r = await trainCim(data, { ...base, scheme: 'float', epochs: 4 });
    expect(r.testAccuracy).toBeGreaterThan(0.9);
    expect(r.accounting.total.pulses).toBe(0);
  });

  it('mixed precision on a crossbar: same seed → identical run, and it learns', async () => {
    const opts = { ...base, scheme: 'mixed-precision', device: 'reram-sb-aihwkit-v1', epochs: 3, seed: 4 };
    const a = await trainCim(data, opts);
    const b = await trainCim(data, opts);
    expect(b.history).toEqual(a.history.map((h) => ({ ...h, seconds: b.history[h.epoch - 1].seconds })));
    expect(Array.from(b.model.layers[0].weights)).toEqual(Array.from(a.model.layers[0].weights));
    expect(b.accounting.total.pulses).toBe(a.accounting.total.pulses);
    expect(a.accounting.total.pulses).toBeGreaterThan(0);
    expect(a.testAccuracy).toBeGreaterThan(0.8);
    const c = await trainCim(data, { ...opts, seed: 5 });
    expect(c.accounting.total.pulses).not.toBe(a.accounting.total.pulses);
  });

  it('evaluateOnChips: reproducible chips, spread over chips, ideal chips = the float network', async () => {
    const r = await trainCim(data, { ...base, scheme: 'float', epochs: 3 });
    const noisy = { device: 'rram-neurram-v1', chips: 3, programmingNoise: 0.3, weightBits: 4, seed: 2 };
    const e1 = evaluateOnChips(r.model, data.test, noisy);
    const e2 = evaluateOnChips(r.model, data.test, noisy);
    expect(e2.accuracies).toEqual(e1.accuracies);
    expect(e1.accuracies.length).toBe(3);
    const clean = evaluateOnChips(r.model, data.test, { device: 'idealized-v1', chips: 2, programmingNoise: 0, stuckProbability: 0, weightBits: 16, idealPeriphery: true });
    const arch = buildArch('mlp', [6, 6, 1], 3);
    const float = accuracyOf({ arch, weights: r.model.layers.map((l) => l.weights), biases: r.model.layers.map((l) => l.bias), crossbar: null, seed: 1 }, data.test);
    expect(clean.mean).toBeCloseTo(float, 6);
    expect(clean.std).toBe(0);
  });

  it('augmentShift: seeded (same run twice) and changes the run; defaults to the validated recipe', async () => {
    const opts = { ...base, scheme: 'float', epochs: 2, seed: 3 };
    const plain = await trainCim(data, opts);
    const a = await trainCim(data, { ...opts, augmentShift: 1 });
    const b = await trainCim(data, { ...opts, augmentShift: 1 });
    expect(Array.from(b.model.layers[0].weights)).toEqual(Array.from(a.model.layers[0].weights));
    expect(Array.from(a.model.layers[0].weights)).not.toEqual(Array.from(plain.model.layers[0].weights));
    expect(validateTrainOptions({}).augmentShift).toBe(TRAIN_DEFAULTS.augmentShift);
    expect(TRAIN_DEFAULTS).toMatchObject({ epochs: 30, lr: 0.1, lrDecay: 0.9, batchSize: 32, augmentShift: 2 });
  });

  it('rejects bad options with a clear ConfigError', async () => {
    await expect(trainCim(data, { scheme: 'sgd' })).rejects.toThrow(/options.scheme/);
    await expect(trainCim(data, { epochs: 0 })).rejects.toThrow(/options.epochs/);
    await expect(trainCim(data, { augmentShift: -1 })).rejects.toThrow(/options.augmentShift/);
    await expect(trainCim(data, { device: 'nope' })).rejects.toThrow(/device preset "nope"/);
    await expect(trainCim(data, { scheme: 'mixed-precision', schemeParams: { threshold: 2 } })).rejects.toThrow(/scheme.threshold/);
  });
});
