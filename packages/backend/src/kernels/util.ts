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
export function padOrCrop<T extends tf.Tensor>(x: T, axis: number, before: number, after: number): T {
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
    out = tf.pad(out, paddings);
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
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, dimRoundingMode, depthwise);
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
 * The filter-gradient "patches": for every filter tap (ky, kx) the input values that tap sees
 * at each output position, i.e. P[ky,kx][n,oy,ox,c] = x[n, oy·sh + ky·dh − padTop, ox·sw +
 * kx·dw − padLeft, c] (zero outside the image). Returned in tap order ky-major, kx-minor.
 * Built from Pad/Slice/StridedSlice, which every backend has.
 */
export function filterTapPatches(x: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D[] {
  // Rows spanned by all windows: the last tap of the last output row.
  const needH = (g.filterHeight - 1) * g.dilationHeight + (g.outHeight - 1) * g.strideHeight + 1;
  const needW = (g.filterWidth - 1) * g.dilationWidth + (g.outWidth - 1) * g.strideWidth + 1;
  let xp = padOrCrop(x, 1, g.padTop, needH - g.inHeight - g.padTop);
  xp = padOrCrop(xp, 2, g.padLeft, needW - g.inWidth - g.padLeft);
  const channels = x.shape[3];
  const spanH = (g.outHeight - 1) * g.strideHeight + 1;
  const spanW = (g.outWidth - 1) * g.strideWidth + 1;
  const patches: tf.Tensor4D[] = [];
  for (let ky = 0; ky < g.filterHeight; ky++) {
    for (let kx = 0; kx < g.filterWidth; kx++) {
      const y0 = ky * g.dilationHeight;
      const x0 = kx * g.dilationWidth;
      patches.push(
        tf.stridedSlice(xp, [0, y0, x0, 0], [g.batch, y0 + spanH, x0 + spanW, channels], [1, g.strideHeight, g.strideWidth, 1]) as tf.Tensor4D,
      );
    }
  }
  return patches;
}
