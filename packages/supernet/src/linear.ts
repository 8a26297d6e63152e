import { tf } from '@cosearch/backend';
import type { WeightOpKind } from './network';

/** One weight op of a subnet as the forward pass runs it. */
export interface WeightOpCall {
  /** The op's LayerSpec name, e.g. 'stem.conv', 's1.b1.expand', 's1.b1.dw', 's2.b1.qkv', 'head.fc'. */
  layer: string;
  kind: WeightOpKind;
}

/**
 * Runs a weight op in place of the digital one (e.g. on a simulated CIM tile). x: [G, rows,
 * fanIn] (im2col patches in (kh, kw, cin) order = the HWIO weight reshaped to [kh·kw·cin, cout];
 * or tokens), w: [G, fanIn, fanOut]; G = channels for depthwise (fanIn = k·k, fanOut = 1), else
 * 1. Returns [G, rows, fanOut], or null to run the op digitally. Bias is added digitally
 * afterwards. The q/k/v projections of a ViT block are one call (layer `X.qkv`, w = [C, 3·inner],
 * the three weights concatenated in that order). Attention's activation × activation products
 * never come here.
 */
export type LinearOverride = (op: WeightOpCall, x: tf.Tensor3D, w: tf.Tensor3D) => tf.Tensor3D | null;

/** Only the ops `keep` selects go to `override`; the others run digitally. */
export function restrictOverride(override: LinearOverride, keep: (op: WeightOpCall) => boolean): LinearOverride {
  return (op, x, w) => (keep(op) ? override(op, x, w) : null);
}

/**
 * im2col of NHWC `x` for a k×k conv with `stride` and tf's 'same' padding: [B·Ho·Wo, k·k·C],
 * columns in (kh, kw, cin) order. Computed as tf.conv2d with a one-hot [k, k, C, k·k·C] filter,
 * so the padding and output grid are tf.conv2d's by construction, every value is copied exactly
 * (one product by 1, the rest by 0) and the gradient to x is conv2d's own.
 */
export function im2col(x: tf.Tensor4D, k: number, stride: number): tf.Tensor2D {
  const C = x.shape[3];
  if (k === 1 && stride === 1) return tf.reshape(x, [-1, C]);
  const eye = tf.tidy(() => tf.reshape(tf.cast(tf.oneHot(tf.range(0, k * k * C, 1, 'int32'), k * k * C), 'float32'), [k, k, C, k * k * C]) as tf.Tensor4D);
  const p = tf.conv2d(x, eye, stride, 'same');
  eye.dispose();
  return tf.reshape(p, [-1, k * k * C]);
}

/**
 * Depthwise im2col of NHWC `x` (stride 1, 'same'): [C, B·H·W, k·k], tap order (kh, kw) = the
 * [k, k, C, 1] filter reshaped per channel. Computed as a depthwise conv with channel multiplier
 * k·k and one-hot filters (output channel c·k·k + tap), so the padding is tf's and every value
 * is copied exactly; its gradient is the depthwise conv's own (a pad/slice/stack version was
 * ≈10× slower to train through on wasm).
 */
export function depthwiseIm2col(x: tf.Tensor4D, k: number): tf.Tensor3D {
  const [B, H, W, C] = x.shape;
  const eye = tf.tidy(() => tf.tile(tf.reshape(tf.cast(tf.oneHot(tf.range(0, k * k, 1, 'int32'), k * k), 'float32'), [k, k, 1, k * k]), [1, 1, C, 1]) as tf.Tensor4D);
  const p = tf.depthwiseConv2d(x, eye, 1, 'same'); // [B, H, W, C·k·k]
  eye.dispose();
  return tf.transpose(tf.reshape(p, [B * H * W, C, k * k]), [1, 0, 2]) as tf.Tensor3D;
}

/** The identity override: the same computation as the digital path, through the hook (batched matMul). Useful for tests. */
export const matMulOverride: LinearOverride = (_op, x, w) => tf.matMul(x, w) as tf.Tensor3D;
