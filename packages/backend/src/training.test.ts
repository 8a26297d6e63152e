import * as tf from '@tensorflow/tfjs';
import { relError, runOn, seeded, setupBackends } from './test-helpers';

// Whole-model checks: every gradient a small CNN / MBConv / ViT block needs runs on wasm (a
// missing kernel throws "Cannot find registered kernel") and equals cpu's; a short training
// run follows the same loss trajectory on both backends.
const TOL = 1e-4;

beforeAll(setupBackends);
afterAll(() => tf.setBackend('cpu'));

type Params = Record<string, tf.Tensor>;
const shapes = (p: Record<string, number[]>, seed: number): Record<string, { shape: number[]; values: Float32Array }> =>
  Object.fromEntries(Object.entries(p).map(([k, shape], i) => [k, { shape, values: seeded(shape, seed + i).map((v) => v * 0.5) }]));
const materialise = (p: ReturnType<typeof shapes>): Params => Object.fromEntries(Object.entries(p).map(([k, d]) => [k, tf.tensor(d.values, d.shape)]));

/** Layer norm over the last axis (moments → Mean, SquaredDifference, Rsqrt and their gradients). */
function layerNorm(x: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
}
const gelu = (x: tf.Tensor): tf.Tensor => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));

/** MBConv (expand → BN → ReLU6 → depthwise/2 → BN → SE → project) + pooling heads. */
const MBCONV_SHAPES = { expand: [1, 1, 3, 12], dw: [3, 3, 12, 1], dwBias: [12], se1: [12, 4], se2: [4, 12], proj: [1, 1, 12, 6], gamma: [12], beta: [12], head: [12, 5] };
function mbconv(p: Params, x: tf.Tensor4D): tf.Tensor {
  let h = tf.fused.conv2d({ x, filter: p.expand as tf.Tensor4D, strides: 1, pad: 'same' }) as tf.Tensor4D;
  const m = tf.moments(h, [0, 1, 2]);
  h = tf.relu6(tf.batchNorm(h, m.mean, m.variance, p.beta, p.gamma, 1e-3)) as tf.Tensor4D;
  h = tf.fused.depthwiseConv2d({ x: h, filter: p.dw as tf.Tensor4D, strides: 2, pad: 'same', bias: p.dwBias, activation: 'relu' });
  const se = tf.sigmoid(tf.matMul(tf.relu(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, p.se1 as tf.Tensor2D)), p.se2 as tf.Tensor2D));
  h = tf.mul(h, se.reshape([x.shape[0], 1, 1, 12])) as tf.Tensor4D;
  const proj = tf.conv2d(h, p.proj as tf.Tensor4D, 1, 'valid');
  const pooled = tf.add(tf.mean(tf.maxPool(h, 2, 2, 'same'), [1, 2]), tf.mean(tf.avgPool(h, 3, 1, 'same'), [1, 2]));
  return tf.add(tf.sum(tf.square(proj)), tf.sum(tf.matMul(pooled as tf.Tensor2D, p.head as tf.Tensor2D)));
}

/** One ViT block: patch embedding, class token, gathered position embedding, attention, MLP. */
const VIT_SHAPES = { patch: [4, 4, 1, 8], cls: [1, 1, 8], pos: [17, 8], wq: [8, 8], wk: [8, 8], wv: [8, 8], w1: [8, 16], w2: [16, 8], head: [8, 10] };
function vit(p: Params, x: tf.Tensor4D, labels: tf.Tensor): tf.Tensor {
  const b = x.shape[0];
  const patches = tf.conv2d(x, p.patch as tf.Tensor4D, 4, 'valid').reshape([b, 16, 8]);
  let t = tf.concat([tf.tile(p.cls, [b, 1, 1]), patches], 1);
  t = tf.add(t, tf.gather(p.pos, tf.range(0, 17, 1, 'int32')));
  const n = layerNorm(t);
  const q = tf.matMul(n.reshape([b * 17, 8]), p.wq as tf.Tensor2D).reshape([b, 17, 8]);
  const k = tf.matMul(n.reshape([b * 17, 8]), p.wk as tf.Tensor2D).reshape([b, 17, 8]);
  const v = tf.matMul(n.reshape([b * 17, 8]), p.wv as tf.Tensor2D).reshape([b, 17, 8]);
  const att = tf.softmax(tf.div(tf.matMul(q as tf.Tensor3D, k as tf.Tensor3D, false, true), Math.sqrt(8)));
  t = tf.add(t, tf.matMul(att, v as tf.Tensor3D));
  const mlp = tf.matMul(gelu(tf.matMul(layerNorm(t).reshape([b * 17, 8]), p.w1 as tf.Tensor2D)), p.w2 as tf.Tensor2D);
  t = tf.add(t, mlp.reshape([b, 17, 8]));
  const logits = tf.matMul(tf.squeeze(tf.slice(t, [0, 0, 0], [b, 1, 8]), [1]) as tf.Tensor2D, p.head as tf.Tensor2D);
  return tf.losses.softmaxCrossEntropy(labels, logits);
}

async function paramGrads(backend: 'cpu' | 'wasm', spec: Record<string, number[]>, loss: (p: Params) => tf.Tensor): Promise<Record<string, Float32Array>> {
  const data = shapes(spec, 50);
  const names = Object.keys(spec);
  const out = await runOn(backend, () => {
    const p = materialise(data);
    return tf.grads((...ts: tf.Tensor[]) => loss(Object.fromEntries(names.map((k, i) => [k, ts[i]]))) as tf.Scalar)(names.map((k) => p[k]));
  });
  return Object.fromEntries(names.map((k, i) => [k, out[i]]));
}

