import * as tf from '@tensorflow/tfjs';
import { adamwUpdate } from './fused/adamw';
import { batchNormAct, type NormActivation } from './fused/batch-norm-act';
import { setSimdKernelsEnabled, simdRuntime } from './simd/runtime';
import { depthwiseGradReference, relError, runOn, seeded, setupBackends } from './test-helpers';

// cosearch's wasm SIMD kernels (simd/) against the cpu backend's kernels / tfjs autodiff, with
// a check that the SIMD path really ran (tf.profile lists every kernel executed, nested ones too).
const TOL = 1e-4;

beforeAll(setupBackends);
afterAll(() => {
  setSimdKernelsEnabled(true);
  return tf.setBackend('cpu');
});

async function kernelsRun(fn: () => tf.Tensor[]): Promise<Set<string>> {
  await tf.setBackend('wasm');
  const info = await tf.profile(() => {
    const out = fn();
    out.forEach((t) => t.dataSync());
    return out;
  });
  return new Set(info.kernelNames);
}

test('the SIMD module instantiates against the wasm backend memory', async () => {
  await tf.setBackend('wasm');
  expect(simdRuntime()).not.toBeNull();
  await tf.setBackend('cpu');
  expect(simdRuntime()).toBeNull(); // the cpu backend has no wasm memory
});

describe('batchNormAct (fused SIMD kernels on wasm) matches autodiff of tfjs ops on cpu', () => {
  /** Reference: tf.moments + tf.batchNorm + activation, differentiated by tfjs. */
  const reference = (act: NormActivation) => (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const axes = x.shape.map((_, i) => i).slice(0, -1);
    const { mean, variance } = tf.moments(x, axes);
    const y = tf.batchNorm(x, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-3);
    return act === 'relu' ? tf.relu(y) : act === 'relu6' ? tf.relu6(y) : y;
  };
  const ours = (act: NormActivation) => (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => batchNormAct(x, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3, act);

  /** Value and the three gradients of Σ w·f(x, γ, β); γ up to ±6 and β up to ±3 so ReLU6 clips. */
  const run = (f: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor, shape: number[]) => () => {
    const c = shape[shape.length - 1];
    const x = tf.add(tf.mul(tf.tensor(seeded(shape, 1), shape), 3), 0.5);
    const g = tf.mul(tf.tensor1d(seeded([c], 2)), 6);
    const b = tf.mul(tf.tensor1d(seeded([c], 3)), 3);
    const w = tf.tensor(seeded(shape, 4), shape);
    const loss = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(w, f(xi, gi, bi)));
    return [f(x, g, b), ...tf.grads(loss)([x, g, b])];
  };

  test.each([
    ['linear', [3, 5, 4, 8]],
    ['relu', [3, 5, 4, 8]],
    ['relu6', [3, 5, 4, 8]],
    ['relu6', [50, 12]],
  ] as const)('%s, x %j', async (act, shape) => {
    const ref = await runOn('cpu', run(reference(act), [...shape]));
    const got = await runOn('wasm', run(ours(act), [...shape]));
    got.forEach((v, i) => expect({ i, err: relError(v, ref[i]) <= TOL }).toEqual({ i, err: true }));
    const y = ref[0];
    if (act === 'relu6') expect(y.some((v) => v === 6) && y.some((v) => v === 0)).toBe(true); // both clips exercised
    const kernels = await kernelsRun(run(ours(act), [...shape]));
    expect(kernels.has('CosearchBatchNormTrain') && kernels.has('CosearchBatchNormTrainGrad')).toBe(true);
  });

  test('channels not a multiple of 4, and SIMD switched off: the composed path, same results', async () => {
    const ref = await runOn('cpu', run(reference('relu6'), [4, 3, 5]));
    const got = await runOn('wasm', run(ours('relu6'), [4, 3, 5]));
    got.forEach((v, i) => expect(relError(v, ref[i])).toBeLessThanOrEqual(TOL));
    setSimdKernelsEnabled(false);
    try {
      const ref8 = await runOn('cpu', run(reference('relu'), [4, 3, 8]));
      const off = await runOn('wasm', run(ours('relu'), [4, 3, 8]));
      off.forEach((v, i) => expect(relError(v, ref8[i])).toBeLessThanOrEqual(TOL));
      expect((await kernelsRun(run(ours('relu'), [4, 3, 8]))).has('CosearchBatchNormTrain')).toBe(false);
    } finally {
      setSimdKernelsEnabled(true);
    }
  });
});

