import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilter } from './kernels/conv2d-backprop-filter';
import { conv2dBackpropInput } from './kernels/conv2d-backprop-input';
import { depthwiseConv2dNativeBackpropFilter } from './kernels/depthwise-backprop-filter';
import { depthwiseConv2dNativeBackpropInput } from './kernels/depthwise-backprop-input';
import { oneHot } from './kernels/one-hot';
import { unsortedSegmentSum } from './kernels/unsorted-segment-sum';

/**
 * Kernels that tfjs-backend-wasm 4.22 lacks but training needs, each composed of kernels wasm
 * does have (so the arithmetic runs in wasm/XNNPACK, not in JS loops):
 * - Conv2DBackpropFilter — filter gradient of conv2d (and of fused conv2d);
 * - DepthwiseConv2dNativeBackpropFilter / …BackpropInput — both gradients of depthwise conv;
 * - UnsortedSegmentSum — gradient of gather (embedding / token lookups).
 * The functions call tfjs ops; the engine runs them on the active backend (wasm) and does not
 * record them on the gradient tape (kernels run with kernelDepth > 0).
 */
export const WASM_MISSING_KERNELS: readonly tf.KernelConfig[] = [
  {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) =>
      conv2dBackpropFilter(inputs.x as tf.TensorInfo, inputs.dy as tf.TensorInfo, attrs as unknown as tf.Conv2DBackpropFilterAttrs),
  },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) =>
      depthwiseConv2dNativeBackpropFilter(
        inputs.x as tf.TensorInfo,
        inputs.dy as tf.TensorInfo,
        attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs,
      ),
  },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) =>
      depthwiseConv2dNativeBackpropInput(
        inputs.dy as tf.TensorInfo,
        inputs.filter as tf.TensorInfo,
        attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs,
      ),
  },
  {
    kernelName: tf.UnsortedSegmentSum,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) =>
      unsortedSegmentSum(inputs.x as tf.TensorInfo, inputs.segmentIds as tf.TensorInfo, attrs as unknown as tf.UnsortedSegmentSumAttrs),
  },
];

/**
 * Kernels wasm has but that are too slow or wrong there:
 * - Conv2DBackpropInput: a plain loop far slower than XNNPACK; replaced by the equivalent
 *   forward convolution (same results to float rounding, 2–8× faster);
 * - OneHot: ignores dtype 'float32' and fractional on/off values (writes int32 bits).
 */
export const WASM_REPLACED_KERNELS: readonly tf.KernelConfig[] = [
  {
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) =>
      conv2dBackpropInput(inputs.dy as tf.TensorInfo, inputs.filter as tf.TensorInfo, attrs as unknown as tf.Conv2DBackpropInputAttrs),
  },
  {
    kernelName: tf.OneHot,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => oneHot(inputs.indices as tf.TensorInfo, attrs as unknown as tf.OneHotAttrs),
  },
];

/**
 * Registers the kernels above for the 'wasm' backend. Idempotent; a missing kernel that wasm
 * already provides (a future tfjs release) is left alone. Returns the names it (re)registered.
 */
export function registerWasmGradientKernels(): string[] {
  const added: string[] = [];
  for (const config of WASM_MISSING_KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) continue;
    tf.registerKernel(config);
    added.push(config.kernelName);
  }
  for (const config of WASM_REPLACED_KERNELS) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
    added.push(config.kernelName);
  }
  return added;
}
