import { initBackend, tf } from '@cosearch/backend';
import { Rng } from '@cosearch/core';
import { addTrailing, batchNormTrain, depthwiseSame, mulTrailing } from './ops';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', quiet: true });
});

function rand(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

// Each custom-gradient op against tfjs's own differentiable composition of the same math.
describe('custom-gradient ops match autodiff', () => {
  test('batchNormTrain: value and gradients', () => {
    const x = rand([3, 4, 4, 5], 1);
    const g = rand([5], 2);
    const b = rand([5], 3);
    const w = rand([3, 4, 4, 5], 4); // random upstream weighting so gradients are not trivial
    const reference = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
      const { mean, variance } = tf.moments(xi, [0, 1, 2]);
      return tf.sum(tf.mul(w, tf.batchNorm(xi, mean, variance, bi, gi, 1e-3)));
    };
    const ours = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(w, batchNormTrain(xi, gi as tf.Tensor1D, bi as tf.Tensor1D, 1e-3)));
    const gr = tf.grads(reference)([x, g, b]);
    const go = tf.grads(ours)([x, g, b]);
    expect(Math.abs(reference(x, g, b).dataSync()[0] - ours(x, g, b).dataSync()[0])).toBeLessThan(1e-3);
    gr.forEach((t, i) => expect(maxDiff(t, go[i])).toBeLessThan(1e-3));
  });

  test.each([1, 3, 5])('depthwiseSame k=%i: value and gradients', (k) => {
    const x = rand([2, 6, 5, 3], 5) as tf.Tensor4D;
    const f = rand([k, k, 3, 1], 6) as tf.Tensor4D;
    const w = rand([2, 6, 5, 3], 7);
    const reference = (xi: tf.Tensor, fi: tf.Tensor) => tf.sum(tf.mul(w, tf.depthwiseConv2d(xi as tf.Tensor4D, fi as tf.Tensor4D, 1, 'same')));
    const ours = (xi: tf.Tensor, fi: tf.Tensor) => tf.sum(tf.mul(w, depthwiseSame(xi as tf.Tensor4D, fi as tf.Tensor4D)));
    const gr = tf.grads(reference)([x, f]);
    const go = tf.grads(ours)([x, f]);
    gr.forEach((t, i) => expect(maxDiff(t, go[i])).toBeLessThan(1e-4));
  });

  test('addTrailing and mulTrailing', () => {
    const x = rand([2, 3, 4], 8);
    const p = rand([3, 4], 9);
    const w = rand([2, 3, 4], 10);
    const reference = (xi: tf.Tensor, pi: tf.Tensor) => tf.sum(tf.mul(w, tf.add(tf.mul(xi, pi), pi)));
    const ours = (xi: tf.Tensor, pi: tf.Tensor) => tf.sum(tf.mul(w, addTrailing(mulTrailing(xi, pi), pi)));
    const gr = tf.grads(reference)([x, p]);
    const go = tf.grads(ours)([x, p]);
    gr.forEach((t, i) => expect(maxDiff(t, go[i])).toBeLessThan(1e-4));
  });
});