describe('depthwise conv SIMD kernels (multiplier 1, C % 4 = 0) match cpu', () => {
  const grads = (stride: number, pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding, xShape: number[], k: [number, number]) => () => {
    const c = xShape[3];
    const x = tf.tensor4d(seeded(xShape, 11), xShape as [number, number, number, number]);
    const w = tf.tensor4d(seeded([k[0], k[1], c, 1], 12), [k[0], k[1], c, 1]);
    const y = tf.depthwiseConv2d(x, w, stride, pad);
    const r = tf.tensor(seeded(y.shape, 13), y.shape);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), r));
    return [y, ...tf.grads(f)([x, w])];
  };
  const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [2, 0], [1, 3], [0, 0]];
  test.each([
    [1, 'same', [2, 7, 9, 8], [5, 5]],
    [1, 'valid', [2, 8, 8, 4], [3, 3]],
    [2, 'same', [3, 7, 8, 12], [3, 3]],
    [2, 'valid', [2, 9, 7, 4], [5, 3]],
    [1, explicit, [2, 6, 5, 8], [3, 2]],
    [2, explicit, [2, 6, 5, 8], [3, 2]],
  ] as const)('stride %i, padding %j, x %j, kernel %j: forward, dx, dW', async (stride, pad, xShape, k) => {
    const p = pad as 'same' | 'valid' | tf.backend_util.ExplicitPadding;
    const ref = await runOn('cpu', grads(stride, p, [...xShape], [k[0], k[1]]));
    const got = await runOn('wasm', grads(stride, p, [...xShape], [k[0], k[1]]));
    got.forEach((v, i) => expect({ i, err: relError(v, ref[i]) <= TOL }).toEqual({ i, err: true }));
    // The SIMD loops ran: no composed gradient (it transposes), no XNNPACK-free fallback ops.
    const kernels = await kernelsRun(grads(stride, p, [...xShape], [k[0], k[1]]));
    expect(kernels.has('DepthwiseConv2dNativeBackpropFilter')).toBe(true);
    expect(kernels.has('Transpose') || kernels.has('PadV2')).toBe(false);
  });

  test('dilation 2 against a brute-force reference (the cpu kernels ignore dilation)', async () => {
    const xShape = [2, 9, 8, 8];
    const wShape = [3, 3, 8, 1];
    const outShape = [2, 9, 8, 8]; // same, 5×5 extent
    const xv = seeded(xShape, 21);
    const wv = seeded(wShape, 22);
    const dyv = seeded(outShape, 23);
    const ref = depthwiseGradReference(xv, xShape, wv, wShape, dyv, outShape, 1, 2, 2, 2);
    const attrs = { strides: 1, dilations: 2, pad: 'same', filterShape: wShape, inputShape: xShape, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap;
    const [dW, dx, y] = await runOn('wasm', () => {
      const x = tf.tensor(xv, xShape);
      const w = tf.tensor(wv, wShape);
      const dy = tf.tensor(dyv, outShape);
      return [
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs) as tf.Tensor,
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, attrs) as tf.Tensor,
        tf.engine().runKernel('DepthwiseConv2dNative', { x, filter: w }, attrs) as tf.Tensor,
      ];
    });
    expect(relError(dW, ref.dW)).toBeLessThanOrEqual(TOL);
    expect(relError(dx, ref.dx)).toBeLessThanOrEqual(TOL);
    // forward: Σ y·dy = Σ x·dx (dx is the adjoint of the forward map)
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < y.length; i++) lhs += y[i] * dyv[i];
    for (let i = 0; i < xv.length; i++) rhs += xv[i] * ref.dx[i];
    expect(Math.abs(lhs - rhs) / Math.abs(rhs)).toBeLessThan(1e-5);
  });
});

describe('column sums (Sum/Mean over leading axes) on wasm', () => {
  test.each([[true], [false]])('SIMD %s: sums and means match cpu, C not a multiple of 4 included', async (simd) => {
    setSimdKernelsEnabled(simd);
    try {
      const f = () => {
        const x = tf.tensor(seeded([6, 50, 7], 31), [6, 50, 7]);
        return [tf.sum(x, 0), tf.mean(x, [0, 1]), tf.sum(x, 1, true), tf.mean(tf.reshape(x, [300, 7]), 0)];
      };
      const ref = await runOn('cpu', f);
      const got = await runOn('wasm', f);
      got.forEach((v, i) => expect(relError(v, ref[i])).toBeLessThanOrEqual(1e-5));
    } finally {
      setSimdKernelsEnabled(true);
    }
  });
});

