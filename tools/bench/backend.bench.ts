/**
 * Training speed of small CNNs on the tfjs wasm backend (with the gradient kernels
 * @cosearch/backend adds) vs the pure-JS cpu backend, measured in the same run.
 *
 *   npm run bench -- backend          (or: node --conditions=@cosearch/source --import tsx tools/bench/backend.bench.ts)
 *
 * Env: BENCH_SECONDS (time per model and backend, default 4), BENCH_BATCH (default 64).
 * Data: seeded random 28×28×1 images and labels (speed does not depend on the values).
 */
import { tf, registerWasmGradientKernels } from '@cosearch/backend';
import '@tensorflow/tfjs-backend-wasm';

type Params = Record<string, tf.Variable>;
interface Model {
  name: string;
  init: (seed: number) => Params;
  forward: (p: Params, x: tf.Tensor4D) => tf.Tensor2D;
}

const glorot = (shape: number[], fanIn: number, seed: number): tf.Variable =>
  tf.variable(tf.randomUniform(shape, -Math.sqrt(6 / fanIn), Math.sqrt(6 / fanIn), 'float32', seed));
const zeros = (n: number): tf.Variable => tf.variable(tf.zeros([n]));

/** conv3×3(1→16) → conv3×3/2(16→32) → dense(14·14·32→10): the "small CNN" of issue 2. */
const convConvDense: Model = {
  name: 'conv-conv-dense',
  init: (s) => ({
    w1: glorot([3, 3, 1, 16], 9, s + 1), b1: zeros(16),
    w2: glorot([3, 3, 16, 32], 144, s + 2), b2: zeros(32),
    w3: glorot([14 * 14 * 32, 10], 14 * 14 * 32, s + 3), b3: zeros(10),
  }),
  forward: (p, x) => {
    const h1 = tf.relu(tf.add(tf.conv2d(x, p.w1 as tf.Tensor4D, 1, 'same'), p.b1)) as tf.Tensor4D;
    const h2 = tf.relu(tf.add(tf.conv2d(h1, p.w2 as tf.Tensor4D, 2, 'same'), p.b2));
    return tf.add(tf.matMul(h2.reshape([x.shape[0], -1]), p.w3 as tf.Tensor2D), p.b3) as tf.Tensor2D;
  },
};

/** MobileNet-style: conv3×3/2(1→16) → dw3×3 → pw(16→32) → dw3×3/2 → pw(32→64) → GAP → dense. */
const depthwiseNet: Model = {
  name: 'depthwise-separable',
  init: (s) => ({
    w1: glorot([3, 3, 1, 16], 9, s + 1), b1: zeros(16),
    d1: glorot([3, 3, 16, 1], 9, s + 2), p1: glorot([1, 1, 16, 32], 16, s + 3), b2: zeros(32),
    d2: glorot([3, 3, 32, 1], 9, s + 4), p2: glorot([1, 1, 32, 64], 32, s + 5), b3: zeros(64),
    w4: glorot([64, 10], 64, s + 6), b4: zeros(10),
  }),
  forward: (p, x) => {
    let h = tf.relu6(tf.add(tf.conv2d(x, p.w1 as tf.Tensor4D, 2, 'same'), p.b1)) as tf.Tensor4D;
    h = tf.relu6(tf.depthwiseConv2d(h, p.d1 as tf.Tensor4D, 1, 'same'));
    h = tf.relu6(tf.add(tf.conv2d(h, p.p1 as tf.Tensor4D, 1, 'same'), p.b2)) as tf.Tensor4D;
    h = tf.relu6(tf.depthwiseConv2d(h, p.d2 as tf.Tensor4D, 2, 'same'));
    h = tf.relu6(tf.add(tf.conv2d(h, p.p2 as tf.Tensor4D, 1, 'same'), p.b3)) as tf.Tensor4D;
    return tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, p.w4 as tf.Tensor2D), p.b4) as tf.Tensor2D;
  },
};

/** Trains `model` on `backend` for about `seconds` and returns SGD steps per second. */
async function stepsPerSecond(model: Model, backend: 'wasm' | 'cpu', batch: number, seconds: number): Promise<{ rate: number; cpuRate: number; firstLoss: number; steps: number }> {
  await tf.setBackend(backend);
  const params = model.init(42);
  const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 8) as tf.Tensor1D, 10);
  const opt = tf.train.sgd(0.05);
  const step = (): number => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.forward(params, x)) as tf.Scalar, true);
    const v = loss!.dataSync()[0]; // forces the step to finish
    loss!.dispose();
    return v;
  };
  const tw = performance.now();
  const firstLoss = step(); // warm-up: wasm kernel set-up, XNNPACK operators, JIT
  const warmupS = (performance.now() - tw) / 1000;
  // At least `seconds` and at least 2 steps — or 1 when a single step takes longer than
  // `seconds` (the cpu backend needs tens of seconds per conv-conv-dense step).
  const minSteps = warmupS > seconds ? 1 : 2;
  let steps = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || steps < minSteps) {
    const v = step();
    if (!Number.isFinite(v)) throw new Error(`${model.name} on ${backend}: loss became ${v}`);
    steps++;
  }
  const rate = steps / ((performance.now() - t0) / 1000);
  // Per second of this process's CPU time: steadier than wall time on a shared machine
  // (both backends compute on one thread here).
  const cpu = process.cpuUsage(c0);
  const cpuRate = steps / ((cpu.user + cpu.system) / 1e6);
  opt.dispose();
  tf.dispose([x, y, ...Object.values(params)]);
  return { rate, cpuRate, firstLoss, steps };
}

async function main(): Promise<void> {
  registerWasmGradientKernels();
  // Silence tfjs's one-time "install tfjs-node" banner of the cpu backend.
  await tf.setBackend('cpu');
  (tf.findBackend('cpu') as unknown as { firstUse: boolean }).firstUse = false;
  const seconds = Number(process.env.BENCH_SECONDS ?? 4);
  const batch = Number(process.env.BENCH_BATCH ?? 64);
  console.log(`training steps/s, batch ${batch} of 28×28×1, SGD; ~${seconds} s per model and backend`);
  console.log('(steps/s by wall clock, and per second of process CPU time, steadier on a shared machine;');
  console.log(' first-step loss on both backends: same weights and data, so it must agree)');
  console.log('model                  wasm steps/s  cpu steps/s  wasm/cpu | per CPU-s: wasm    cpu  wasm/cpu | first loss wasm / cpu');
  for (const model of [convConvDense, depthwiseNet]) {
    const w = await stepsPerSecond(model, 'wasm', batch, seconds);
    const c = await stepsPerSecond(model, 'cpu', batch, seconds);
    console.log(
      `${model.name.padEnd(22)} ${w.rate.toFixed(2).padStart(12)} ${c.rate.toFixed(3).padStart(12)} ${(w.rate / c.rate).toFixed(1).padStart(8)}× |` +
        ` ${w.cpuRate.toFixed(2).padStart(14)} ${c.cpuRate.toFixed(3).padStart(6)} ${(w.cpuRate / c.cpuRate).toFixed(1).padStart(8)}× |` +
        ` ${w.firstLoss.toFixed(5)} / ${c.firstLoss.toFixed(5)}  (${w.steps} / ${c.steps} timed steps)`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
