import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@cosearch/backend';
import { loadDataset } from '@cosearch/datasets';
import { annAccuracy, annForward, convertToSnn, trainAnn } from './convert';
import { layerShapes, type SnnArch } from './arch';
import { evaluateSnn } from './network';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

const clip = (a: Float32Array) => a.map((v) => (v < 0 ? 0 : v > 1 ? 1 : v));

describe('ANN → SNN conversion with threshold balancing', () => {
  const data = loadDataset({ name: 'synthetic', seed: 0, options: { samples: 600, noise: 0.2 } });
  const train = { ...data.train, images: clip(data.train.images) };
  const test = { ...data.test, images: clip(data.test.images) };
  const arch: SnnArch = { inputShape: [8, 8, 1], hidden: [{ kind: 'conv', filters: 4, kernel: 3, stride: 1 }, { kind: 'dense', units: 24 }], classes: 4 };
  let ann: Awaited<ReturnType<typeof trainAnn>>;

  beforeAll(async () => {
    ann = await trainAnn(arch, train, { epochs: 8, batchSize: 32, learningRate: 3e-3, seed: 1 });
  });

  it('training is deterministic by seed', async () => {
    const part = { ...train, n: 96 };
    const again = await trainAnn(arch, part, { epochs: 1, batchSize: 32, seed: 1, augmentShift: 1 });
    const again2 = await trainAnn(arch, part, { epochs: 1, batchSize: 32, seed: 1, augmentShift: 1 });
    expect(again.weights[0]).toEqual(again2.weights[0]);
  });

  it('scales every layer so that its 99.9th-percentile activation is 1', () => {
    const { network, scales } = convertToSnn(ann, train, { percentile: 99.9, calibrationImages: 200 });
    const shapes = layerShapes(arch);
    const acts = tf.tidy(() =>
      annForward(arch, network.layers.map((l, i) => tf.tensor2d(l.weights, [shapes[i].rows, shapes[i].cols])), network.layers.map((l) => tf.tensor1d(l.bias)), tf.tensor2d(train.images.subarray(0, 200 * 64), [200, 64])).map((t) => t.dataSync()),
    );
    acts.forEach((a) => {
      const pos = Array.from(a).filter((v) => v > 0).sort((x, y) => x - y);
      expect(pos[Math.ceil(0.999 * pos.length) - 1]).toBeCloseTo(1, 4);
    });
    expect(scales.every((s) => s > 0)).toBe(true);
  });

  it('the converted SNN (ISI, T = 64) classifies within 6 points of the ANN', () => {
    const annAcc = annAccuracy(ann, test);
    expect(annAcc).toBeGreaterThan(0.8);
    const { network } = convertToSnn(ann, train);
    const ev = evaluateSnn(network, test.images, test.labels, { encoding: 'isi', steps: 64 });
    expect(ev.accuracy).toBeGreaterThan(annAcc - 0.06);
  });
});
