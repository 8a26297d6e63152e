import * as tf from '@tensorflow/tfjs';
import { relError, runOn, seeded, setupBackends } from './test-helpers';

// Gradients of conv2d on wasm (Conv2DBackpropFilter registered by cosearch, Conv2DBackpropInput
// replaced by cosearch) against the cpu backend's own kernels.
const TOL = 1e-4;
const CHANNELS: Array<[number, number]> = [[1, 3], [3, 8], [8, 16], [16, 1]];
const SIZES: Array<[number, number]> = [[7, 9], [8, 8]]; // odd / non-square, even

beforeAll(setupBackends);
afterAll(() => tf.setBackend('cpu'));

/** dx and dW of Σ y·r, where r is a fixed random cotangent (so dy = r exactly). */
async function convGrads(
  backend: 'cpu' | 'wasm',
  xShape: number[],
  wShape: number[],
  stride: number,
  pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding,
  seed: number,
): Promise<Float32Array[]> {
  const xv = seeded(xShape, seed);
  const wv = seeded(wShape, seed + 1);
  return runOn(backend, () => {
    const x = tf.tensor4d(xv, xShape as [number, number, number, number]);
    const w = tf.tensor4d(wv, wShape as [number, number, number, number]);
    const y = tf.conv2d(x, w, stride, pad);
    const r = tf.tensor(seeded(y.shape, seed + 2), y.shape);
    return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), r)))([x, w]);
  });
}

describe('conv2d gradients on wasm match cpu', () => {
  const cases: Array<[number, 'same' | 'valid', number]> = [];
  for (const stride of [1, 2]) for (const pad of ['same', 'valid'] as const) for (const k of [1, 3, 5]) cases.push([stride, pad, k]);

  test.each(cases)('stride %i, %s padding, kernel size %i, channels 1/3/8/16, odd and even sizes', async (stride, pad, k) => {
    let seed = 10;
    for (const [cin, cout] of CHANNELS) {
      for (const [h, w] of SIZES) {
        const xShape = [2, h, w, cin];
        const wShape = [k, k, cin, cout];
        const [cdx, cdw] = await convGrads('cpu', xShape, wShape, stride, pad, seed);
        const [wdx, wdw] = await convGrads('wasm', xShape, wShape, stride, pad, seed);
        const where = `x ${xShape} w ${wShape}`;
        expect({ where, dx: relError(wdx, cdx) <= TOL }).toEqual({ where, dx: true });
        expect({ where, dW: relError(wdw, cdw) <= TOL }).toEqual({ where, dW: true });
        seed += 3;
      }
    }
  });

  test('explicit asymmetric padding and a 2×3 kernel', async () => {
    const pad: tf.backend_util.ExplicitPadding = [[0, 0], [1, 2], [0, 1], [0, 0]];
    for (const stride of [1, 2]) {
      const [cdx, cdw] = await convGrads('cpu', [2, 7, 8, 3], [2, 3, 3, 4], stride, pad, 5);
      const [wdx, wdw] = await convGrads('wasm', [2, 7, 8, 3], [2, 3, 3, 4], stride, pad, 5);
      expect(relError(wdx, cdx)).toBeLessThanOrEqual(TOL);
      expect(relError(wdw, cdw)).toBeLessThanOrEqual(TOL);
    }
  });

  test('the gradient is not trivially zero (the comparison can fail)', async () => {
    const [, cdw] = await convGrads('cpu', [2, 8, 8, 3], [3, 3, 3, 4], 2, 'same', 1);
    const [, wdw] = await convGrads('wasm', [2, 8, 8, 3], [3, 3, 3, 4], 2, 'same', 1);
    expect(Math.max(...cdw.map(Math.abs))).toBeGreaterThan(0.1);
    const perturbed = wdw.slice();
    perturbed[7] += 1e-2;
    expect(relError(perturbed, cdw)).toBeGreaterThan(TOL);
  });
});
