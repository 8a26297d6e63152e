import { initBackend, tf } from '@cosearch/backend';
import { Rng } from '@cosearch/core';
import { addTrailing, batchNormTrain, depthwiseSame, mulTrailing } from './ops';
import { largestArch, type SubnetArch } from './arch';
import { forward } from './forward';
import { Supernet } from './supernet';
import { tinyConfig } from './test-config';

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

  test.each([1, 3, 5])('depthwiseSame k=%i on wasm (SIMD kernels) vs cpu: value and gradients', async (k) => {
    const run = () => {
      const x = rand([2, 6, 5, 8], 5) as tf.Tensor4D;
      const f = rand([k, k, 8, 1], 6) as tf.Tensor4D;
      const w = rand([2, 6, 5, 8], 7);
      const loss = (xi: tf.Tensor, fi: tf.Tensor) => tf.sum(tf.mul(w, depthwiseSame(xi as tf.Tensor4D, fi as tf.Tensor4D)));
      return [loss(x, f), ...tf.grads(loss)([x, f])].map((t) => Float32Array.from(t.dataSync()));
    };
    const ref = run();
    await initBackend({ backend: 'wasm', quiet: true });
    try {
      run().forEach((v, i) => v.forEach((a, j) => expect(Math.abs(a - ref[i][j])).toBeLessThan(1e-3)));
    } finally {
      await initBackend({ backend: 'cpu', quiet: true });
    }
  });

  test('batchNormTrain with ReLU6 on wasm (fused kernels) vs tfjs autodiff on cpu', async () => {
    const run = (f: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) => {
      const x = rand([4, 3, 3, 8], 11);
      const g = tf.mul(rand([8], 12), 3);
      const b = rand([8], 13);
      const w = rand([4, 3, 3, 8], 14);
      const loss = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(w, f(xi, gi, bi)));
      return [loss(x, g, b), ...tf.grads(loss)([x, g, b])].map((t) => Float32Array.from(t.dataSync()));
    };
    const ref = run((x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.relu6(tf.batchNorm(x, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-3));
    });
    await initBackend({ backend: 'wasm', quiet: true });
    try {
      const got = run((x, g, b) => batchNormTrain(x, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3, 'relu6'));
      got.forEach((v, i) => v.forEach((a, j) => expect(Math.abs(a - ref[i][j])).toBeLessThan(1e-3)));
    } finally {
      await initBackend({ backend: 'cpu', quiet: true });
    }
  });

  test('addTrailing and mulTrailing on wasm (SIMD column-sum gradients) vs cpu', async () => {
    const run = (f: (x: tf.Tensor, p: tf.Tensor) => tf.Tensor) => {
      const x = rand([2, 3, 8], 8);
      const p = rand([3, 8], 9);
      const w = rand([2, 3, 8], 10);
      return tf.grads((xi: tf.Tensor, pi: tf.Tensor) => tf.sum(tf.mul(w, f(xi, pi))))([x, p]).map((t) => Float32Array.from(t.dataSync()));
    };
    const ref = run((x, p) => tf.add(tf.mul(x, p), p));
    await initBackend({ backend: 'wasm', quiet: true });
    try {
      run((x, p) => addTrailing(mulTrailing(x, p), p)).forEach((v, i) => v.forEach((a, j) => expect(Math.abs(a - ref[i][j])).toBeLessThan(1e-4)));
    } finally {
      await initBackend({ backend: 'cpu', quiet: true });
    }
  });
});

// The whole forward/backward of a subnet (every op above, sliced weights, BN+ReLU fused on wasm)
// gives the same loss and parameter gradients on wasm as on the cpu backend.
test.each([
  ['largest', largestArch(tinyConfig())],
  ['hybrid', { stages: [{ width: 8, blocks: [{ type: 'mbconv', kernel: 3, expansion: 2 }, { type: 'vit', heads: 2, mlpRatio: 2 }] }] } as SubnetArch],
])('%s subnet of the tiny config: loss and every gradient, wasm vs cpu', async (_, arch) => {
  const run = () => {
    const net = Supernet.create(tinyConfig(), 3);
    const x = rand([6, 8, 8, 1], 21) as tf.Tensor4D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 2, 1, 0], 'int32'), 3).toFloat();
    const { value, grads } = tf.variableGrads(() =>
      tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(forward(net.config, arch, x, net.source(), { bn: { kind: 'batch' } }))), 1))) as tf.Scalar);
    const out = new Map(Object.entries(grads).map(([k, g]) => [net.paramOf(k)!, Float32Array.from(g.dataSync())]));
    out.set('loss', Float32Array.from(value.dataSync()));
    net.dispose();
    return out;
  };
  const ref = run();
  await initBackend({ backend: 'wasm', quiet: true });
  try {
    const got = run();
    expect([...got.keys()].sort()).toEqual([...ref.keys()].sort());
    for (const [name, r] of ref) {
      const scale = Math.max(1e-6, ...r.map(Math.abs));
      const err = Math.max(...got.get(name)!.map((v, i) => Math.abs(v - r[i]))) / scale;
      expect({ name, ok: err < 1e-3 }).toEqual({ name, ok: true });
    }
  } finally {
    await initBackend({ backend: 'cpu', quiet: true });
  }
});
