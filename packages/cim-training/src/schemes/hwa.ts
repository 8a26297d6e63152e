import { checkNumber } from '@cosearch/core';
import { tf } from '@cosearch/backend';
import { gaussianNoise } from '../crossbar/noise';
import { straightThrough } from '../model/linear';
import type { TrainingScheme } from './types';

export interface HwaParams {
  /** Weight bits of the deployed network (signed, on differential pairs). */
  weightBits: number;
  /** Training noise σ = noise·max|W_layer|, resampled every batch (NeuRRAM α ≈ 0.1–0.2); 0 = none. */
  noise: number;
  /** Bits of the learned activation clip after each hidden ReLU (PACT-style). */
  activationBits: number;
}

/** Symmetric per-layer weight quantisation to 2^(b−1) − 1 levels per sign of max|W|. */
export function quantizeWeightsTensor(w: tf.Tensor, bits: number): tf.Tensor {
  return tf.tidy(() => {
    const levels = 2 ** (bits - 1) - 1;
    const scale = tf.div(tf.maximum(tf.max(tf.abs(w)), 1e-12), levels);
    return tf.mul(tf.round(tf.div(w, scale)), scale);
  });
}

/** The same quantiser on a Float32Array. */
export function quantizeWeights(w: Float32Array, bits: number): Float32Array {
  let m = 0;
  for (const v of w) m = Math.max(m, Math.abs(v));
  const levels = 2 ** (bits - 1) - 1;
  const s = m > 0 ? m / levels : 1;
  return w.map((v) => Math.round(v / s) * s);
}

/**
 * Hardware-aware (noise-aware) training for CIM inference, NeuRRAM-style (Wan et al., Nature
 * 2022): software training whose forward pass sees the weights quantised to
 * `weightBits` (straight-through gradient) plus Gaussian noise σ = noise·max|W| drawn afresh for
 * every batch, and activations through a learned clip quantised to `activationBits`. The trained
 * float weights are then programmed onto chips (programWeights / evaluateOnChips).
 */
export function hwaScheme(raw: Partial<HwaParams> = {}): TrainingScheme {
  const weightBits = checkNumber(raw.weightBits ?? 4, 'scheme.weightBits', { integer: true, min: 2, max: 16 });
  const noise = checkNumber(raw.noise ?? 0.1, 'scheme.noise', { min: 0, max: 1 });
  const activationBits = checkNumber(raw.activationBits ?? 4, 'scheme.activationBits', { integer: true, min: 1, max: 16 });
  const quant = straightThrough((w) => quantizeWeightsTensor(w, weightBits));
  return {
    name: 'hwa-v1',
    analog: false,
    activationBits,
    weightBits,
    init(layer, w0) {
      layer.digital = Float32Array.from(w0);
    },
    read: (layer) => layer.digital!,
    transformForward(w, layer, rng) {
      const q = quant(w) as tf.Tensor2D;
      if (noise === 0) return q;
      let maxAbs = 0;
      for (const v of layer.digital!) maxAbs = Math.max(maxAbs, Math.abs(v));
      return tf.add(q, gaussianNoise(w.shape as [number, number], noise * maxAbs, rng.nextSeed()));
    },
    update(layer, grad, lr) {
      const w = layer.digital!;
      for (let i = 0; i < w.length; i++) w[i] -= lr * grad[i];
    },
    weights: (layer) => Float32Array.from(layer.digital!),
    deployed: (layer) => quantizeWeights(layer.digital!, weightBits),
  };
}
