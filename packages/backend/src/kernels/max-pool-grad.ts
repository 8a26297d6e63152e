import * as tf from '@tensorflow/tfjs';
import { asTensor, padOrCrop } from './util';

/**
 * MaxPoolGrad for wasm. The stock wasm kernel (4.22) starts each window's running maximum at
 * FLT_MIN (1.2e-38, the smallest *positive* float) with index 0, so in any window whose values
 * are all ≤ 0 — negative pre-activations, or all-zero windows after a ReLU — it never updates
 * and sends that window's gradient to element 0 of the image instead of the window's maximum
 * (MaxPoolWithArgmax and MaxPool3D share the bug; the forward MaxPool, from XNNPACK, is fine).
 *
 * When every window maximum (the forward output y) is > FLT_MIN the stock kernel is exact and
 * is used. Otherwise the gradient is composed, with tfjs-cpu's semantics (the first maximum in
 * row-major window order wins; padding never does):
 *   xp = x padded with −∞;  for each tap k = (ky, kx) of the window, in order:
 *     Pₖ = xp[n, oy·s + ky, ox·s + kx, c]      (StridedSlice)
 *     selₖ = (Pₖ == y) ∧ ¬takenₖ₋₁,  takenₖ = takenₖ₋₁ ∨ (Pₖ == y)
 *     the tap's share dy·selₖ is put back at rows oy·s + ky (zero insertion by reshape+pad, then
 *     a pad by the tap offset), all taps are added (AddN) and the padding rows cropped.
 */
const FLT_MIN = 1.1754943508222875e-38;

export function maxPoolGradExact(dy: tf.Tensor4D, x: tf.Tensor4D, y: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const kh = info.effectiveFilterHeight;
  const kw = info.effectiveFilterWidth;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const spanH = (oh - 1) * sh + kh;
  const spanW = (ow - 1) * sw + kw;
  let xp = padOrCrop(x, 1, pt, spanH - h - pt, -Infinity);
  xp = padOrCrop(xp, 2, pl, spanW - w - pl, -Infinity);
  const zeros = tf.zerosLike(dy);
  let taken: tf.Tensor | null = null;
  const parts: tf.Tensor4D[] = [];
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const tap = tf.stridedSlice(xp, [0, ky, kx, 0], [n, ky + (oh - 1) * sh + 1, kx + (ow - 1) * sw + 1, c], [1, sh, sw, 1]);
      const hit = tf.equal(tap, y);
      const sel: tf.Tensor = taken === null ? hit : tf.logicalAnd(hit, tf.logicalNot(taken));
      taken = taken === null ? hit : tf.logicalOr(taken, hit);
      let share = tf.where(sel, dy, zeros) as tf.Tensor4D;
      if (sh > 1 || sw > 1) {
        share = tf
          .pad(share.reshape([n, oh, 1, ow, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]])
          .reshape([n, oh * sh, ow * sw, c]);
      }
      // In the padded frame (rows 0 … oh·sh + kh − 2), this tap's rows start at ky.
      parts.push(tf.pad(share, [[0, 0], [ky, kh - 1 - ky], [kx, kw - 1 - kx], [0, 0]]));
    }
  }
  const frame = parts.length === 1 ? parts[0] : tf.addN(parts);
  let dx = padOrCrop(frame, 1, -pt, h + pt - frame.shape[1]);
  dx = padOrCrop(dx, 2, -pl, w + pl - frame.shape[2]);
  return dx;
}

export function safeMaxPoolGrad(original: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { inputs, attrs } = args;
    const a = attrs as unknown as tf.MaxPoolGradAttrs;
    const yInfo = inputs.output as tf.TensorInfo;
    const smallestMax = tf.tidy(() => (yInfo.shape.some((d) => d === 0) ? Infinity : tf.min(asTensor(yInfo)).dataSync()[0]));
    if (smallestMax > FLT_MIN) return original.kernelFunc(args);
    return tf.tidy(() => {
      const x = asTensor<tf.Rank.R4>(inputs.input as tf.TensorInfo);
      const info = tf.backend_util.computePool2DInfo(x.shape, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
      return maxPoolGradExact(asTensor<tf.Rank.R4>(inputs.dy as tf.TensorInfo), x, asTensor<tf.Rank.R4>(yInfo), info);
    });
  };
}
