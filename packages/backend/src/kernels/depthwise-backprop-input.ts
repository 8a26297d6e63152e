import * as tf from '@tensorflow/tfjs';
import { asTensor, convGeometry, padOrCrop } from './util';

/**
 * DepthwiseConv2dNativeBackpropInput for backends that lack it (tfjs-backend-wasm 4.22).
 *
 * Forward: y[n,oy,ox,c·M+m] = Σ_{ky,kx} x[n, oy·s+ky·d−p, ox·s+kx·d−p, c] · w[ky,kx,c,m], so
 *   dx[n,i,j,c] = Σ_{m,ky,kx} dyₛ[n, i + p − ky·d, j + p − kx·d, c·M+m] · w[ky,kx,c,m]
 * where dyₛ is dy "dilated" by the stride (dyₛ[oy·s] = dy[oy], zero in between). Substituting
 * ky' = fh−1−ky turns this into a stride-1 depthwise correlation, dilation d, of dyₛ padded by
 * (fh−1)·d − p at the top (the rest at the bottom so that H rows come out), with the
 * spatially flipped filter reshaped to [fh, fw, C·M, 1]; the M channel-multiplier outputs of
 * each input channel are then summed. Every step (Reshape, Pad, Slice, Reverse,
 * DepthwiseConv2dNative, Sum) is a kernel wasm has.
 */
export function depthwiseConv2dNativeBackpropInput(
  dyInfo: tf.TensorInfo,
  filterInfo: tf.TensorInfo,
  attrs: tf.DepthwiseConv2dNativeBackpropInputAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const dy = asTensor<tf.Rank.R4>(dyInfo);
    const filter = asTensor<tf.Rank.R4>(filterInfo);
    const [fh, fw, channels, mult] = filter.shape;
    const g = convGeometry(attrs.inputShape, filter.shape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
    const [batch, outH, outW, outC] = dy.shape;
    // Insert (stride − 1) zeros after every dy row/column: [N,Ho,1,Wo,1,C] padded → [N,Ho·s,Wo·s,C].
    let dys: tf.Tensor4D = dy;
    if (g.strideHeight > 1 || g.strideWidth > 1) {
      const six = dy.reshape([batch, outH, 1, outW, 1, outC]);
      const padded = tf.pad(six, [[0, 0], [0, 0], [0, g.strideHeight - 1], [0, 0], [0, g.strideWidth - 1], [0, 0]]);
      dys = padded.reshape([batch, outH * g.strideHeight, outW * g.strideWidth, outC]);
    }
    const effH = (fh - 1) * g.dilationHeight;
    const effW = (fw - 1) * g.dilationWidth;
    const top = effH - g.padTop;
    const left = effW - g.padLeft;
    dys = padOrCrop(dys, 1, top, g.inHeight + effH - top - dys.shape[1]);
    dys = padOrCrop(dys, 2, left, g.inWidth + effW - left - dys.shape[2]);
    const flipped = tf.reverse(filter, [0, 1]).reshape([fh, fw, channels * mult, 1]) as tf.Tensor4D;
    const dx = tf.depthwiseConv2d(dys, flipped, 1, 'valid', 'NHWC', [g.dilationHeight, g.dilationWidth]);
    if (mult === 1) return dx;
    return dx.reshape([batch, g.inHeight, g.inWidth, channels, mult]).sum(4) as tf.Tensor4D;
  });
}
