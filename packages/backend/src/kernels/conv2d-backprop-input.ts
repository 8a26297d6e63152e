import * as tf from '@tensorflow/tfjs';
import { asTensor, convGeometry, dilateAndPadForInputGradient } from './util';

/**
 * Conv2DBackpropInput as a forward convolution (wasm has a native one, but it is a plain loop
 * that is several times slower than its XNNPACK Conv2D; this one replaces it there).
 *
 * Forward: y[n,oy,ox,co] = Σ_{ky,kx,ci} x[n, oy·s + ky − p, ox·s + kx − p, ci] · w[ky,kx,ci,co], so
 *   dx[n,i,j,ci] = Σ_{ky,kx,co} dyₛ[n, i + p − ky, j + p − kx, co] · w[ky,kx,ci,co]
 * with dyₛ = dy with (s − 1) zeros inserted between rows/columns. With ky' = fh−1−ky this is a
 * stride-1 'valid' convolution of dyₛ padded by fh−1−p (see `dilateAndPadForInputGradient`)
 * with the spatially flipped filter whose in/out channel axes are swapped: [fh, fw, Cout, Cin].
 */
export function conv2dBackpropInput(dyInfo: tf.TensorInfo, filterInfo: tf.TensorInfo, attrs: tf.Conv2DBackpropInputAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    let dy = asTensor<tf.Rank.R4>(dyInfo);
    const filter = asTensor<tf.Rank.R4>(filterInfo);
    const nchw = attrs.dataFormat === 'NCHW';
    const s = attrs.inputShape;
    const xShape: [number, number, number, number] = nchw ? [s[0], s[2], s[3], s[1]] : [s[0], s[1], s[2], s[3]];
    if (nchw) dy = tf.transpose(dy, [0, 2, 3, 1]);
    const g = convGeometry(xShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
    const dyp = dilateAndPadForInputGradient(dy, g);
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const dx = tf.conv2d(dyp, flipped, 1, 'valid');
    return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
  });
}
