import { batchNormAct, tf, type NormActivation } from '@cosearch/backend';

/**
 * The supernet's training ops. They used to carry hand-written gradients that worked around
 * slow or missing tfjs-backend-wasm kernels (GEMV reductions, a depthwise filter gradient as a
 * depthwise conv over batch·channel channels, materialised transposes); @cosearch/backend now
 * provides fast wasm kernels for exactly those paths (SIMD column sums, depthwise gradients,
 * aᵀ·b, batched products, fused BN + activation), so the ops are tfjs's own with tfjs's own
 * gradients — except batch norm, which is the backend's fused `batchNormAct`. Measured on the
 * default supernet's largest subnet (batch 64): ≈450 ms → ≈190 ms CPU per training step.
 * The tests compare every op on wasm against tfjs autodiff on the cpu backend.
 */

/**
 * Sum over rows of a [R, C] matrix → [C]. On wasm, @cosearch/backend's Sum kernel runs this as
 * an in-place SIMD column sum (an explicit ones·M GEMV re-packs M as XNNPACK weights per call).
 */
export function columnSum(m: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(m, 0);
}

/** Per-channel mean and (biased) variance of NHWC activations. */
export function channelMoments(h: tf.Tensor): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const C = h.shape[h.rank - 1];
  const m = tf.reshape(h, [-1, C]) as tf.Tensor2D;
  const R = m.shape[0];
  const mean = tf.div(columnSum(m), R) as tf.Tensor1D;
  const variance = tf.relu(tf.sub(tf.div(columnSum(tf.square(m)), R), tf.square(mean))) as tf.Tensor1D;
  return { mean, variance };
}

/**
 * BatchNorm with batch statistics (training), y = act(γ·(x − μ)/√(σ² + ε) + β) over all but the
 * last axis — @cosearch/backend's `batchNormAct`: one fused SIMD kernel each way on wasm (the
 * BN and ReLU/ReLU6 passes were ≈40 % of a training step as separate tfjs kernels), tfjs ops
 * with a hand-written gradient elsewhere.
 */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number, activation: NormActivation = 'linear'): tf.Tensor {
  return batchNormAct(x, gamma, beta, eps, activation);
}

/**
 * Depthwise conv, stride 1, `same` padding, multiplier 1. Its gradients are tfjs's own, through
 * the DepthwiseConv2dNativeBackprop{Filter,Input} kernels, which @cosearch/backend provides on
 * wasm as SIMD tap loops (an earlier hand-written gradient here — the filter gradient as one
 * depthwise conv over batch·channel channels — cost ≈10× more once those kernels existed).
 */
export function depthwiseSame(x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  return tf.depthwiseConv2d(x, w, 1, 'same');
}

/**
 * x + b where b's shape is x's trailing shape (bias, position embedding). tfjs's gradient
 * reduces dy over the leading axes: a SIMD column sum on wasm (@cosearch/backend's Sum).
 */
export function addTrailing(x: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.add(x, b);
}

/** x · g where g's shape is x's trailing shape (LayerNorm scale); dg likewise a column sum. */
export function mulTrailing(x: tf.Tensor, g: tf.Tensor): tf.Tensor {
  return tf.mul(x, g);
}

/**
 * a·b (rank ≥ 2). Its gradients are tfjs's own (da = dy·bᵀ, db = aᵀ·dy, with transpose flags):
 * on wasm @cosearch/backend's MatMul kernel materialises a flagged transpose (the stock kernel
 * is ≈10× slower with the flag) and computes aᵀ·dy as a SIMD loop without any transpose.
 */
export function matMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.matMul(a, b);
}

/** a·bᵀ over the last two axes. */
export function matMulTransposeB(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.matMul(a, b, false, true);
}
