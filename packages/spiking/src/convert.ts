import * as tf from '@tensorflow/tfjs';
import { checkNumber, Rng } from '@cosearch/core';
import { initWeights, layerShapes, toSpikingNetwork, type SnnArch } from './arch';
import type { SpikingNetwork } from './network';

/** Images NHWC in [0, 1] with class labels (the @cosearch/datasets `ImageSet` fits). */
export interface LabelledImages {
  images: Float32Array;
  labels: Int32Array;
  n: number;
}

export interface AnnTrainOptions {
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** Random translation of each training image by up to this many pixels in x and y (seeded; 0 = none). */
  augmentShift?: number;
  /** Called after each epoch with the mean training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface TrainedAnn {
  arch: SnnArch;
  weights: Float32Array[];
  biases: Float32Array[];
  epochLosses: number[];
}

/** Forward pass of the ReLU ANN with the given tf variables; returns every layer's output (last = logits). */
export function annForward(arch: SnnArch, w: tf.Tensor[], b: tf.Tensor[], x: tf.Tensor): tf.Tensor[] {
  const shapes = layerShapes(arch);
  const outs: tf.Tensor[] = [];
  let h: tf.Tensor = x.reshape([-1, ...arch.inputShape]);
  shapes.forEach((s, i) => {
    const last = i === shapes.length - 1;
    if (s.def.kind === 'conv') {
      const k = w[i].reshape([s.def.kernel, s.def.kernel, s.inC, s.cols]) as tf.Tensor4D;
      h = tf.conv2d(h as tf.Tensor4D, k, s.def.stride, 'valid').add(b[i]);
    } else {
      h = h.reshape([-1, s.rows]).matMul(w[i].reshape([s.rows, s.cols])).add(b[i]);
    }
    if (!last) h = tf.relu(h);
    outs.push(h);
  });
  return outs;
}

/**
 * Trains the ReLU ANN of `arch` (softmax cross-entropy, Adam) on the tfjs backend already
 * initialised (use @cosearch/backend's `initBackend`). Seeded: weights from `initWeights(seed)`,
 * batch order from Rng(seed). No bias-free or pooling tricks: the ANN is exactly what
 * `convertToSnn` turns into LIF layers.
 */
export async function trainAnn(arch: SnnArch, data: LabelledImages, opts: AnnTrainOptions): Promise<TrainedAnn> {
  const epochs = checkNumber(opts.epochs, 'epochs', { integer: true, min: 0 });
  const batchSize = checkNumber(opts.batchSize ?? 64, 'batchSize', { integer: true, min: 1 });
  const lr = checkNumber(opts.learningRate ?? 1e-3, 'learningRate', { above: 0 });
  const seed = opts.seed ?? 0;
  const shift = checkNumber(opts.augmentShift ?? 0, 'augmentShift', { integer: true, min: 0 });
  const init = initWeights(arch, seed);
  const shapes = layerShapes(arch);
  const w = init.weights.map((v, i) => tf.variable(tf.tensor2d(v, [shapes[i].rows, shapes[i].cols])));
  const b = init.biases.map((v) => tf.variable(tf.tensor1d(v)));
  const optimizer = tf.train.adam(lr);
  const size = arch.inputShape[0] * arch.inputShape[1] * arch.inputShape[2];
  const rng = new Rng(seed).fork('batches');
  const augRng = new Rng(seed).fork('augment');
  const [H, W, C] = arch.inputShape;
  const epochLosses: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const order = rng.permutation(data.n);
    let lossSum = 0;
    let batches = 0;
    for (let s = 0; s < data.n; s += batchSize) {
      const idx = order.subarray(s, Math.min(s + batchSize, data.n));
      const xb = new Float32Array(idx.length * size);
      const yb = new Int32Array(idx.length);
      idx.forEach((k, j) => {
        const src = data.images.subarray(k * size, (k + 1) * size);
        if (shift > 0) translate(src, xb.subarray(j * size, (j + 1) * size), H, W, C, augRng.int(2 * shift + 1) - shift, augRng.int(2 * shift + 1) - shift);
        else xb.set(src, j * size);
        yb[j] = data.labels[k];
      });
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(xb, [idx.length, size]);
        const y = tf.oneHot(tf.tensor1d(yb, 'int32'), arch.classes);
        return optimizer.minimize(() => {
          const outs = annForward(arch, w, b, x);
          return tf.losses.softmaxCrossEntropy(y, outs[outs.length - 1]) as tf.Scalar;
        }, true)!;
      });
      lossSum += (await loss.data())[0];
      loss.dispose();
      batches++;
    }
    epochLosses.push(lossSum / Math.max(1, batches));
    opts.onEpoch?.(e, epochLosses[e]);
  }
  const weights = await Promise.all(w.map(async (v) => new Float32Array(await v.data())));
  const biases = await Promise.all(b.map(async (v) => new Float32Array(await v.data())));
  w.forEach((v) => v.dispose());
  b.forEach((v) => v.dispose());
  optimizer.dispose();
  return { arch, weights, biases, epochLosses };
}

