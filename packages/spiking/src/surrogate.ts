import * as tf from '@tensorflow/tfjs';
import { checkNumber, ConfigError, Rng } from '@cosearch/core';
import { initWeights, layerShapes, toSpikingNetwork, type SnnArch } from './arch';
import { validateSnnConfig, type SnnConfig } from './config';
import { encode } from './encoders';
import type { LabelledImages } from './convert';
import type { SpikingNetwork } from './network';

/**
 * The spike nonlinearity for training: forward Heaviside H(x) (x = v − θ, spike when x ≥ 0),
 * backward the derivative of the sigmoid σ(k·x), k·σ(kx)(1 − σ(kx)) (a surrogate gradient;
 * Neftci, Mostafa & Zenke, IEEE SPM 2019). With `smooth: true` the forward pass is σ(k·x) itself,
 * so the same backward pass is then the exact gradient (used to check BPTT against finite
 * differences).
 */
export function spikeFunction(slope: number, smooth = false): (x: tf.Tensor) => tf.Tensor {
  checkNumber(slope, 'slope', { above: 0 });
  return tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    const value = smooth ? tf.sigmoid(x.mul(slope)) : tf.cast(tf.greaterEqual(x, 0), 'float32');
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const s = tf.sigmoid(saved[0].mul(slope));
        return dy.mul(s.mul(tf.scalar(1).sub(s)).mul(slope));
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;
}

/** Surrogate derivative at x (plain numbers, for tests and docs): k·σ(kx)(1 − σ(kx)). */
export function surrogateDerivative(x: number, slope: number): number {
  const s = 1 / (1 + Math.exp(-slope * x));
  return slope * s * (1 - s);
}

/**
 * Unrolls the SNN over T steps in tfjs (backpropagation through time): per step and layer
 * v ← leak·v + W·s_in + b, s = spike(v − θ), then reset (subtract: v ← v − s·θ; zero:
 * v ← v·(1 − s)). Input `spikes` is [T, batch, inputs]. Returns the output spike counts
 * [batch, classes] (the logits of the loss). Refractory periods are not trained (rejected).
 */
export function snnForward(arch: SnnArch, w: tf.Tensor[], b: tf.Tensor[], spikes: tf.Tensor3D, cfg: SnnConfig, spike: (x: tf.Tensor) => tf.Tensor): tf.Tensor2D {
  if (cfg.refractorySteps > 0) throw new ConfigError('snn.refractorySteps', cfg.refractorySteps, '0 for surrogate-gradient training');
  const shapes = layerShapes(arch);
  const [T, batch] = spikes.shape;
  const L = shapes.length;
  const v: tf.Tensor[] = shapes.map((s) => tf.zeros([batch, s.outH * s.outW * s.outC]));
  const kernels = shapes.map((s, i) => (s.def.kind === 'conv' ? w[i].reshape([s.def.kernel, s.def.kernel, s.inC, s.cols]) : w[i].reshape([s.rows, s.cols])));
  let count: tf.Tensor = tf.zeros([batch, arch.classes]);
  const steps = tf.unstack(spikes);
  for (let t = 0; t < T; t++) {
    let x: tf.Tensor = steps[t];
    for (let l = 0; l < L; l++) {
      const s = shapes[l];
      const theta = l === L - 1 ? cfg.threshold * cfg.outputThresholdScale : cfg.threshold;
      let cur: tf.Tensor;
      if (s.def.kind === 'conv') {
        cur = tf.conv2d(x.reshape([batch, s.inH, s.inW, s.inC]) as tf.Tensor4D, kernels[l] as tf.Tensor4D, s.def.stride, 'valid').add(b[l]).reshape([batch, -1]);
      } else {
        cur = x.reshape([batch, s.rows]).matMul(kernels[l] as tf.Tensor2D).add(b[l]);
      }
      const u = cfg.leak === 1 ? v[l].add(cur) : v[l].mul(cfg.leak).add(cur);
      const out = spike(u.sub(theta));
      v[l] = cfg.reset === 'subtract' ? u.sub(out.mul(theta)) : u.mul(tf.scalar(1).sub(out));
      x = out;
      if (l === L - 1) count = count.add(out);
    }
  }
  return count as tf.Tensor2D;
}

