import * as tf from '@tensorflow/tfjs';
import { relError, runOn, seeded, setupBackends } from './test-helpers';

// Gradients of depthwiseConv2d on wasm (both backprop kernels registered by cosearch) against
// the cpu backend's own kernels.
const TOL = 1e-4;
const SIZES: Array<[number, number]> = [[7, 9], [8, 8]];

beforeAll(setupBackends);
afterAll(() => tf.setBackend('cpu'));

async function depthwiseGrads(
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
    const y = tf.depthwiseConv2d(x, w, stride, pad);
    const r = tf.tensor(seeded(y.shape, seed + 2), y.shape);
    return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), r)))([x, w]);
  });
}

describe('depthwiseConv2d gradients on wasm match cpu', () => {
  const cases: Array<[number, 'same' | 'valid', number]> = [];
  for (const stride of [1, 2]) for (const pad of ['same', 'valid'] as const) for (const k of [1, 3, 5]) cases.push([stride, pad, k]);

  test.each(cases)('stride %i, %s padding, kernel size %i, channels 1/3/8/16 (multiplier 1 and 2), odd and even sizes', async (stride, pad, k) => {
    let seed = 100;
    for (const channels of [1, 3, 8, 16]) {
      for (const [h, w] of SIZES) {
        const mult = channels === 3 ? 2 : 1; // one channel-multiplier case per size
        const xShape = [2, h, w, channels];
        const wShape = [k, k, channels, mult];
        const [cdx, cdw] = await depthwiseGrads('cpu', xShape, wShape, stride, pad, seed);
        const [wdx, wdw] = await depthwiseGrads('wasm', xShape, wShape, stride, pad, seed);
        const where = `x ${xShape} w ${wShape}`;
        expect({ where, dx: relError(wdx, cdx) <= TOL }).toEqual({ where, dx: true });
        expect({ where, dW: relError(wdw, cdw) <= TOL }).toEqual({ where, dW: true });
        seed += 3;
      }
    }
  });

  test('explicit asymmetric padding, channel multiplier 3, 3×2 kernel', async () => {
    const pad: tf.backend_util.ExplicitPadding = [[0, 0], [2, 0], [1, 1], [0, 0]];
    for (const stride of [1, 2]) {
      const [cdx, cdw] = await depthwiseGrads('cpu', [3, 8, 7, 4], [3, 2, 4, 3], stride, pad, 7);
      const [wdx, wdw] = await depthwiseGrads('wasm', [3, 8, 7, 4], [3, 2, 4, 3], stride, pad, 7);
      expect(relError(wdx, cdx)).toBeLessThanOrEqual(TOL);
      expect(relError(wdw, cdw)).toBeLessThanOrEqual(TOL);
    }
  });
});
