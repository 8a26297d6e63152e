/**
 * @cosearch/backend's wasm SIMD kernels against the paths they replace (switched off with
 * setSimdKernelsEnabled(false): tfjs-wasm's stock kernels, or cosearch's earlier compositions
 * of them), one op at a time at the default supernet's shapes (batch 64, 7×7 maps, 160
 * channels), in CPU milliseconds per call. Every call gets fresh input tensors, as in training
 * (tfjs-wasm caches XNNPACK operators per weight tensor, which a training step never reuses).
 *
 *   npm run bench -- backend-kernels   (or: node --conditions=@cosearch/source --import tsx tools/bench/backend-kernels.bench.ts)
 *
 * Each op is measured twice per setting, alternating, and the lower figure kept.
 * Env: BENCH_REPS (calls per measurement, default 20).
 */
import { adamwUpdate, batchNormAct, initBackend, setSimdKernelsEnabled, tf } from '@cosearch/backend';

const REPS = Number(process.env.BENCH_REPS ?? 20);

/** CPU ms per call of `run(inputs)`, each call on its own freshly made inputs (made outside the timing). */
function cpuMs<T>(make: (i: number) => T, run: (inputs: T) => tf.Tensor | tf.Tensor[]): number {
  const inputs = Array.from({ length: REPS + 1 }, (_, i) => make(i));
  tf.tidy(() => [run(inputs[REPS])].flat().forEach((t) => t.dataSync())); // warm-up
  const c0 = process.cpuUsage();
  for (let i = 0; i < REPS; i++) tf.tidy(() => [run(inputs[i])].flat().forEach((t) => t.dataSync()));
  const c = process.cpuUsage(c0);
  tf.dispose(inputs as unknown as tf.Tensor[]);
  return (c.user + c.system) / 1000 / REPS;
}

const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);
const dwAttrs = { strides: 1, pad: 'same', dilations: 1, filterShape: [5, 5, 160, 1], inputShape: [64, 7, 7, 160] } as unknown as tf.NamedAttrMap;

const cases: Array<[string, () => number]> = [
  ['depthwise conv [64,7,7,160] ⊛ 5×5', () => cpuMs((i) => [rand([64, 7, 7, 160], i), rand([5, 5, 160, 1], 100 + i)], ([x, w]) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'))],
  ['  its filter gradient', () => cpuMs((i) => [rand([64, 7, 7, 160], i), rand([64, 7, 7, 160], 100 + i)], ([x, dy]) => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, dwAttrs) as tf.Tensor)],
  ['  its input gradient', () => cpuMs((i) => [rand([64, 7, 7, 160], i), rand([5, 5, 160, 1], 100 + i)], ([dy, filter]) => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, dwAttrs) as tf.Tensor)],
  ['batch norm + ReLU6 (train), forward + backward, [64,7,7,160]', () => cpuMs((i) => [rand([64, 7, 7, 160], i), rand([160], 100 + i), rand([160], 200 + i), rand([64, 7, 7, 160], 300 + i)], ([x, g, b, w]) =>
    tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(w, batchNormAct(xi, gi as tf.Tensor1D, bi as tf.Tensor1D, 1e-3, 'relu6'))))([x, g, b]))],
  ['column sum of [3136,160] (bias/BN reductions)', () => cpuMs((i) => rand([3136, 160], i), (m) => tf.sum(m, 0))],
  ['1×1 conv as matMul [3136,40]·[40,160] (fresh weights)', () => cpuMs((i) => [rand([3136, 40], i), rand([40, 160], 100 + i)], ([a, b]) => tf.matMul(a, b))],
  ['  its weight gradient [3136,40]ᵀ·[3136,160]', () => cpuMs((i) => [rand([3136, 40], i), rand([3136, 160], 100 + i)], ([a, b]) => tf.matMul(a, b, true, false))],
  ['attention matMul [64,2,49,49]·[64,2,49,16]', () => cpuMs((i) => [rand([64, 2, 49, 49], i), rand([64, 2, 49, 16], 100 + i)], ([a, b]) => tf.matMul(a, b))],
  ['AdamW step, 100,000 parameters', () => cpuMs((i) => [rand([250, 400], i), rand([250, 400], 100 + i), tf.abs(rand([250, 400], 200 + i)), rand([250, 400], 300 + i)], ([w, m, v, g]) =>
    adamwUpdate(w, m, v, g, { lr: 1e-3, step: 10, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decay: 5e-5 }))],
];

async function main(): Promise<void> {
  await initBackend({ backend: 'wasm' });
  console.log(`CPU ms per call (${REPS} calls each), wasm backend`);
  console.log(`${'op'.padEnd(62)} ${'SIMD kernels'.padStart(12)} ${'off'.padStart(9)} ${'speed-up'.padStart(9)}`);
  for (const [name, measure] of cases) {
    // on, off, on, off: the lower of each pair (the first measurements also pay for heap growth)
    const m = [true, false, true, false].map((simd) => {
      setSimdKernelsEnabled(simd);
      return measure();
    });
    setSimdKernelsEnabled(true);
    const on = Math.min(m[0], m[2]);
    const off = Math.min(m[1], m[3]);
    console.log(`${name.padEnd(62)} ${on.toFixed(2).padStart(12)} ${off.toFixed(2).padStart(9)} ${(off / on).toFixed(1).padStart(8)}×`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
