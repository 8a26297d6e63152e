import { initBackend, tf } from '@cosearch/backend';
import { Rng } from '@cosearch/core';
import { validateCrossbarConfig } from '../crossbar/config';
import { convGeometry, makeIm2col } from './im2col';
import { crossbarLinear } from './linear';
import { crossbarConv2d } from './ops';

beforeAll(() => initBackend({ quiet: true }));

const rand = (n: number, seed: number) => {
  const r = new Rng(seed);
  return new Float32Array(n).map(() => r.uniform(-1, 1));
};

describe('im2col convolution', () => {
  for (const padding of ['same', 'valid'] as const) {
    it(`${padding}: im2col·W equals tf.conv2d, and so do the input and filter gradients`, () => {
      const g = convGeometry(7, 6, 2, 3, padding);
      const im2col = makeIm2col(g);
      const x = tf.tensor4d(rand(2 * 7 * 6 * 2, 1), [2, 7, 6, 2]);
      const f = tf.tensor4d(rand(3 * 3 * 2 * 4, 2), [3, 3, 2, 4]);
      const viaCols = (a: tf.Tensor, b: tf.Tensor) => tf.reshape(tf.matMul(im2col(a as tf.Tensor4D), tf.reshape(b, [18, 4])), [2, g.outH, g.outW, 4]);
      const viaConv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, padding);
      const dy = tf.tensor4d(rand(2 * g.outH * g.outW * 4, 3), [2, g.outH, g.outW, 4]);
      const loss = (fn: typeof viaCols) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(fn(a, b), dy));
      const y1 = viaCols(x, f).dataSync();
      const y2 = viaConv(x, f).dataSync();
      y1.forEach((v, i) => expect(v).toBeCloseTo(y2[i], 4));
      const [gx1, gf1] = tf.grads(loss(viaCols))([x, f]);
      const [gx2, gf2] = tf.grads(loss(viaConv))([x, f]);
      const a = gx1.dataSync(), b = gx2.dataSync();
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
      const c = gf1.dataSync(), d = gf2.dataSync();
      c.forEach((v, i) => expect(v).toBeCloseTo(d[i], 3));
    });
  }
});

describe('crossbar linear op', () => {
  it('with ideal periphery: value and gradients equal tf.matMul (dx through the transposed read)', () => {
    const cfg = validateCrossbarConfig({ adcBits: 0, dacBits: 0, outNoise: 0, rows: 3, cols: 2 });
    const op = crossbarLinear(cfg, 0.7, () => 1);
    const x = tf.tensor2d(rand(5 * 7, 4), [5, 7]);
    const w = tf.tensor2d(rand(7 * 4, 5), [7, 4]);
    const dy = tf.tensor2d(rand(5 * 4, 6), [5, 4]);
    const f1 = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(op(a as tf.Tensor2D, b as tf.Tensor2D), dy));
    const f2 = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), dy));
    const g1 = tf.grads(f1)([x, w]);
    const g2 = tf.grads(f2)([x, w]);
    for (let k = 0; k < 2; k++) {
      const a = g1[k].dataSync(), b = g2[k].dataSync();
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
    }
  });
  it('with an 8-bit ADC the backward MVM is quantised too (differs from the ideal transpose)', () => {
    const cfg = validateCrossbarConfig({ adcBits: 3, dacBits: 0, outNoise: 0, adcRange: 2 });
    const op = crossbarLinear(cfg, 1, () => 1);
    const x = tf.tensor2d(rand(4 * 6, 7), [4, 6]);
    const w = tf.tensor2d(rand(6 * 3, 8), [6, 3]);
    const gx = tf.grad((a: tf.Tensor) => tf.sum(op(a as tf.Tensor2D, w)))(x).dataSync();
    const ideal = tf.grad((a: tf.Tensor) => tf.sum(tf.matMul(a as tf.Tensor2D, w)))(x).dataSync();
    const step = 2 / 3;
    let differs = false;
    gx.forEach((v, i) => {
      expect(Math.abs(Math.round(v / step) * step - v)).toBeLessThan(1e-5); // on the ADC grid (input scale 1)
      if (Math.abs(v - ideal[i]) > 1e-3) differs = true;
    });
    expect(differs).toBe(true);
  });
});

describe('drop-in crossbar ops', () => {
  it('crossbarConv2d with ideal periphery equals tf.conv2d (+ bias); with an ADC it does not', () => {
    const x = tf.tensor4d(rand(2 * 6 * 6 * 3, 11), [2, 6, 6, 3]);
    const f = tf.tensor4d(rand(3 * 3 * 3 * 5, 12), [3, 3, 3, 5]);
    const b = tf.tensor1d(rand(5, 13));
    const ideal = crossbarConv2d(x, f, 'same', b, { crossbar: { adcBits: 0, dacBits: 0, outNoise: 0 } }).dataSync();
    const ref = tf.add(tf.conv2d(x, f, 1, 'same'), b).dataSync();
    ideal.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 4));
    const coarse = crossbarConv2d(x, f, 'same', b, { crossbar: { adcBits: 4, dacBits: 4, outNoise: 0 } }).dataSync();
    expect(coarse.some((v, i) => Math.abs(v - ref[i]) > 1e-2)).toBe(true);
  });
});
