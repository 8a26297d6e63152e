import { tf } from '@cosearch/backend';

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

/** Sum over rows of a [R, C] matrix as a GEMV → [C]. */
export function columnSum(m: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, m.shape[0]]), m), [m.shape[1]]);
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
 * BatchNorm with batch statistics (training), y = γ·(x − μ)/√(σ² + ε) + β over all but the last
 * axis. Gradient (Ioffe & Szegedy 2015): dβ = Σdy, dγ = Σdy·x̂, dx = γ/(R√(σ²+ε))·(R·dy − dβ − x̂·dγ).
 */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor {
  const f = custom((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const C = xi.shape[xi.rank - 1];
    const m = tf.reshape(xi, [-1, C]) as tf.Tensor2D;
    const { mean, variance } = channelMoments(m);
    const inv = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(tf.sub(m, mean), inv) as tf.Tensor2D;
    save([xhat, inv, g]);
    const value = tf.reshape(tf.add(tf.mul(xhat, g), b), xi.shape);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, iv, gm] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const R = xh.shape[0];
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

/**
 * Depthwise conv, stride 1, `same` padding, odd kernel, multiplier 1. Forward: tf.depthwiseConv2d.
 * dx: the same conv of dy with the spatially flipped filter; dW[ky,kx,c] = Σ_{n,i,j} x_pad[n,i+ky,j+kx,c]·dy[n,i,j,c],
 * one elementwise product and one GEMV per tap.
 */
export function depthwiseSame(x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  const f = custom((xi: tf.Tensor, wi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xi, wi]);
    return {
      value: tf.depthwiseConv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, 'same'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const [k, , C] = ws.shape;
        const [B, H, W] = xs.shape;
        const p = (k - 1) / 2;
        const dx = tf.depthwiseConv2d(dy as tf.Tensor4D, tf.reverse(ws, [0, 1]) as tf.Tensor4D, 1, 'same');
        // dW as one 'valid' depthwise conv: (batch, channel) pairs become B·C channels of a
        // single image x_pad[Hp, Wp, B·C], filtered by dy[H, W, B·C]; then sum over the batch.
        const xp = p > 0 ? tf.pad(xs, [[0, 0], [p, p], [p, p], [0, 0]]) : xs;
        const img = tf.reshape(tf.transpose(xp, [1, 2, 0, 3]), [1, H + 2 * p, W + 2 * p, B * C]) as tf.Tensor4D;
        const filt = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [H, W, B * C, 1]) as tf.Tensor4D;
        const perPair = tf.reshape(tf.depthwiseConv2d(img, filt, 1, 'valid'), [k * k, B, C]);
        const dw = tf.reshape(tf.sum(perPair, 1), [k, k, C, 1]);
        return [dx, dw];
      },
    };
  });
  return f(x, w) as tf.Tensor4D;
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