/** Copies an HWC image shifted by (dy, dx) pixels, zero fill. */
function translate(src: Float32Array, dst: Float32Array, H: number, W: number, C: number, dy: number, dx: number): void {
  dst.fill(0);
  for (let y = 0; y < H; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= H) continue;
    for (let x = 0; x < W; x++) {
      const sx = x - dx;
      if (sx < 0 || sx >= W) continue;
      for (let c = 0; c < C; c++) dst[(y * W + x) * C + c] = src[(sy * W + sx) * C + c];
    }
  }
}

/** ANN accuracy (argmax of logits) on a set, in batches. */
export function annAccuracy(ann: TrainedAnn, data: LabelledImages, batchSize = 500): number {
  const { arch } = ann;
  const size = arch.inputShape[0] * arch.inputShape[1] * arch.inputShape[2];
  const shapes = layerShapes(arch);
  let correct = 0;
  for (let s = 0; s < data.n; s += batchSize) {
    const m = Math.min(batchSize, data.n - s);
    const pred = tf.tidy(() => {
      const w = ann.weights.map((v, i) => tf.tensor2d(v, [shapes[i].rows, shapes[i].cols]));
      const b = ann.biases.map((v) => tf.tensor1d(v));
      const outs = annForward(arch, w, b, tf.tensor2d(data.images.subarray(s * size, (s + m) * size), [m, size]));
      return outs[outs.length - 1].reshape([m, arch.classes]).argMax(1);
    });
    const p = pred.dataSync();
    pred.dispose();
    for (let j = 0; j < m; j++) if (p[j] === data.labels[s + j]) correct++;
  }
  return data.n > 0 ? correct / data.n : 0;
}

export interface ConversionOptions {
  /** Percentile of each layer's positive activations used as its scale λ (Rueckauer et al. 2017: 99.9). */
  percentile?: number;
  /** Images used to measure the activations (the first `calibrationImages` of `data`). */
  calibrationImages?: number;
}

export interface ConvertedSnn {
  network: SpikingNetwork;
  /** The activation scale λ_l of every layer (output layer last). */
  scales: number[];
}

/**
 * ANN → SNN conversion with data-based threshold balancing (Diehl et al. 2015; Rueckauer et al.,
 * Front. Neurosci. 2017): λ_l = the `percentile` of layer l's positive activations on calibration
 * data, then W_l ← W_l·λ_{l−1}/λ_l and b_l ← b_l/λ_l (λ_0 = 1, inputs in [0, 1]), so that with
 * threshold 1 an integrate-and-fire neuron with subtractive reset fires at a rate ≈ the ANN
 * activation / λ_l, clipped to one spike per step. The output layer is balanced the same way, so
 * the output neuron with the largest logit reaches threshold first (TTFS readout).
 */
export function convertToSnn(ann: TrainedAnn, data: LabelledImages, opts: ConversionOptions = {}): ConvertedSnn {
  const pct = checkNumber(opts.percentile ?? 99.9, 'percentile', { above: 0, max: 100 });
  const m = Math.min(checkNumber(opts.calibrationImages ?? 1000, 'calibrationImages', { integer: true, min: 1 }), data.n);
  const { arch } = ann;
  const size = arch.inputShape[0] * arch.inputShape[1] * arch.inputShape[2];
  const shapes = layerShapes(arch);
  const acts = tf.tidy(() => {
    const w = ann.weights.map((v, i) => tf.tensor2d(v, [shapes[i].rows, shapes[i].cols]));
    const b = ann.biases.map((v) => tf.tensor1d(v));
    return annForward(arch, w, b, tf.tensor2d(data.images.subarray(0, m * size), [m, size])).map((t) => t.dataSync() as Float32Array);
  });
  const scales = acts.map((a) => percentileOfPositive(a, pct));
  const weights = ann.weights.map((w, l) => {
    const k = (l === 0 ? 1 : scales[l - 1]) / scales[l];
    return w.map((v) => v * k);
  });
  const biases = ann.biases.map((b, l) => b.map((v) => v / scales[l]));
  return { network: toSpikingNetwork(arch, weights, biases), scales };
}

function percentileOfPositive(a: Float32Array, pct: number): number {
  const pos = Array.from(a).filter((v) => v > 0).sort((x, y) => x - y);
  if (pos.length === 0) return 1;
  const i = Math.min(pos.length - 1, Math.max(0, Math.ceil((pct / 100) * pos.length) - 1));
  return pos[i];
}
