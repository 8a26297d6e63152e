import * as tf from '@tensorflow/tfjs';
import { simdRuntime } from '../simd/runtime';

/**
 * One AdamW step (Loshchilov & Hutter 2019, decoupled weight decay) for one parameter:
 *   m' = β1·m + (1−β1)·g,  v' = β2·v + (1−β2)·g²,
 *   w' = (1 − decay·lr)·w − lr/(1−β1ᵗ) · m' / (√(v'/(1−β2ᵗ)) + ε).
 * On tfjs-backend-wasm with cosearch's SIMD kernels (float32, size % 4 = 0) one fused kernel
 * reads w, m, v, g once and writes w', m', v' (≈12 separate elementwise kernels otherwise).
 */
export interface AdamWStep {
  lr: number;
  /** 1-based step count t (bias correction). */
  step: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight-decay rate (multiplied by lr). */
  decay: number;
}

export const ADAMW_KERNEL = 'CosearchAdamW';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** inputs w, m, v, g; attrs AdamWStep → [w', m', v']. */
export function adamwKernel({ inputs, attrs, backend }: KernelArgs): tf.TensorInfo[] {
  const a = attrs as unknown as AdamWStep;
  const rt = simdRuntime(backend as tf.KernelBackend);
  if (!rt) throw new Error(`${ADAMW_KERNEL} needs cosearch's wasm SIMD kernels`);
  const w = inputs.w as tf.TensorInfo;
  const n = tf.util.sizeFromShape(w.shape);
  const [wo, mo, vo] = [rt.output(w.shape), rt.output(w.shape), rt.output(w.shape)];
  const p = (name: string) => rt.ptr(inputs[name] as tf.TensorInfo);
  const c1 = 1 - a.beta1 ** a.step;
  const c2 = 1 - a.beta2 ** a.step;
  rt.k.adamw(p('w'), p('m'), p('v'), p('g'), rt.ptr(wo), rt.ptr(mo), rt.ptr(vo), n, a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.lr / c1, 1 / c2, a.epsilon, 1 - a.decay * a.lr);
  return [wo, mo, vo];
}

/** The same step as tfjs ops (any backend). */
function adamwComposite(w: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, a: AdamWStep): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const c1 = 1 - a.beta1 ** a.step;
    const c2 = 1 - a.beta2 ** a.step;
    const m2 = tf.add(tf.mul(m, a.beta1), tf.mul(g, 1 - a.beta1));
    const v2 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
    const upd = tf.div(tf.mul(m2, a.lr / c1), tf.add(tf.sqrt(tf.div(v2, c2)), a.epsilon));
    const wd = a.decay * a.lr;
    return [tf.sub(wd > 0 ? tf.mul(w, 1 - wd) : w, upd), m2, v2];
  });
}

/** Returns [w', m', v'] (new tensors; the caller assigns them). */
export function adamwUpdate(w: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, step: AdamWStep): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const fused = [w, m, v, g].every((t) => t.dtype === 'float32') && w.size % 4 === 0 && w.size > 0
    && simdRuntime() !== null && tf.getKernel(ADAMW_KERNEL, tf.getBackend()) !== undefined;
  if (!fused) return adamwComposite(w, m, v, g, step);
  return tf.engine().runKernel(ADAMW_KERNEL, { w, m, v, g }, step as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor, tf.Tensor, tf.Tensor];
}
