import * as tf from '@tensorflow/tfjs';
import { simdRuntime } from '../simd/runtime';
import { depthwiseInputGradSimd, simdDepthwiseApplies } from './depthwise-simd';
import { asTensor, convGeometry, dilateAndPadForInputGradient } from './util';

/**
 * DepthwiseConv2dNativeBackpropInput for backends that lack it (tfjs-backend-wasm 4.22).
 *
 * Forward: y[n,oy,ox,c·M+m] = Σ_{ky,kx} x[n, oy·s+ky·d−p, ox·s+kx·d−p, c] · w[ky,kx,c,m], so
 *   dx[n,i,j,c] = Σ_{m,ky,kx} dyₛ[n, i + p − ky·d, j + p − kx·d, c·M+m] · w[ky,kx,c,m]
 * where dyₛ is dy with (s − 1) zeros inserted between rows/columns. Substituting
 * ky' = fh−1−ky turns this into a stride-1 depthwise correlation, dilation d, of dyₛ padded by
 * (fh−1)·d − p at the top (see `dilateAndPadForInputGradient`), with the spatially flipped
 * filter reshaped to [fh, fw, C·M, 1]; the M channel-multiplier outputs of each input channel
 * are then summed. Every step (Reshape, Pad, Slice, Reverse, DepthwiseConv2dNative, Sum) is a
 * kernel wasm has. With multiplier 1 and C % 4 = 0 the SIMD tap loop (depthwise-simd.ts)
 * scatters dy·w into dx directly instead.
 */
export function depthwiseConv2dNativeBackpropInput(
  dyInfo: tf.TensorInfo,
  filterInfo: tf.TensorInfo,
  attrs: tf.DepthwiseConv2dNativeBackpropInputAttrs,
): tf.TensorInfo {
  const [, , channels, mult] = filterInfo.shape;
  const rt = simdRuntime();
  if (rt && simdDepthwiseApplies(dyInfo.dtype, channels, mult, false) && filterInfo.dtype === 'float32') {
    const g = convGeometry(attrs.inputShape, filterInfo.shape as [number, number, number, number], attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
    return depthwiseInputGradSimd(rt, dyInfo, filterInfo, g, channels);
  }
  return tf.tidy(() => {
    const dy = asTensor<tf.Rank.R4>(dyInfo);
    const filter = asTensor<tf.Rank.R4>(filterInfo);
    const [fh, fw, channels, mult] = filter.shape;
    const g = convGeometry(attrs.inputShape, filter.shape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
    const dyp = dilateAndPadForInputGradient(dy, g);
    const flipped = tf.reverse(filter, [0, 1]).reshape([fh, fw, channels * mult, 1]) as tf.Tensor4D;
    const dx = tf.depthwiseConv2d(dyp, flipped, 1, 'valid', 'NHWC', [g.dilationHeight, g.dilationWidth]);
    if (mult === 1) return dx;
    return dx.reshape([g.batch, g.inHeight, g.inWidth, channels, mult]).sum(4) as tf.Tensor4D;
  });
}
