import { batchNormAct, tf, type NormActivation } from '@cosearch/backend';

/**
 * Training ops with hand-written gradients that keep every reduction a GEMV (ones · M), because
 * tfjs-backend-wasm reduces over leading axes by transposing first, and its composed
 * depthwise filter-gradient builds a k²-times larger patch tensor. Measured on the default
 * supernet (batch 64): a step went from ≈12 s to well under 1 s. Math is the textbook one;
 * the tests compare both ops against tfjs's own (autodiff) versions on the cpu backend.
 */

// tf.customGrad's typing wants variadic (Tensor | GradSaveFunc) arguments; ours are positional.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function custom(fn: (...args: any[]) => { value: tf.Tensor; gradFunc: (dy: any, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] }): (...xs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(fn as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...xs: tf.Tensor[]) => tf.Tensor;
}

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

/** x + b where b's shape is x's trailing shape (bias, position embedding); db is a GEMV over the leading rows. */
export function addTrailing(x: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const f = custom((xi: tf.Tensor, bi: tf.Tensor) => ({
    value: tf.add(xi, bi),
    gradFunc: (dy: tf.Tensor) => [tf.clone(dy), tf.reshape(columnSum(tf.reshape(dy, [-1, bi.size]) as tf.Tensor2D), bi.shape)],
  }));
  return f(x, b);
}

/** x · g where g's shape is x's trailing shape (LayerNorm scale); dg is a GEMV over the leading rows. */
export function mulTrailing(x: tf.Tensor, g: tf.Tensor): tf.Tensor {
  const f = custom((xi: tf.Tensor, gi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xi, gi]);
    return {
      value: tf.mul(xi, gi),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, gs] = saved;
        return [tf.mul(dy, gs), tf.reshape(columnSum(tf.reshape(tf.mul(dy, xs), [-1, gs.size]) as tf.Tensor2D), gs.shape)];
      },
    };
  });
  return f(x, g);
}

function swapLast(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  [perm[t.rank - 2], perm[t.rank - 1]] = [perm[t.rank - 1], perm[t.rank - 2]];
  return tf.transpose(t, perm);
}

/**
 * a·b (rank ≥ 2, equal batch dims) whose gradients materialise the transposes: on
 * tfjs-backend-wasm 4.22 a matMul with a transpose flag is ≈10× slower than transposing first
 * (measured: 42 ms vs 3.4 ms CPU for [3136×192]·[192×48]). da = dy·bᵀ, db = aᵀ·dy.
 */
export function matMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const f = custom((ai: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([ai, bi]);
    return {
      value: tf.matMul(ai, bi),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(dy, swapLast(saved[1])), tf.matMul(swapLast(saved[0]), dy)],
    };
  });
  return f(a, b);
}

/** a·bᵀ over the last two axes, via a materialised transpose (see `matMul`). */
export function matMulTransposeB(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return matMul(a, swapLast(b));
}
