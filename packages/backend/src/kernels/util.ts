import * as tf from '@tensorflow/tfjs';

/**
 * Kernel inputs arrive as TensorInfo (in practice they are Tensors, because ops call
 * `runKernel` with tensors). Composite kernels want Tensors to call tfjs ops on, so wrap a bare
 * TensorInfo in a Tensor that shares its data (the engine reference-counts the data id; the
 * wrapper is disposed by the surrounding `tf.tidy`).
 */
export function asTensor<R extends tf.Rank>(info: tf.TensorInfo): tf.Tensor<R> {
  if (info instanceof tf.Tensor) return info as tf.Tensor<R>;
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>;
}

/**
 * Pads (positive amounts) or crops (negative amounts) `x` along `axis`, at the start by
 * `before` and at the end by `after`. The gradient formulas need windows whose borders can lie
 * inside the tensor (e.g. a `valid` convolution that never reads the last rows), so both
 * directions are needed.
 */
export function padOrCrop<T extends tf.Tensor>(x: T, axis: number, before: number, after: number, fill = 0): T {
  let out: tf.Tensor = x;
  if (before < 0 || after < 0) {
    const begin = out.shape.map(() => 0);
    const size = out.shape.slice();
    const cropBefore = Math.max(0, -before);
    const cropAfter = Math.max(0, -after);
    begin[axis] = cropBefore;
    size[axis] = out.shape[axis] - cropBefore - cropAfter;
    out = tf.slice(out, begin, size);
  }
  if (before > 0 || after > 0) {
    const paddings = out.shape.map((): [number, number] => [0, 0]);
    paddings[axis] = [Math.max(0, before), Math.max(0, after)];
    out = tf.pad(out, paddings, fill);
  }
  return out as T;
}

/** Geometry of a 2-D convolution in the form the gradient kernels need (NHWC). */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Uses tfjs's own `computeConv2DInfo` (the same call the cpu kernels make) so that `same`,
 * `valid`, explicit padding and `dimRoundingMode` resolve exactly as on every other backend.
 */
export function convGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: [number, number] | number,
  dilations: [number, number] | number,
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  depthwise: boolean,
): ConvGeometry {
  // tf.layers' DepthwiseConv2D passes dilations = null (tfjs's own kernels read null as 1)
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations ?? 1, pad, dimRoundingMode, depthwise);
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Pads x (NHWC) by the forward padding at the top/left and by enough zeros at the bottom/right
 * that every filter-tap window of every output position lies inside: the padded height is at
 * least (fh−1)·d + (Ho−1)·s + 1. Never crops: rows the windows never reach only make the
 * gradient convolution's output larger, and the caller slices that (tiny) output instead —
 * cheaper than cropping the (large) input.
 */
export function padForFilterGradient(x: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const needH = (g.filterHeight - 1) * g.dilationHeight + (g.outHeight - 1) * g.strideHeight + 1;
  const needW = (g.filterWidth - 1) * g.dilationWidth + (g.outWidth - 1) * g.strideWidth + 1;
  const bottom = Math.max(0, needH - g.inHeight - g.padTop);
  const right = Math.max(0, needW - g.inWidth - g.padLeft);
  if (g.padTop === 0 && g.padLeft === 0 && bottom === 0 && right === 0) return x;
  return tf.pad(x, [[0, 0], [g.padTop, bottom], [g.padLeft, right], [0, 0]]);
}

/**
 * For input gradients: dy (NHWC) with (stride − 1) zeros inserted between its rows and columns,
 * then padded (or cropped) so that a stride-1 'valid' window of the dilated filter extent
 * yields exactly the input's height and width: (fh−1)·d − padTop rows on top, the rest below.
 */
export function dilateAndPadForInputGradient(dy: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D {
  const [batch, outH, outW, channels] = dy.shape;
  let out = dy;
  if (g.strideHeight > 1 || g.strideWidth > 1) {
    // [N,Ho,1,Wo,1,C] padded to [N,Ho,sh,Wo,sw,C] puts each dy value at the top-left of an sh×sw cell.
    const cells = tf.pad(dy.reshape([batch, outH, 1, outW, 1, channels]), [
      [0, 0], [0, 0], [0, g.strideHeight - 1], [0, 0], [0, g.strideWidth - 1], [0, 0],
    ]);
    out = cells.reshape([batch, outH * g.strideHeight, outW * g.strideWidth, channels]);
  }
  const effH = (g.filterHeight - 1) * g.dilationHeight;
  const effW = (g.filterWidth - 1) * g.dilationWidth;
  const top = effH - g.padTop;
  const left = effW - g.padLeft;
  out = padOrCrop(out, 1, top, g.inHeight + effH - top - out.shape[1]);
  out = padOrCrop(out, 2, left, g.inWidth + effW - left - out.shape[2]);
  return out;
}
