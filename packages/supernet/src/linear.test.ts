import { Rng } from '@cosearch/core';
import { initBackend, tf } from '@cosearch/backend';
import { loadDataset } from '@cosearch/datasets';
import { defaultSupernetConfig, type SupernetConfig } from './config';
import { largestArch, sampleArch, type SubnetArch } from './arch';
import { evaluateSubnet } from './evaluate';
import { forward, type BnStat } from './forward';
import { depthwiseIm2col, im2col, matMulOverride, restrictOverride, type WeightOpCall } from './linear';
import { Supernet, imageBatch } from './supernet';
import { tinyConfig } from './test-config';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

/** Odd input sizes and strided 3×3 transitions: tf 'same' pads asymmetrically (0 before, 1 after) at stride 2 on even sizes, 1/1 on odd ones. */
function oddConfig(): SupernetConfig {
  return {
    inputHeight: 9, inputWidth: 10, inputChannels: 2, numClasses: 3,
    stemChannels: 4, stemKernel: 3, stemStride: 2, headDim: 4,
    stages: [
      { widths: [4, 6], depths: [1, 2], stride: 2, blockTypes: ['mbconv', 'vit'], kernels: [3, 5], expansions: [2, 3], heads: [1, 2], mlpRatios: [1, 2], squeezeExcite: true },
      { widths: [6, 8], depths: [1, 2], stride: 1, blockTypes: ['mbconv', 'vit'], kernels: [3], expansions: [2], heads: [1, 2], mlpRatios: [2] },
    ],
  };
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('linearOverride', () => {
  test.each([['odd sizes, strided 3×3 transition, SE', oddConfig()], ['tiny', tinyConfig()], ['default MNIST', defaultSupernetConfig()]] as [string, SupernetConfig][])(
    'identity override (batched matMul) = digital path to 1e-4 on random subnets: %s', (_n, cfg) => {
      const net = Supernet.create(cfg, 4);
      const x = tf.randomUniform([3, cfg.inputHeight, cfg.inputWidth, cfg.inputChannels], 0, 1, 'float32', 9) as tf.Tensor4D;
      const rng = new Rng(11);
      const list: SubnetArch[] = [largestArch(cfg), ...Array.from({ length: 8 }, () => sampleArch(cfg, rng, 0.5))];
      let kinds = new Set<string>();
      for (const arch of list) {
        const calls: WeightOpCall[] = [];
        const record = new Map<string, BnStat[]>();
        tf.tidy(() => { forward(cfg, arch, x, net.source(), { bn: { kind: 'calibrate', record } }); });
        const stats = new Map([...record].map(([k, v]) => [k, v[0]]));
        const d = tf.tidy(() => {
          const digital = forward(cfg, arch, x, net.source(), { bn: { kind: 'stats', stats } });
          const hooked = forward(cfg, arch, x, net.source(), { bn: { kind: 'stats', stats }, linearOverride: (op, xs, w) => { calls.push(op); return matMulOverride(op, xs, w); } });
          const scale = tf.max(tf.abs(digital)).dataSync()[0];
          return maxAbsDiff(digital, hooked) / Math.max(1, scale);
        });
        expect(d).toBeLessThan(1e-4);
        kinds = new Set([...kinds, ...calls.map((c) => c.kind)]);
      }
      expect([...kinds].sort()).toEqual(['conv', 'dense', 'depthwise']);
      x.dispose();
      net.dispose();
    });

  test('im2col: a hand case of tf same padding at stride 2 (4×4 input, 3×3 kernel → pad 0 before, 1 after)', () => {
    const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
    const p = im2col(x, 3, 2).arraySync();
    // Output (0,0) reads rows 0–2, cols 0–2: 1 2 3 / 5 6 7 / 9 10 11. Output (1,1) reads rows 2–4, cols 2–4 (row/col 4 = zero pad).
    expect(p[0]).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11]);
    expect(p[3]).toEqual([11, 12, 0, 15, 16, 0, 0, 0, 0]);
    expect(p.length).toBe(4);
    // Depthwise: 2 channels, 3×3, stride 1: pixel (0,0) of channel 1 sees zeros above/left.
    const x2 = tf.tensor4d([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]); // channel 0: 1 2 / 3 4; channel 1: ×10
    const d = depthwiseIm2col(x2, 3).arraySync();
    expect(d.length).toBe(2);
    expect(d[1][0]).toEqual([0, 0, 0, 0, 10, 20, 0, 30, 40]);
    expect(d[0][3]).toEqual([1, 2, 0, 3, 4, 0, 0, 0, 0]);
  });

  test('an override changes only the ops it is given; evaluateSubnet passes it through', async () => {
    const cfg = tinyConfig();
    const data = loadDataset({ name: 'synthetic', seed: 1, options: { height: 8, width: 8, channels: 1, numClasses: 3, samples: 300 } });
    const net = Supernet.create(cfg, 2);
    const arch = largestArch(cfg);
    const zeroHead = restrictOverride((_op, xs, w) => tf.zeros([xs.shape[0], xs.shape[1], w.shape[2]]), (op) => op.layer === 'head.fc');
    const x = imageBatch(data.val, 0, 5);
    const stats = net.calibrate(arch, data.train);
    const logits = tf.tidy(() => forward(cfg, arch, x, net.source(), { bn: { kind: 'stats', stats }, linearOverride: zeroHead }).arraySync());
    // Classifier product zeroed → logits = its bias (0 at init) for every image.
    expect(logits.flat().every((v) => v === 0)).toBe(true);
    const clean = await evaluateSubnet(net, arch, data.val, { calibration: data.train });
    const ident = await evaluateSubnet(net, arch, data.val, { calibration: data.train, linearOverride: matMulOverride });
    const nulls = await evaluateSubnet(net, arch, data.val, { calibration: data.train, linearOverride: () => null });
    expect(ident.accuracy).toBeCloseTo(clean.accuracy, 2);
    expect(nulls.accuracy).toBe(clean.accuracy);
    x.dispose();
    net.dispose();
  });
});
