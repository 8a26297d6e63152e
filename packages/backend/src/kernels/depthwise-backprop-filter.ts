import * as tf from '@tensorflow/tfjs';
import { asTensor, convGeometry, filterTapPatches } from './util';

/**
 * DepthwiseConv2dNativeBackpropFilter for backends that lack it (tfjs-backend-wasm 4.22).
 *
 * Forward (channel multiplier M): y[n,oy,ox,c·M+m] = Σ_{ky,kx} x[n, oy·s+ky·d−pad, ox·s+kx·d−pad, c] · w[ky,kx,c,m].
 * Hence  dW[ky,kx,c,m] = Σ_{n,oy,ox} P[ky,kx][n,oy,ox,c] · dy[n,oy,ox,c·M+m]
 * — per channel c a small GEMM of the [K = fh·fw, N·Ho·Wo] tap matrix with the
 * [N·Ho·Wo, M] slice of dy. All C channels run as one batched MatMul:
 *   A[c, k, r] (patches stacked along taps, channel moved to the batch axis),
 *   B[c, r, m] (dy reshaped to [r, C, M], channel moved to the batch axis),
 *   dW = transpose(A·B : [C, K, M]) → [K, C, M] → [fh, fw, C, M].
 */
export function depthwiseConv2dNativeBackpropFilter(
  xInfo: tf.TensorInfo,
  dyInfo: tf.TensorInfo,
  attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const x = asTensor<tf.Rank.R4>(xInfo);
    const dy = asTensor<tf.Rank.R4>(dyInfo);
    const [fh, fw, channels, mult] = attrs.filterShape;
    const g = convGeometry(x.shape, attrs.filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
    const taps = fh * fw;
    const rows = g.batch * g.outHeight * g.outWidth;
    const patches = filterTapPatches(x, g);
    // [rows, K, C] → [C, K, rows]
    const a = tf.transpose((taps === 1 ? tf.expandDims(patches[0], 3) : tf.stack(patches, 3)).reshape([rows, taps, channels]), [2, 1, 0]);
    // [rows, C, M] → [C, rows, M]
    const b = tf.transpose(dy.reshape([rows, channels, mult]), [1, 0, 2]);
    const dW = tf.transpose(tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D), [1, 0, 2]);
    return dW.reshape([fh, fw, channels, mult]) as tf.Tensor4D;
  });
}