describe('Identity shares data on wasm', () => {
  test('a clone outlives its source, and nothing leaks', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const beforeIds = tf.engine().backend.numDataIds();
    const a = tf.tensor1d([1, 2, 3, 4]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3, 4]);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(beforeIds);
  });
});

test('batched matMul (attention shapes, SIMD bmm): products, broadcast batch and gradients match cpu', async () => {
  const f = () => {
    const q = tf.tensor(seeded([3, 2, 9, 16], 61), [3, 2, 9, 16]);
    const k = tf.tensor(seeded([3, 2, 9, 16], 62), [3, 2, 9, 16]);
    const r = tf.tensor(seeded([3, 2, 9, 16], 63), [3, 2, 9, 16]);
    const att = (a: tf.Tensor, b: tf.Tensor) => tf.matMul(tf.softmax(tf.matMul(a, b, false, true)), b);
    const shared = tf.tensor(seeded([1, 16, 5], 64), [1, 16, 5]);
    return [att(q, k), tf.matMul(q, shared), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(att(a, b), r)))([q, k])];
  };
  const ref = await runOn('cpu', f);
  const got = await runOn('wasm', f);
  got.forEach((v, i) => expect(relError(v, ref[i])).toBeLessThanOrEqual(1e-5));
});

test('a·b and aᵀ·b (SIMD ab / atb: dense layers and their weight gradients) match cpu, incl. row counts not a multiple of the 128-row block', async () => {
  const f = () => {
    const x = tf.tensor(seeded([300, 16], 71), [300, 16]);
    const w = tf.tensor(seeded([16, 24], 72), [16, 24]);
    const r = tf.tensor(seeded([300, 24], 73), [300, 24]);
    const dy = tf.tensor(seeded([300, 24], 74), [300, 24]);
    return [
      tf.matMul(x, dy, true, false), // [16,24]
      tf.matMul(x, w), // a·b, SIMD ab (300 % 4 = 0, 24 % 8 = 0)
      tf.matMul(dy, w, false, true), // [300,16]: transposed b materialised, then ab
      tf.matMul(tf.reshape(x, [1, 300, 16]), tf.reshape(dy, [1, 300, 24]), true, false), // batch of one
      ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a, b), r)))([x, w]), // dW = xᵀ·dr
    ];
  };
  const ref = await runOn('cpu', f);
  const got = await runOn('wasm', f);
  got.forEach((v, i) => expect(relError(v, ref[i])).toBeLessThanOrEqual(1e-5));
});

describe('adamwUpdate', () => {
  /** Three steps from seeded state; returns w, m, v after each. */
  const steps = (size: number) => () => {
    let w: tf.Tensor = tf.tensor1d(seeded([size], 51));
    let m: tf.Tensor = tf.zeros([size]);
    let v: tf.Tensor = tf.zeros([size]);
    const out: tf.Tensor[] = [];
    for (let t = 1; t <= 3; t++) {
      const g = tf.tensor1d(seeded([size], 51 + t));
      [w, m, v] = adamwUpdate(w, m, v, g, { lr: 0.01 * t, step: t, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decay: t === 2 ? 0.5 : 0 });
      out.push(w, m, v);
    }
    return out;
  };

  test('fused kernel on wasm (size % 4 = 0) and composed path (size 6) match tfjs ops on cpu', async () => {
    for (const size of [12, 6]) {
      const ref = await runOn('cpu', steps(size));
      const got = await runOn('wasm', steps(size));
      got.forEach((v, i) => expect(relError(v, ref[i])).toBeLessThanOrEqual(1e-5));
    }
    expect((await kernelsRun(steps(12))).has('CosearchAdamW')).toBe(true);
    expect((await kernelsRun(steps(6))).has('CosearchAdamW')).toBe(false);
  });

  test('first step against a hand calculation', async () => {
    // t = 1: m' = 0.1·g, v' = 0.001·g², update = lr · m'/0.1 / (√(v'/0.001) + ε) = lr·sign(g); decay 0.5·lr.
    const [w] = await runOn('wasm', () => adamwUpdate(tf.tensor1d([1, -2, 3, 0.5]), tf.zeros([4]), tf.zeros([4]), tf.tensor1d([2, -1, 0.5, -4]),
      { lr: 0.1, step: 1, beta1: 0.9, beta2: 0.999, epsilon: 0, decay: 0.5 }));
    const keep = 1 - 0.5 * 0.1;
    [1 * keep - 0.1, -2 * keep + 0.1, 3 * keep - 0.1, 0.5 * keep + 0.1].forEach((e, i) => expect(w[i]).toBeCloseTo(e, 6));
  });
});
