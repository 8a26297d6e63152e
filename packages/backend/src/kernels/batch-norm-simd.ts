import * as tf from '@tensorflow/tfjs';
import { simdRuntime, type SimdRuntime } from '../simd/runtime';

/**
 * Training batch norm fused with its activation, as two wasm kernels over the tensors in place
 * (cosearch's own kernel names; registered for wasm only — `batchNormAct` in fused/ picks them).
 * x is [..., C], statistics over all leading positions (R = size / C):
 *   μ = Σx/R, σ² = Σx²/R − μ² (clamped at 0), inv = 1/√(σ² + ε), x̂ = (x − μ)·inv,
 *   z = γ·x̂ + β, y = act(z) with act = identity | ReLU | ReLU6 = min(max(z, lo), hi).
 * Backward (Ioffe & Szegedy 2015, with the activation's mask g = dy·[lo < z ≤ hi], the mask
 * tfjs's Relu/Relu6 gradients use):
 *   dβ = Σg, dγ = Σg·x̂, dx = γ·inv·(g − dβ/R − x̂·dγ/R).
 * Forward reads x twice (sums, then y); backward reads x and dy twice — against ≈20 full
 * passes of separate Multiply/Sub/Add/LessEqual/Cast… kernels before.
 */
export const BN_TRAIN_KERNEL = 'CosearchBatchNormTrain';
export const BN_TRAIN_GRAD_KERNEL = 'CosearchBatchNormTrainGrad';

export type NormActivation = 'linear' | 'relu' | 'relu6';

/** Clamp bounds of the activation (also the gradient mask lo < z ≤ hi). */
export function activationBounds(act: NormActivation): [number, number] {
  if (act === 'relu') return [0, Infinity];
  if (act === 'relu6') return [0, 6];
  return [-Infinity, Infinity];
}

/** Whether the fused kernels handle x (float32, whole f32x4 channel groups) on the active backend. */
export function simdBatchNormApplies(x: tf.TensorInfo): SimdRuntime | null {
  const c = x.shape[x.shape.length - 1];
  if (x.dtype !== 'float32' || x.shape.length === 0 || c % 4 !== 0 || c === 0) return null;
  return simdRuntime();
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Writes the per-channel rows scale, shift, a, b of the kernels' vector block. */
function fillVecs(v: Float32Array, c: number, gamma: Float32Array, beta: Float32Array, mean: Float32Array, inv: Float32Array): void {
  for (let i = 0; i < c; i++) {
    const scale = gamma[i] * inv[i];
    v[i] = scale;
    v[c + i] = beta[i] - mean[i] * scale;
    v[2 * c + i] = inv[i];
    v[3 * c + i] = -mean[i] * inv[i];
  }
}

/** inputs x, gamma, beta; attrs epsilon, activation → [y, mean, invStd]. */
export function batchNormTrainKernel({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const x = inputs.x as tf.TensorInfo;
  const { epsilon, activation } = attrs as unknown as { epsilon: number; activation: NormActivation };
  const rt = simdRuntime(backend as tf.KernelBackend);
  if (!rt) throw new Error(`${BN_TRAIN_KERNEL} needs cosearch's wasm SIMD kernels`);
  const c = x.shape[x.shape.length - 1];
  const cB = 4 * c;
  const r = tf.util.sizeFromShape(x.shape) / c;
  const y = rt.output(x.shape);
  const mean = rt.output([c]);
  const inv = rt.output([c]);
  const vecs = rt.scratch(9 * cB); // rows 0–6 vectors, 7–8 sums
  rt.k.bnSums(rt.ptr(x), r, cB, vecs + 7 * cB, vecs + 8 * cB);
  const v = rt.f32(vecs, 9 * c);
  const m = rt.f32(rt.ptr(mean), c);
  const iv = rt.f32(rt.ptr(inv), c);
  for (let i = 0; i < c; i++) {
    const mu = v[7 * c + i] / r;
    m[i] = mu;
    iv[i] = 1 / Math.sqrt(Math.max(v[8 * c + i] / r - mu * mu, 0) + epsilon);
  }
  fillVecs(v, c, rt.f32(rt.ptr(inputs.gamma as tf.TensorInfo), c), rt.f32(rt.ptr(inputs.beta as tf.TensorInfo), c), m, iv);
  const [lo, hi] = activationBounds(activation);
  rt.k.bnApply(rt.ptr(x), rt.ptr(y), r, cB, vecs, lo, hi);
  return [y, mean, inv];
}

/** inputs dy, x, gamma, beta, mean, invStd; attrs activation → [dx, dGamma, dBeta]. */
export function batchNormTrainGradKernel({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const x = inputs.x as tf.TensorInfo;
  const { activation } = attrs as unknown as { activation: NormActivation };
  const rt = simdRuntime(backend as tf.KernelBackend);
  if (!rt) throw new Error(`${BN_TRAIN_GRAD_KERNEL} needs cosearch's wasm SIMD kernels`);
  const c = x.shape[x.shape.length - 1];
  const cB = 4 * c;
  const r = tf.util.sizeFromShape(x.shape) / c;
  const dx = rt.output(x.shape);
  const dGamma = rt.output([c]);
  const dBeta = rt.output([c]);
  const vecs = rt.scratch(7 * cB);
  const f = (name: string) => rt.f32(rt.ptr(inputs[name] as tf.TensorInfo), c);
  const gamma = f('gamma');
  const inv = f('invStd');
  fillVecs(rt.f32(vecs, 7 * c), c, gamma, f('beta'), f('mean'), inv);
  const [lo, hi] = activationBounds(activation);
  const dyPtr = rt.ptr(inputs.dy as tf.TensorInfo);
  rt.k.bnGradSums(dyPtr, rt.ptr(x), r, cB, vecs, lo, hi, rt.ptr(dBeta), rt.ptr(dGamma));
  const v = rt.f32(vecs, 7 * c);
  const sg = rt.f32(rt.ptr(dBeta), c);
  const sgx = rt.f32(rt.ptr(dGamma), c);
  for (let i = 0; i < c; i++) {
    const k = gamma[i] * inv[i];
    v[4 * c + i] = k;
    v[5 * c + i] = (k * sg[i]) / r;
    v[6 * c + i] = (k * sgx[i]) / r;
  }
  rt.k.bnGradApply(dyPtr, rt.ptr(x), rt.ptr(dx), r, cB, vecs, lo, hi);
  return [dx, dGamma, dBeta];
}
