import * as tf from '@tensorflow/tfjs';
import { depthwiseGradReference, relError, runOn, seeded, setupBackends } from './test-helpers';
import { isCosearchWasmKernel, registerWasmGradientKernels, WASM_MISSING_KERNELS, WASM_REPLACED_KERNELS } from './wasm-kernels';

// The kernels called directly (tf.engine().runKernel) with attributes tfjs's gradient
// functions never pass but the kernels' contracts allow: dilations, NCHW, numeric padding
// with rounding modes. Reference: the cpu backend's kernels.
const TOL = 1e-4;

beforeAll(setupBackends);
afterAll(() => tf.setBackend('cpu'));

function kernelOn(backend: 'cpu' | 'wasm', name: string, inputs: Record<string, [number[], number]>, attrs: object): Promise<Float32Array[]> {
  const data = Object.fromEntries(Object.entries(inputs).map(([k, [shape, seed]]) => [k, { shape, values: seeded(shape, seed) }]));
  return runOn(backend, () => {
    const tensors = Object.fromEntries(Object.entries(data).map(([k, d]) => [k, tf.tensor(d.values, d.shape)]));
    return [tf.engine().runKernel(name, tensors, attrs as unknown as tf.NamedAttrMap) as tf.Tensor];
  });
}

async function expectSameOnBothBackends(name: string, inputs: Record<string, [number[], number]>, attrs: object): Promise<void> {
  const [c] = await kernelOn('cpu', name, inputs, attrs);
  const [w] = await kernelOn('wasm', name, inputs, attrs);
  expect(w.length).toBe(c.length);
  expect(relError(w, c)).toBeLessThanOrEqual(TOL);
}

describe('kernel registration', () => {
  test('every added kernel exists on wasm and was missing from the stock wasm backend', () => {
    for (const k of WASM_MISSING_KERNELS) {
      expect(tf.getKernel(k.kernelName, 'wasm')?.kernelFunc).toBe(k.kernelFunc);
      expect(tf.getKernel(k.kernelName, 'cpu')).toBeDefined();
    }
    expect(WASM_MISSING_KERNELS.map((k) => k.kernelName).sort()).toEqual([
      'Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'UnsortedSegmentSum',
    ]);
    expect(WASM_REPLACED_KERNELS.map((k) => k.kernelName).sort()).toEqual(['BatchMatMul', 'Conv2DBackpropInput', 'DepthwiseConv2dNative', 'Identity', 'MaxPoolGrad', 'Mean', 'OneHot', 'Sum', '_FusedMatMul']);
    for (const k of [...WASM_MISSING_KERNELS, ...WASM_REPLACED_KERNELS]) expect(isCosearchWasmKernel(k.kernelName)).toBe(true);
    expect(isCosearchWasmKernel('Conv2D')).toBe(false);
  });

  test('registration is idempotent', () => {
    expect(registerWasmGradientKernels()).toEqual([]);
  });
});

describe('depthwise backprop kernels with dilation 2 (stride 1), against a brute-force reference', () => {
  // 3×3 kernel, dilation 2 → 5×5 extent; 'same' on 9×8 pads 2 on every side.
  test.each([['same', 2, [2, 9, 8, 8]], ['valid', 0, [2, 5, 4, 8]]] as const)('%s padding', async (pad, p, outShape) => {
    const xShape = [2, 9, 8, 4];
    const wShape = [3, 3, 4, 2];
    const attrs = { strides: 1, dilations: 2, pad, filterShape: wShape, inputShape: xShape };
    const xv = seeded(xShape, 1);
    const wv = seeded(wShape, 2);
    const dyv = seeded([...outShape], 3);
    const ref = depthwiseGradReference(xv, xShape, wv, wShape, dyv, [...outShape], 1, 2, p, p);
    const [dW, dx] = await runOn('wasm', () => {
      const x = tf.tensor(xv, xShape);
      const w = tf.tensor(wv, wShape);
      const dy = tf.tensor(dyv, [...outShape]);
      return [
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
      ];
    });
    expect(relError(dW, ref.dW)).toBeLessThanOrEqual(TOL);
    expect(relError(dx, ref.dx)).toBeLessThanOrEqual(TOL);
  });

  test('the reference agrees with cpu at dilation 1 (checks the reference itself)', async () => {
    const xShape = [2, 7, 6, 3];
    const wShape = [3, 3, 3, 2];
    const dyShape = [2, 4, 3, 6];
    const attrs = { strides: 2, dilations: 1, pad: 'same', filterShape: wShape, inputShape: xShape };
    const xv = seeded(xShape, 4);
    const wv = seeded(wShape, 5);
    const dyv = seeded(dyShape, 6);
    // same, stride 2: 7 rows → 4 outputs, total pad (4−1)·2+3−7 = 2 → top 1; 6 cols → 3, pad 1 → left 0
    const ref = depthwiseGradReference(xv, xShape, wv, wShape, dyv, dyShape, 2, 1, 1, 0);
    const [dW, dx] = await runOn('cpu', () => {
      const x = tf.tensor(xv, xShape);
      const dy = tf.tensor(dyv, dyShape);
      return [
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: tf.tensor(wv, wShape) }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
      ];
    });
    expect(relError(dW, ref.dW)).toBeLessThanOrEqual(TOL);
    expect(relError(dx, ref.dx)).toBeLessThanOrEqual(TOL);
  });
});

