import * as tf from '@tensorflow/tfjs';
import { asTensor, convGeometry, padForFilterGradient } from './util';

/**
 * Conv2DBackpropFilter for backends that lack it (tfjs-backend-wasm 4.22).
 *
 * Forward: y[n,oy,ox,co] = Σ_{ky,kx,ci} x[n, oy·s + ky − p, ox·s + kx − p, ci] · w[ky,kx,ci,co], so
 *   dW[ky,kx,ci,co] = Σ_{oy,ox,n} xp[n, ky + oy·s, kx + ox·s, ci] · dy[n,oy,ox,co]     (xp: x padded by p)
 * which is itself a convolution with the roles swapped: batch ← ci, channels ← n, and dy as
 * the filter, applied with dilation s (the forward stride) and stride 1:
 *   dW' = conv2d(xpᵀ: [Cin, Hp, Wp, N], dyᵀ: [Ho, Wo, N, Cout], stride 1, dilation s) : [Cin, fh, fw, Cout]
 * then transposed to [fh, fw, Cin, Cout]. Only Pad, Transpose and Conv2D run, all native wasm
 * (XNNPACK), so this is as fast as the forward convolution.
 */
export function conv2dBackpropFilter(
  xInfo: tf.TensorInfo,
  dyInfo: tf.TensorInfo,
  attrs: tf.Conv2DBackpropFilterAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    let x = asTensor<tf.Rank.R4>(xInfo);
    let dy = asTensor<tf.Rank.R4>(dyInfo);
    if (attrs.dataFormat === 'NCHW') {
      x = tf.transpose(x, [0, 2, 3, 1]);
      dy = tf.transpose(dy, [0, 2, 3, 1]);
    }
    const [fh, fw, cin, cout] = attrs.filterShape;
    const g = convGeometry(x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
    const xT = tf.transpose(padForFilterGradient(x, g), [3, 1, 2, 0]);
    const dyT = tf.transpose(dy, [1, 2, 0, 3]);
    const full = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [g.strideHeight, g.strideWidth]);
    // Rows/columns past the last window (only when the padded input was longer than needed).
    const dW = full.shape[1] === fh && full.shape[2] === fw ? full : tf.slice(full, [0, 0, 0, 0], [cin, fh, fw, cout]);
    return tf.transpose(dW, [1, 2, 0, 3]);
  });
}
