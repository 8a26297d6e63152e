import * as tf from '@tensorflow/tfjs';
import { simdRuntime } from '../simd/runtime';
import { depthwiseFilterGradSimd, simdDepthwiseApplies } from './depthwise-simd';
import { asTensor, convGeometry, padForFilterGradient } from './util';

/**
 * DepthwiseConv2dNativeBackpropFilter for backends that lack it (tfjs-backend-wasm 4.22).
 *
 * Forward (channel multiplier M): y[n,oy,ox,c·M+m] = Σ_{ky,kx} x[n, oy·s+ky·d−p, ox·s+kx·d−p, c] · w[ky,kx,c,m], so
 *   dW[ky,kx,c,m] = Σ_n Σ_{oy,ox} xp[n, ky·d + oy·s, kx·d + ox·s, c] · dy[n,oy,ox,c·M+m]   (xp: x padded by p)
 * The inner double sum is a depthwise convolution with the roles swapped: one image whose
 * channels are the (n, c) pairs, filtered by dy (as [Ho, Wo, N·C, M]) with dilation s (the
 * forward stride) and stride d (the forward dilation):
 *   D = depthwiseConv2d(xpᵀ: [1, Hp, Wp, N·C], dyᵀ: [Ho, Wo, N·C, M]) : [1, fh, fw, N·C·M]
 * and dW = Σ_n D reshaped to [fh, fw, N, C, M]. Pad, Transpose, DepthwiseConv2dNative and Sum
 * all run natively in wasm. With multiplier 1 and C % 4 = 0 the SIMD tap loop
 * (depthwise-simd.ts) computes the same sums directly, ≈10× faster.
 */
export function depthwiseConv2dNativeBackpropFilter(
  xInfo: tf.TensorInfo,
  dyInfo: tf.TensorInfo,
  attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs,
): tf.TensorInfo {
  const [, , channels, mult] = attrs.filterShape;
  const rt = simdRuntime();
  if (rt && simdDepthwiseApplies(xInfo.dtype, channels, mult, false) && dyInfo.dtype === 'float32') {
    const g = convGeometry(xInfo.shape as [number, number, number, number], attrs.filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
    return depthwiseFilterGradSimd(rt, xInfo, dyInfo, g, channels);
  }
  return tf.tidy(() => {
    const x = asTensor<tf.Rank.R4>(xInfo);
    const dy = asTensor<tf.Rank.R4>(dyInfo);
    const [fh, fw, channels, mult] = attrs.filterShape;
    const g = convGeometry(x.shape, attrs.filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
    const n = g.batch;
    const xp = padForFilterGradient(x, g);
    const image = tf.transpose(xp, [1, 2, 0, 3]).reshape([1, xp.shape[1], xp.shape[2], n * channels]) as tf.Tensor4D;
    const filter = tf
      .transpose(dy.reshape([n, g.outHeight, g.outWidth, channels, mult]), [1, 2, 0, 3, 4])
      .reshape([g.outHeight, g.outWidth, n * channels, mult]) as tf.Tensor4D;
    let d = tf.depthwiseConv2d(image, filter, [g.dilationHeight, g.dilationWidth], 'valid', 'NHWC', [g.strideHeight, g.strideWidth]);
    if (d.shape[1] !== fh || d.shape[2] !== fw) d = tf.slice(d, [0, 0, 0, 0], [1, fh, fw, n * channels * mult]);
    return tf.sum(d.reshape([fh, fw, n, channels, mult]), 2) as tf.Tensor4D;
  });
}
