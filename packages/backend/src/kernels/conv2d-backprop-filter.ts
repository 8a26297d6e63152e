import * as tf from '@tensorflow/tfjs';
import { asTensor, convGeometry, filterTapPatches } from './util';

/**
 * Conv2DBackpropFilter for backends that lack it (tfjs-backend-wasm 4.22).
 *
 * Forward: y[n,oy,ox,co] = Σ_{ky,kx,ci} x[n, oy·s + ky·d − pad, ox·s + kx·d − pad, ci] · w[ky,kx,ci,co].
 * Hence  dW[ky,kx,ci,co] = Σ_{n,oy,ox} P[ky,kx][n,oy,ox,ci] · dy[n,oy,ox,co]
 * with P the strided input window each tap sees (see `filterTapPatches`). Concatenating the
 * fh·fw patches along channels gives an im2col matrix A of shape [N·Ho·Wo, fh·fw·Cin], and
 * dW = Aᵀ · dy₂ with dy₂ = dy reshaped to [N·Ho·Wo, Cout] — a single MatMul, which wasm runs
 * with its XNNPACK/SIMD GEMM. Row order (ky, kx, ci) of Aᵀ is exactly the [fh,fw,Cin,Cout]
 * filter layout, so a reshape finishes the job.
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
    const patches = filterTapPatches(x, g);
    const rows = g.batch * g.outHeight * g.outWidth;
    const a = (patches.length === 1 ? patches[0] : tf.concat(patches, 3)).reshape([rows, fh * fw * cin]);
    const dW = tf.matMul(a, dy.reshape([rows, cout]), true, false);
    return dW.reshape([fh, fw, cin, cout]) as tf.Tensor4D;
  });
}
