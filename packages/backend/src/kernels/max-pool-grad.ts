import * as tf from '@tensorflow/tfjs';
import { asTensor, padOrCrop } from './util';

/**
 * MaxPoolGrad for wasm. The stock wasm kernel (4.22) starts each window's running maximum at
 * FLT_MIN (1.2e-38, the smallest *positive* float) with index 0, so in any window whose values
 * are all ≤ 0 — negative pre-activations, or all-zero windows after a ReLU — it never updates
 * and sends that window's gradient to element 0 of the image instead of the window's maximum
 * (MaxPoolWithArgmax and MaxPool3D share the bug; the forward MaxPool, from XNNPACK, is fine).
 *
 * When windows overlap and every window maximum (the forward output y) is > FLT_MIN, the stock
 * kernel is exact and is used. Otherwise the gradient is composed with tfjs-cpu's semantics (the first maximum in
 * row-major window order wins; padding never does), using a one-hot filter
 * E[ky,kx,c,k] = [k = ky·kw + kx] (K = kh·kw taps, channel multiplier K):
 *   xp = x padded with −FLT_MAX (finite, so 0·pad = 0 in the products below)
 *   P  = depthwiseConv2d(xp, E, stride s)   : [N,Ho,Wo,C·K], P[…,c·K+k] = tap k of each window (exact:
 *        one product by 1, the rest by 0)
 *   sel = onehot(argMax_k P)                 (wasm ArgMax returns the first maximum; OneHot in int32)
 *   dx  = the transpose of the tap extraction applied to sel·dy (zero insertion, then a full
 *        depthwise correlation with the flipped E, Σ over taps), cropped by the padding.
 * Both convolutions run on XNNPACK. When windows tile the image (pool size = stride, the usual
 * 2×2/2) extraction and placement are plain reshape + transpose instead.
 */
const FLT_MIN = 1.1754943508222875e-38;
const NEG_FLT_MAX = -3.4028234663852886e38;

export function maxPoolGradExact(dy: tf.Tensor4D, x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const kh = info.effectiveFilterHeight;
  const kw = info.effectiveFilterWidth;
  const taps = kh * kw;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  let xp = padOrCrop(x, 1, pt, (oh - 1) * sh + kh - h - pt, NEG_FLT_MAX);
  xp = padOrCrop(xp, 2, pl, (ow - 1) * sw + kw - w - pl, NEG_FLT_MAX);
  let frame: tf.Tensor4D;
  if (kh === sh && kw === sw) {
    // Windows tile the padded image: taps are a reshape + transpose away, and so is the way back.
    const patches = tf.transpose(xp.reshape([n, oh, kh, ow, kw, c]), [0, 1, 3, 5, 2, 4]).reshape([n, oh, ow, c, taps]);
    const share = tf.mul(tf.cast(tf.oneHot(tf.argMax(patches, 4), taps), 'float32'), tf.expandDims(dy, 4));
    frame = tf.transpose(share.reshape([n, oh, ow, c, kh, kw]), [0, 1, 4, 2, 5, 3]).reshape([n, oh * kh, ow * kw, c]) as tf.Tensor4D;
  } else {
    const k = tf.range(0, taps, 1, 'int32');
    const eye = tf.cast(tf.equal(k.reshape([taps, 1]), k.reshape([1, taps])), 'float32');
    const extract = tf.tile(eye.reshape([kh, kw, 1, taps]), [1, 1, c, 1]) as tf.Tensor4D;
    const patches = tf.depthwiseConv2d(xp, extract, [sh, sw], 'valid').reshape([n, oh, ow, c, taps]);
    let share = tf.mul(tf.cast(tf.oneHot(tf.argMax(patches, 4), taps), 'float32'), tf.expandDims(dy, 4)).reshape([n, oh, ow, c * taps]);
    if (sh > 1 || sw > 1) {
      // zero insertion: each window's shares at rows oy·sh of the padded frame
      share = tf
        .pad(share.reshape([n, oh, 1, ow, 1, c * taps]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]])
        .reshape([n, oh * sh, ow * sw, c * taps]);
    }
    // Full correlation with the flipped one-hot filter: frame[r] = Σ_ky shares[r − ky] of tap ky.
    const full = tf.pad(share, [[0, 0], [kh - 1, kh - 1], [kw - 1, kw - 1], [0, 0]]) as tf.Tensor4D;
    const placed = tf.depthwiseConv2d(full, tf.reverse(extract, [0, 1]).reshape([kh, kw, c * taps, 1]) as tf.Tensor4D, 1, 'valid');
    frame = tf.sum(placed.reshape([n, placed.shape[1], placed.shape[2], c, taps]), 4) as tf.Tensor4D;
  }
  let dx = padOrCrop(frame, 1, -pt, h + pt - frame.shape[1]);
  dx = padOrCrop(dx, 2, -pl, w + pl - frame.shape[2]);
  return dx;
}

export function safeMaxPoolGrad(original: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { inputs, attrs } = args;
    const a = attrs as unknown as tf.MaxPoolGradAttrs;
    const xInfo = inputs.input as tf.TensorInfo;
    const yInfo = inputs.output as tf.TensorInfo;
    const info = tf.backend_util.computePool2DInfo(xInfo.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    // Tiling windows: the composition is as fast as the stock kernel (measured), so always exact.
    const tiled = info.effectiveFilterHeight === info.strideHeight && info.effectiveFilterWidth === info.strideWidth;
    if (!tiled) {
      const smallestMax = tf.tidy(() => (yInfo.shape.some((d) => d === 0) ? Infinity : tf.min(asTensor(yInfo)).dataSync()[0]));
      if (smallestMax > FLT_MIN) return original.kernelFunc(args);
    }
    return tf.tidy(() => maxPoolGradExact(asTensor<tf.Rank.R4>(inputs.dy as tf.TensorInfo), asTensor<tf.Rank.R4>(xInfo), info));
  };
}
