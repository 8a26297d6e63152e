import * as tf from '@tensorflow/tfjs';
import { BN_TRAIN_GRAD_KERNEL, BN_TRAIN_KERNEL, simdBatchNormApplies, type NormActivation } from '../kernels/batch-norm-simd';

export type { NormActivation } from '../kernels/batch-norm-simd';

// tf.customGrad's typing wants variadic (Tensor | GradSaveFunc) arguments; ours are positional.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function custom(fn: (...args: any[]) => { value: tf.Tensor; gradFunc: (dy: any, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] }): (...xs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(fn as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...xs: tf.Tensor[]) => tf.Tensor;
}

/** Per-channel column sums of [R, C] (on wasm: cosearch's Sum kernel, never a transpose). */
const columnSum = (m: tf.Tensor2D): tf.Tensor1D => tf.sum(m, 0);

/**
 * BatchNorm with batch statistics, composed of tfjs ops with a hand-written gradient
 * (Ioffe & Szegedy 2015): dβ = Σdy, dγ = Σdy·x̂, dx = γ/(R√(σ²+ε))·(R·dy − dβ − x̂·dγ).
 * Used where the fused kernels are not available (cpu backend, C % 4 ≠ 0, SIMD switched off).
 */
function batchNormComposite(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor {
  const f = custom((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const C = xi.shape[xi.rank - 1];
    const m = tf.reshape(xi, [-1, C]) as tf.Tensor2D;
    const R = m.shape[0];
    const mean = tf.div(columnSum(m), R);
    const variance = tf.relu(tf.sub(tf.div(columnSum(tf.square(m) as tf.Tensor2D), R), tf.square(mean)));
    const inv = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(tf.sub(m, mean), inv) as tf.Tensor2D;
    save([xhat, inv, g]);
    return {
      value: tf.reshape(tf.add(tf.mul(xhat, g), b), xi.shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, iv, gm] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const d = tf.reshape(dy, [R, -1]) as tf.Tensor2D;
        const dBeta = columnSum(d);
        const dGamma = columnSum(tf.mul(d, xh) as tf.Tensor2D);
        const dx = tf.mul(tf.mul(gm, tf.div(iv, R)), tf.sub(tf.sub(tf.mul(d, R), dBeta), tf.mul(xh, dGamma)));
        return [tf.reshape(dx, dy.shape), dGamma, dBeta];
      },
    };
  });
  return f(x, gamma, beta);
}

/** The fused path: one forward and one backward kernel (kernels/batch-norm-simd.ts). */
function batchNormFused(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number, activation: NormActivation): tf.Tensor {
  const f = custom((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, mean, invStd] = tf.engine().runKernel(BN_TRAIN_KERNEL, { x: xi, gamma: g, beta: b }, { epsilon, activation } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    save([xi, g, b, mean, invStd]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, gs, bs, ms, is] = saved;
        return tf.engine().runKernel(BN_TRAIN_GRAD_KERNEL, { dy, x: xs, gamma: gs, beta: bs, mean: ms, invStd: is }, { activation } as unknown as tf.NamedAttrMap) as tf.Tensor[];
      },
    };
  });
  return f(x, gamma, beta);
}

/**
 * Training-mode batch normalisation over every axis but the last, followed by an activation:
 * y = act(γ·(x − μ)/√(σ² + ε) + β) with the batch's own mean μ and biased variance σ².
 * Differentiable in x, γ and β. On tfjs-backend-wasm with cosearch's SIMD kernels (float32,
 * C % 4 = 0) it runs as one fused kernel each way; elsewhere as tfjs ops with the same math.
 */
export function batchNormAct(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number, activation: NormActivation = 'linear'): tf.Tensor {
  if (simdBatchNormApplies(x) && tf.getKernel(BN_TRAIN_KERNEL, tf.getBackend()) !== undefined) {
    return batchNormFused(x, gamma, beta, epsilon, activation);
  }
  const y = batchNormComposite(x, gamma, beta, epsilon);
  if (activation === 'relu') return tf.relu(y);
  if (activation === 'relu6') return tf.relu6(y);
  return y;
}
