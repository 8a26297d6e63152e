import { tf } from '@cosearch/backend';
import type { CrossbarConfig } from './config';
import { gaussianNoise } from './noise';
import { quantizeTensor } from './quantize';

/**
 * One analog vector-matrix product per row of `x` on crossbar tiles (aihwkit's forward model):
 *   s = max|x_row| (noise management), x̂ = DAC(x/s), for each tile t of `tileRows` inputs:
 *   y_t = ADC(x̂_t·W_t + outNoise·ξ), y = s·Σ_t y_t
 * `wNorm` holds normalised weights (G⁺ − G⁻)/(G_max − G_min) ∈ [−1, 1], shape [in, out]. The
 * backward pass calls this with the transposed matrix (tiles of `cols` then). `seed` makes the
 * output noise reproducible. Returns a new tensor; the caller rescales to weight units.
 */
export function crossbarMvm(x: tf.Tensor2D, wNorm: tf.Tensor2D, cfg: CrossbarConfig, tileRows: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, inDim] = x.shape;
    const outDim = wNorm.shape[1];
    const s = tf.maximum(tf.max(tf.abs(x), 1, true), 1e-12);
    const xq = quantizeTensor(tf.div(x, s), cfg.dacBits, 1) as tf.Tensor2D;
    let acc: tf.Tensor2D | null = null;
    let t = 0;
    for (let start = 0; start < inDim; start += tileRows, t++) {
      const len = Math.min(tileRows, inDim - start);
      const xs = len === inDim ? xq : tf.slice(xq, [0, start], [batch, len]);
      const ws = len === inDim ? wNorm : tf.slice(wNorm, [start, 0], [len, outDim]);
      let y: tf.Tensor2D = tf.matMul(xs, ws);
      if (cfg.outNoise > 0) y = tf.add(y, gaussianNoise([batch, outDim], cfg.outNoise, seed + t)) as tf.Tensor2D;
      y = quantizeTensor(y, cfg.adcBits, cfg.adcRange);
      acc = acc === null ? y : (tf.add(acc, y) as tf.Tensor2D);
    }
    return tf.mul(acc!, s);
  });
}
