import * as tf from '@tensorflow/tfjs';
import type { DwArgs } from '../simd/kernels';
import type { SimdRuntime } from '../simd/runtime';
import type { ConvGeometry } from './util';

/**
 * Depthwise convolution (channel multiplier 1, NHWC, float32, C % 4 = 0) and both its
 * gradients as wasm SIMD loops over the tensors in place (simd/kernels.ts `dwRows`):
 *   forward          y[n,oy,ox,c]  = Σ_{ky,kx} x[n,iy,ix,c] · w[ky,kx,c]
 *   input gradient   dx[n,iy,ix,c] = Σ dy[n,oy,ox,c] · w[ky,kx,c]   (scattered from each dy)
 *   filter gradient  dW[ky,kx,c]   = Σ_{n,oy,ox} x[n,iy,ix,c] · dy[n,oy,ox,c]
 * with iy = oy·s + ky·d − padTop, ix = ox·s + kx·d − padLeft; taps outside the image read the
 * zero padding of the definition, so skipping them is exact. The loops run output row by
 * output row, so the handful of rows in use stays in L1 (a first version that swept the whole
 * batch once per tap was memory-bound: no faster than XNNPACK for the forward pass).
 */

/** Whether the SIMD loops handle this depthwise geometry (multiplier 1, whole f32x4 channel groups). */
export function simdDepthwiseApplies(dtype: tf.DataType, channels: number, multiplier: number, nchw: boolean): boolean {
  return dtype === 'float32' && multiplier === 1 && channels % 4 === 0 && channels > 0 && !nchw;
}

const ceilDiv = (a: number, b: number) => -Math.floor(-a / b);

/** Output columns [ox0, ox1) whose input column for tap kx is inside the image. */
function window(tap: number, dil: number, stride: number, pad: number, inSize: number, outSize: number): [number, number] {
  const off = tap * dil - pad;
  const o0 = Math.min(outSize, Math.max(0, ceilDiv(-off, stride)));
  const o1 = Math.min(outSize, Math.floor((inSize - 1 - off) / stride) + 1);
  return [o0, Math.max(o0, o1)];
}

/** The loops' argument list (I: input-space tensor, O: output-space tensor, F: filter-space). */
function args(rt: SimdRuntime, g: ConvGeometry, channels: number, i: number, o: number, f: number): DwArgs {
  const table = rt.scratch(8 * g.filterWidth);
  const t = rt.i32(table, 2 * g.filterWidth);
  for (let kx = 0; kx < g.filterWidth; kx++) {
    [t[2 * kx], t[2 * kx + 1]] = window(kx, g.dilationWidth, g.strideWidth, g.padLeft, g.inWidth, g.outWidth);
  }
  return [i, o, f, g.batch, g.inHeight, g.inWidth, channels * 4, g.outHeight, g.outWidth, g.filterHeight, g.filterWidth,
    g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop, g.padLeft, table];
}

export function depthwiseForwardSimd(rt: SimdRuntime, x: tf.TensorInfo, w: tf.TensorInfo, g: ConvGeometry, channels: number): tf.TensorInfo {
  const out = rt.output([g.batch, g.outHeight, g.outWidth, channels]);
  rt.k.dwFwd(...args(rt, g, channels, rt.ptr(x), rt.ptr(out), rt.ptr(w)));
  return out;
}

export function depthwiseFilterGradSimd(rt: SimdRuntime, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry, channels: number): tf.TensorInfo {
  const out = rt.output([g.filterHeight, g.filterWidth, channels, 1]);
  rt.f32(rt.ptr(out), g.filterHeight * g.filterWidth * channels).fill(0);
  rt.k.dwBwdFilt(...args(rt, g, channels, rt.ptr(x), rt.ptr(dy), rt.ptr(out)));
  return out;
}

export function depthwiseInputGradSimd(rt: SimdRuntime, dy: tf.TensorInfo, w: tf.TensorInfo, g: ConvGeometry, channels: number): tf.TensorInfo {
  const out = rt.output([g.batch, g.inHeight, g.inWidth, channels]);
  rt.f32(rt.ptr(out), g.batch * g.inHeight * g.inWidth * channels).fill(0);
  rt.k.dwBwdIn(...args(rt, g, channels, rt.ptr(out), rt.ptr(dy), rt.ptr(w)));
  return out;
}
