import * as tf from '@tensorflow/tfjs';
import { relError, runOn, seeded, setupBackends } from './test-helpers';

// The stock wasm kernels cosearch replaces for speed (BatchMatMul/_FusedMatMul with transpose
// flags, Sum/Mean over non-trailing axes): same values and shapes as the cpu backend.
const TOL = 1e-5;

beforeAll(setupBackends);
afterAll(() => tf.setBackend('cpu'));

/** A seeded tensor of any shape (typed loosely: callers cast to the rank they need). */
const rand = (shape: number[], seed: number): tf.Tensor => tf.tensor(seeded(shape, seed), shape);

async function both(fn: () => tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[]; shapes: number[][][] }> {
  const shapes: number[][][] = [];
  const capture = () => {
    const out = fn();
    shapes.push(out.map((t) => t.shape));
    return out;
  };
  return { cpu: await runOn('cpu', capture), wasm: await runOn('wasm', capture), shapes };
}

describe('BatchMatMul / _FusedMatMul with transpose flags', () => {
  const combos: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

  test.each(combos)('2-D and batched 3-D, transposeA %s, transposeB %s', async (ta, tb) => {
    const a2 = ta ? [7, 5] : [5, 7];
    const b2 = tb ? [3, 7] : [7, 3];
    const r = await both(() => [
      tf.matMul(rand(a2, 1) as tf.Tensor2D, rand(b2, 2) as tf.Tensor2D, ta, tb),
      tf.matMul(rand([4, ...a2], 3) as tf.Tensor3D, rand([4, ...b2], 4) as tf.Tensor3D, ta, tb),
      // broadcast batch: one a against four b
      tf.matMul(rand([1, ...a2], 5) as tf.Tensor3D, rand([4, ...b2], 6) as tf.Tensor3D, ta, tb),
    ]);
    expect(r.shapes[1]).toEqual(r.shapes[0]);
    expect(r.shapes[1]).toEqual([[5, 3], [4, 5, 3], [4, 5, 3]]);
    r.wasm.forEach((w, i) => expect(relError(w, r.cpu[i])).toBeLessThanOrEqual(TOL));
  });

  test.each(combos)('fused matMul with bias and relu, and its gradients, transposeA %s, transposeB %s', async (ta, tb) => {
    const aS = ta ? [6, 4] : [4, 6];
    const bS = tb ? [5, 6] : [6, 5];
    const r = await both(() => {
      const a = rand(aS, 7) as tf.Tensor2D;
      const b = rand(bS, 8) as tf.Tensor2D;
      const bias = tf.tensor1d(seeded([5], 9));
      const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
        tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, transposeA: ta, transposeB: tb, bias: z, activation: 'relu' });
      const r = rand([4, 5], 10);
      return [f(a, b, bias), ...tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(f(x, y, z), r)))([a, b, bias])];
    });
    expect(r.shapes[1]).toEqual(r.shapes[0]);
    r.wasm.forEach((w, i) => expect(relError(w, r.cpu[i])).toBeLessThanOrEqual(TOL));
    expect(Math.max(...r.cpu[1].map(Math.abs))).toBeGreaterThan(0); // the gradient is not empty
  });
});

test('the same data as matMul b under two shapes (stock wasm caches the packed b by tensor id)', async () => {
  // Before the fix: the second product reused the operator packed for [6, 350] → wasm abort.
  const r = await both(() => {
    const x = rand([2100], 41);
    return [tf.matMul(tf.ones([1, 6]), tf.reshape(x, [6, 350])), tf.matMul(tf.ones([1, 300]), tf.reshape(x, [300, 7])), tf.matMul(rand([2, 6], 42), tf.reshape(x, [6, 350]))];
  });
  r.wasm.forEach((w, i) => expect(relError(w, r.cpu[i])).toBeLessThanOrEqual(TOL));
});

describe('Sum and Mean over any axes', () => {
  const cases: Array<[string, number | number[], boolean]> = [
    ['leading axis', 0, false],
    ['leading block (bias gradient)', [0, 1, 2], false],
    ['leading block, keepDims', [0, 1, 2], true],
    ['middle block (global average pool)', [1, 2], false],
    ['middle axis, negative index', -3, true],
    ['unsorted duplicate-free list', [2, 1], false],
    ['trailing axis (stock kernel)', 3, false],
    ['scattered axes (stock kernel)', [0, 2], false],
    ['all axes (stock kernel)', [0, 1, 2, 3], false],
  ];
  test.each(cases)('%s: axis %j, keepDims %s', async (_label, axis, keepDims) => {
    const r = await both(() => {
      const x = rand([3, 5, 4, 6], 11);
      return [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims)];
    });
    expect(r.shapes[1]).toEqual(r.shapes[0]);
    r.wasm.forEach((w, i) => expect(relError(w, r.cpu[i])).toBeLessThanOrEqual(TOL));
  });

  test('int32 sums stay exact integers', async () => {
    const r = await both(() => [tf.sum(tf.tensor([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32'), 0)]);
    expect(Array.from(r.wasm[0])).toEqual([9, 12]);
  });

  test('a long reduction (50,176 rows, as a batch-64 28×28 bias gradient) keeps float32 accuracy', async () => {
    const n = 64 * 28 * 28;
    const v = seeded([n, 4], 12);
    const [wasm] = await runOn('wasm', () => [tf.sum(tf.tensor(v, [n, 4]), 0)]);
    // float64 reference
    const ref = new Float32Array(4);
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += v[i * 4 + j];
      ref[j] = s;
    }
    // relative to the sum of magnitudes, the scale float32 rounding works at
    const scale = n * 0.5;
    for (let j = 0; j < 4; j++) expect(Math.abs(wasm[j] - ref[j]) / scale).toBeLessThan(1e-6);
  });
});

describe('MaxPoolGrad (stock wasm kernel misroutes windows whose values are all <= 0)', () => {
  test('hand example: an all-negative 3×3 image, 2×2 windows at stride 1', async () => {
    const x = [-3, -1, -2, -4, -5, -0.5, -7, -8, -9];
    // windows (row-major): max −1 at index 1, −0.5 at 5, −4 at 3, −0.5 at 5; dy = 1, 2, 3, 4
    const [g] = await runOn('wasm', () => [
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 1, 'valid'), tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]))))(
        tf.tensor4d(x, [1, 3, 3, 1]),
      ),
    ]);
    expect(Array.from(g)).toEqual([0, 1, 0, 3, 0, 6, 0, 0, 0]);
  });

  const cases: Array<[string, number, number, 'same' | 'valid']> = [];
  for (const [k, s] of [[2, 2], [3, 2], [3, 1], [2, 1]]) for (const pad of ['same', 'valid'] as const) cases.push([`${k}×${k}/${s}`, k, s, pad]);
  test.each(cases)('%s %s: signed, ReLU-ed (ties at 0) and positive inputs match cpu', async (_l, k, s, pad) => {
    for (const [shape, kind] of [[[2, 7, 6, 3], 'signed'], [[2, 8, 8, 4], 'relu'], [[1, 5, 5, 2], 'positive']] as const) {
      const r = await both(() => {
        let x = rand([...shape], 40 + k * 10 + s);
        if (kind === 'relu') x = tf.relu(x);
        if (kind === 'positive') x = tf.add(tf.abs(x), 0.1);
        const y = tf.maxPool(x as tf.Tensor4D, k, s, pad);
        const w = rand(y.shape, 41);
        return [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, k, s, pad), w)))(x)];
      });
      expect({ kind, err: relError(r.wasm[0], r.cpu[0]) <= TOL }).toEqual({ kind, err: true });
    }
  });
});
