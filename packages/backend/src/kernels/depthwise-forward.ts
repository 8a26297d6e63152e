import * as tf from '@tensorflow/tfjs';
import { simdRuntime } from '../simd/runtime';
import { depthwiseForwardSimd, simdDepthwiseApplies } from './depthwise-simd';
import { convGeometry } from './util';

/**
 * DepthwiseConv2dNative for wasm: tfjs-backend-wasm 4.22 runs it through XNNPACK, re-creating
 * the operator (and re-packing the filter) whenever the filter tensor is new — every training
 * step, and every call of the input gradient, whose flipped filter is new each time. For
 * multiplier 1, NHWC, float32 and C % 4 = 0 the SIMD tap loop (depthwise-simd.ts) is used
 * instead (measured [64,7,7,160] ⊛ 5×5: 2.9 ms vs 11–13 ms CPU); anything else goes to the
 * stock kernel.
 */
type KernelArgs = Parameters<tf.KernelFunc>[0];

export function simdDepthwiseForward(original: tf.KernelConfig): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    const filter = args.inputs.filter as tf.TensorInfo;
    const a = args.attrs as unknown as tf.DepthwiseConv2dNativeAttrs;
    const [, , channels, mult] = filter.shape;
    const rt = simdRuntime(args.backend as tf.KernelBackend);
    if (!rt || filter.dtype !== 'float32' || !simdDepthwiseApplies(x.dtype, channels, mult, a.dataFormat === 'NCHW')) return original.kernelFunc(args);
    const g = convGeometry(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], a.strides, a.dilations, a.pad, a.dimRoundingMode, true);
    return depthwiseForwardSimd(rt, x, filter, g, channels);
  };
}