export interface SurrogateTrainOptions {
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  /** Sigmoid slope k of the surrogate (per unit of v − θ; default 5). */
  slope?: number;
  seed?: number;
  /** Start from these weights (e.g. a converted network) instead of a fresh Glorot init. */
  init?: { weights: Float32Array[]; biases: Float32Array[] };
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface SurrogateTrainResult {
  network: SpikingNetwork;
  weights: Float32Array[];
  biases: Float32Array[];
  epochLosses: number[];
  imagesTrained: number;
}

/** Encodes a batch into a [T, batch, size] spike tensor's values. */
export function encodeBatch(images: Float32Array, idx: ArrayLike<number>, size: number, cfg: SnnConfig, rng: Rng): Float32Array {
  const T = cfg.steps;
  const B = idx.length;
  const out = new Float32Array(T * B * size);
  for (let j = 0; j < B; j++) {
    const k = idx[j];
    const train = encode(cfg.encoding, images.subarray(k * size, (k + 1) * size), T, rng.fork(k));
    for (let t = 0; t < T; t++) for (let i = 0; i < size; i++) out[(t * B + j) * size + i] = train.spikes[t * size + i];
  }
  return out;
}

/**
 * Surrogate-gradient BPTT training (Adam, softmax cross-entropy on the output spike counts) on
 * the tfjs backend already initialised. Seeded (init, batch order, rate-encoder draws).
 */
export async function trainSurrogate(arch: SnnArch, data: LabelledImages, snn: Partial<SnnConfig>, opts: SurrogateTrainOptions): Promise<SurrogateTrainResult> {
  const cfg = validateSnnConfig(snn);
  const epochs = checkNumber(opts.epochs, 'epochs', { integer: true, min: 0 });
  const batchSize = checkNumber(opts.batchSize ?? 64, 'batchSize', { integer: true, min: 1 });
  const lr = checkNumber(opts.learningRate ?? 1e-3, 'learningRate', { above: 0 });
  const seed = opts.seed ?? 0;
  const shapes = layerShapes(arch);
  const init = opts.init ?? initWeights(arch, seed);
  const w = init.weights.map((v, i) => tf.variable(tf.tensor2d(v, [shapes[i].rows, shapes[i].cols])));
  const b = init.biases.map((v) => tf.variable(tf.tensor1d(v)));
  const spike = spikeFunction(opts.slope ?? 5);
  const optimizer = tf.train.adam(lr);
  const size = arch.inputShape[0] * arch.inputShape[1] * arch.inputShape[2];
  const rng = new Rng(seed);
  const orderRng = rng.fork('batches');
  const epochLosses: number[] = [];
  let imagesTrained = 0;
  for (let e = 0; e < epochs; e++) {
    const order = orderRng.permutation(data.n);
    const encRng = rng.fork(`encode-${e}`);
    let lossSum = 0;
    let batches = 0;
    for (let s = 0; s < data.n; s += batchSize) {
      const idx = order.subarray(s, Math.min(s + batchSize, data.n));
      const xs = encodeBatch(data.images, idx, size, cfg, encRng);
      const ys = new Int32Array(idx.length);
      idx.forEach((k, j) => (ys[j] = data.labels[k]));
      const loss = tf.tidy(() => {
        const x = tf.tensor3d(xs, [cfg.steps, idx.length, size]);
        const y = tf.oneHot(tf.tensor1d(ys, 'int32'), arch.classes);
        return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, snnForward(arch, w, b, x, cfg, spike)) as tf.Scalar, true)!;
      });
      lossSum += (await loss.data())[0];
      loss.dispose();
      batches++;
      imagesTrained += idx.length;
    }
    epochLosses.push(lossSum / Math.max(1, batches));
    opts.onEpoch?.(e, epochLosses[e]);
  }
  const weights = await Promise.all(w.map(async (v) => new Float32Array(await v.data())));
  const biases = await Promise.all(b.map(async (v) => new Float32Array(await v.data())));
  w.forEach((v) => v.dispose());
  b.forEach((v) => v.dispose());
  optimizer.dispose();
  return { network: toSpikingNetwork(arch, weights, biases), weights, biases, epochLosses, imagesTrained };
}