describe('numeric padding with dimRoundingMode', () => {
  // 8 rows, kernel 3, pad 1, stride 2: (8 − 3 + 2)/2 + 1 = 4.5 output rows.
  test.each([['floor', 4], ['ceil', 5], ['round', 5]] as const)('%s', async (mode, outRows) => {
    const attrs = { strides: 2, dilations: 1, pad: 1, dimRoundingMode: mode, dataFormat: 'NHWC' };
    const dy: [number[], number] = [[2, outRows, outRows, 3], 5];
    await expectSameOnBothBackends('Conv2DBackpropFilter', { x: [[2, 8, 8, 2], 6], dy }, { ...attrs, filterShape: [3, 3, 2, 3] });
    await expectSameOnBothBackends('Conv2DBackpropInput', { dy, filter: [[3, 3, 2, 3], 7] }, { ...attrs, inputShape: [2, 8, 8, 2] });
    const dyDw: [number[], number] = [[2, outRows, outRows, 2], 8];
    await expectSameOnBothBackends('DepthwiseConv2dNativeBackpropFilter', { x: [[2, 8, 8, 2], 9], dy: dyDw }, { ...attrs, filterShape: [3, 3, 2, 1] });
    await expectSameOnBothBackends('DepthwiseConv2dNativeBackpropInput', { dy: dyDw, filter: [[3, 3, 2, 1], 10] }, { ...attrs, inputShape: [2, 8, 8, 2] });
  });
});

describe('NCHW data format', () => {
  test.each([[1], [2]])('conv2d backprop filter and input, stride %i', async (stride) => {
    const attrs = { strides: stride, pad: 'same', dataFormat: 'NCHW' };
    const out = Math.ceil(7 / stride);
    await expectSameOnBothBackends('Conv2DBackpropFilter', { x: [[2, 3, 7, 7], 11], dy: [[2, 5, out, out], 12] }, { ...attrs, filterShape: [3, 3, 3, 5] });
    await expectSameOnBothBackends('Conv2DBackpropInput', { dy: [[2, 5, out, out], 13], filter: [[3, 3, 3, 5], 14] }, { ...attrs, inputShape: [2, 3, 7, 7] });
  });
});

describe('UnsortedSegmentSum (gradient of gather)', () => {
  test('direct, with repeated and out-of-range ids', async () => {
    const ids = [0, 2, 2, 4, 1, 2, -1, 7];
    const run = (b: 'cpu' | 'wasm') =>
      runOn(b, () => [tf.unsortedSegmentSum(tf.tensor(seeded([8, 3, 2], 21), [8, 3, 2]), tf.tensor1d(ids, 'int32'), 5)]);
    const [c] = await run('cpu');
    const [w] = await run('wasm');
    expect(relError(w, c)).toBeLessThanOrEqual(TOL);
    // hand check: segment 3 receives nothing
    expect(Array.from(w.slice(18, 24))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('gradient of an embedding lookup (tf.gather)', async () => {
    const run = (b: 'cpu' | 'wasm') =>
      runOn(b, () => {
        const table = tf.tensor(seeded([6, 4], 31), [6, 4]);
        const ids = tf.tensor1d([1, 5, 1, 0, 3, 3, 3], 'int32');
        const r = tf.tensor(seeded([7, 4], 32), [7, 4]);
        return [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), r)))(table)];
      });
    const [c] = await run('cpu');
    const [w] = await run('wasm');
    expect(relError(w, c)).toBeLessThanOrEqual(TOL);
    expect(Array.from(w.slice(8, 12))).toEqual([0, 0, 0, 0]); // row 2 never gathered
  });
});

describe('OneHot on wasm honours dtype and on/off values', () => {
  test.each([['float32', 0.9, 0.025], ['int32', 5, -1]] as const)('%s, on %d, off %d', async (dtype, on, off) => {
    const [v] = await runOn('wasm', () => [tf.oneHot(tf.tensor1d([2, 0, 3], 'int32'), 4, on, off, dtype)]);
    // hand-written expectation
    const e = [off, off, on, off, on, off, off, off, off, off, off, on];
    expect(Array.from(v).map((a) => Math.round(a * 1e6) / 1e6)).toEqual(e);
  });
});
