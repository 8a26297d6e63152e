import { tf } from '@cosearch/backend';

type CustomGrad = Parameters<typeof tf.customGrad>[0];
import type { CrossbarConfig } from '../crossbar/config';
import { crossbarMvm } from '../crossbar/mvm';

/**
 * y = x·W through the crossbar model, as a tfjs op with a custom gradient:
 *   forward  y  = wScale · XBAR(x, W/wScale)                 (DAC, tile partial sums, noise, ADC)
 *   backward dx = wScale · XBAR(dy, (W/wScale)ᵀ)             (the transposed read of the same array)
 *            dW = xᵀ·dy                                       (digital outer product, batch sum)
 * `W` holds the weights as read from the devices (weight units); `wScale` maps the normalised
 * conductance difference ±1 to weight units. `nextSeed` supplies reproducible noise seeds.
 */
export function crossbarLinear(
  cfg: CrossbarConfig,
  wScale: number,
  nextSeed: () => number,
  /** False for a first layer fed by data: the transposed MVM for dx is then skipped (zeros). */
  needInputGrad = true,
): (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D {
  const op = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
    const x2 = x as tf.Tensor2D;
    const w2 = w as tf.Tensor2D;
    const value = tf.tidy(() => tf.mul(crossbarMvm(x2, tf.div(w2, wScale) as tf.Tensor2D, cfg, cfg.rows, nextSeed()), wScale));
    save([x2, w2]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const seed = nextSeed();
      return tf.tidy(() => {
        const dx = needInputGrad
          ? tf.mul(crossbarMvm(dy as tf.Tensor2D, tf.transpose(tf.div(ws, wScale)) as tf.Tensor2D, cfg, cfg.cols, seed), wScale)
          : tf.zerosLike(xs);
        const dw = weightGrad(xs, dy as tf.Tensor2D);
        return [dx, dw];
      });
    };
    return { value, gradFunc };
  }) as unknown as CustomGrad);
  return (x, w) => op(x, w) as tf.Tensor2D;
}

/**
 * dL/dW = xᵀ·dy computed as (dyᵀ·x)ᵀ: the wasm backend's matMul with a transposed first operand
 * and a long reduction (im2col rows) measured 3–4× slower than explicit transposes.
 */
export function weightGrad(x: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.transpose(tf.matMul(tf.transpose(dy), x)) as tf.Tensor2D);
}

const idealOp = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return tf.tidy(() => [tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), weightGrad(xs, dy as tf.Tensor2D)]);
    },
  };
}) as unknown as CustomGrad);

/** The ideal (software) product, for the float and hardware-aware schemes (same gradients as tf.matMul). */
export function idealLinear(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return idealOp(x, w) as tf.Tensor2D;
}

/** Straight-through estimator: forward q(w), backward identity. */
export function straightThrough(q: (w: tf.Tensor) => tf.Tensor): (w: tf.Tensor) => tf.Tensor {
  const f = ((w: tf.Tensor) => ({ value: q(w), gradFunc: (dy: tf.Tensor) => dy.clone() })) as unknown as CustomGrad;
  return tf.customGrad(f) as (w: tf.Tensor) => tf.Tensor;
}