describe('all gradients of composite blocks match between wasm and cpu', () => {
  test('MBConv block (fused conv, batch norm, relu6, fused depthwise/2, squeeze-excite, max/avg pool)', async () => {
    const x = seeded([4, 16, 16, 3], 1);
    const loss = (p: Params) => mbconv(p, tf.tensor4d(x, [4, 16, 16, 3]));
    const c = await paramGrads('cpu', MBCONV_SHAPES, loss);
    const w = await paramGrads('wasm', MBCONV_SHAPES, loss);
    for (const k of Object.keys(MBCONV_SHAPES)) expect({ k, err: relError(w[k], c[k]) <= TOL }).toEqual({ k, err: true });
  });

  test('ViT block (patch conv, class token, gathered position embedding, layer norm, attention, GELU, cross-entropy)', async () => {
    const img = seeded([4, 16, 16, 1], 2);
    const loss = (p: Params) => vit(p, tf.tensor4d(img, [4, 16, 16, 1]), tf.oneHot(tf.tensor1d([1, 7, 3, 0], 'int32'), 10, 1, 0, 'float32'));
    const c = await paramGrads('cpu', VIT_SHAPES, loss);
    const w = await paramGrads('wasm', VIT_SHAPES, loss);
    for (const k of Object.keys(VIT_SHAPES)) expect({ k, err: relError(w[k], c[k]) <= TOL }).toEqual({ k, err: true });
  });
});

describe('end-to-end training', () => {
  const SPEC = { c1: [3, 3, 1, 8], b1: [8], d1: [3, 3, 8, 1], p1: [1, 1, 8, 16], d2: [5, 5, 16, 2], head: [32, 10] };
  /** conv3×3 → depthwise3×3/2 → pointwise → depthwise5×5/2 (multiplier 2) → GAP → dense. */
  function model(p: Params, x: tf.Tensor4D): tf.Tensor2D {
    let h = tf.relu(tf.add(tf.conv2d(x, p.c1 as tf.Tensor4D, 1, 'same'), p.b1)) as tf.Tensor4D;
    h = tf.relu6(tf.depthwiseConv2d(h, p.d1 as tf.Tensor4D, 2, 'same'));
    h = tf.relu(tf.conv2d(h, p.p1 as tf.Tensor4D, 1, 'same'));
    h = tf.relu6(tf.depthwiseConv2d(h, p.d2 as tf.Tensor4D, 2, 'valid'));
    return tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, p.head as tf.Tensor2D);
  }

  async function losses(backend: 'cpu' | 'wasm', steps: number): Promise<Float32Array> {
    const data = shapes(SPEC, 70);
    const xv = seeded([8, 11, 11, 1], 3).map((v) => (v + 1) / 2);
    const names = Object.keys(SPEC);
    const [trajectory] = await runOn(backend, () => {
      let params = names.map((k) => tf.tensor(data[k].values, data[k].shape));
      const x = tf.tensor4d(xv, [8, 11, 11, 1]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
      const out: tf.Tensor[] = [];
      const lossOf = (...ts: tf.Tensor[]) =>
        tf.losses.softmaxCrossEntropy(y, model(Object.fromEntries(names.map((k, i) => [k, ts[i]])), x)) as tf.Scalar;
      for (let s = 0; s < steps; s++) {
        const { value, grads } = tf.valueAndGrads(lossOf)(params);
        out.push(value);
        params = params.map((t, i) => tf.sub(t, tf.mul(grads[i], 0.5)));
      }
      return [tf.stack(out)];
    });
    return trajectory;
  }

  test('conv + depthwise model: same loss trajectory on wasm and cpu, and the loss falls', async () => {
    const c = await losses('cpu', 5);
    const w = await losses('wasm', 5);
    expect(relError(w, c)).toBeLessThanOrEqual(TOL);
    expect(w[4]).toBeLessThan(w[0] - 0.05);
  });
});

describe('tf.layers model.fit', () => {
  /** conv/2 + ReLU → batch norm → depthwise (×2) → separable (valid) → max pool → dense softmax. */
  async function history(backend: 'cpu' | 'wasm'): Promise<number[]> {
    const xv = seeded([16, 12, 12, 1], 9).map((v) => (v + 1) / 2);
    await tf.setBackend(backend);
    const init = (seed: number) => tf.initializers.glorotUniform({ seed });
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(1) }));
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', depthwiseInitializer: init(2) }));
    m.add(tf.layers.separableConv2d({ filters: 6, kernelSize: 3, padding: 'valid', depthwiseInitializer: init(3), pointwiseInitializer: init(4) }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(5) }));
    m.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    const x = tf.tensor4d(xv, [16, 12, 12, 1]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32'), 3);
    const h = await m.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    tf.dispose([x, y]);
    m.dispose();
    return h.history.loss as number[];
  }

  test('a Sequential conv / batch-norm / depthwise / separable / max-pool / dense model trains identically', async () => {
    const c = await history('cpu');
    const w = await history('wasm');
    expect(relError(Float32Array.from(w), Float32Array.from(c))).toBeLessThanOrEqual(TOL);
    expect(w[2]).toBeLessThan(w[0]);
  });
});

describe('backend switching in one process', () => {
  test('tf.setBackend flips between wasm and cpu and both keep working', async () => {
    for (const b of ['wasm', 'cpu', 'wasm', 'cpu'] as const) {
      const [v] = await runOn(b, () => [tf.sum(tf.conv2d(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'same'))]);
      expect(tf.getBackend()).toBe(b);
      expect(v[0]).toBe(4 * 4 + 4 * 6 + 9); // corners 4, edges 6, centre 9
    }
  });
});
