import { tf } from '@cosearch/backend';
import { Rng } from '@cosearch/core';
import { validateCrossbarConfig, type CrossbarConfig } from '../crossbar/config';
import { convGeometry, makeIm2col } from './im2col';
import { crossbarLinear } from './linear';

/** Options of the drop-in crossbar ops. */
export interface CrossbarOpOptions {
  crossbar?: Partial<CrossbarConfig>;
  /** Weight units of a full-scale conductance difference (default: max|W| of the weights given). */
  wScale?: number;
  /** Seed of the output-noise draws (forward and backward). */
  seed?: number;
  /** Compute the input gradient through the transposed read (default true). */
  needInputGrad?: boolean;
}

function maxAbs(t: tf.Tensor): number {
  const v = tf.tidy(() => tf.max(tf.abs(t)));
  const m = v.dataSync()[0];
  v.dispose();
  return m || 1;
}

/**
 * Drop-in for `tf.matMul(x, w)` (+ bias) whose product runs on the crossbar model (DAC, tiles,
 * output noise, ADC) in the forward and the backward pass; differentiable in x and w.
 */
export function crossbarDense(x: tf.Tensor2D, w: tf.Tensor2D, bias?: tf.Tensor1D, opts: CrossbarOpOptions = {}): tf.Tensor2D {
  const cfg = validateCrossbarConfig(opts.crossbar ?? {});
  const rng = new Rng(opts.seed ?? 1);
  const op = crossbarLinear(cfg, opts.wScale ?? maxAbs(w), () => rng.nextSeed(), opts.needInputGrad ?? true);
  const y = op(x, w);
  return bias ? tf.add(y, bias) : y;
}

/**
 * Drop-in for `tf.conv2d(x, filter, 1, padding)` (square kernel, stride 1, NHWC, filter
 * [k, k, C, K]): im2col patches times the filter matrix on the crossbar model.
 */
export function crossbarConv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  padding: 'same' | 'valid',
  bias?: tf.Tensor1D,
  opts: CrossbarOpOptions = {},
): tf.Tensor4D {
  const [n, h, wd, c] = x.shape;
  const [k, k2, fc, outC] = filter.shape;
  if (k !== k2 || fc !== c) throw new RangeError(`crossbarConv2d: filter ${filter.shape} does not fit input channels ${c} (square kernels only)`);
  const g = convGeometry(h, wd, c, k, padding);
  const patches = makeIm2col(g)(x);
  const y = crossbarDense(patches, tf.reshape(filter, [k * k * c, outC]), bias, opts);
  return tf.reshape(y, [n, g.outH, g.outW, outC]);
}
