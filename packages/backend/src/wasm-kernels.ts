import * as tf from '@tensorflow/tfjs';
// Registers the wasm backend and its stock kernels first, so the replacements below wrap them.
import '@tensorflow/tfjs-backend-wasm';
import { ADAMW_KERNEL, adamwKernel } from './fused/adamw';
import { BN_TRAIN_GRAD_KERNEL, BN_TRAIN_KERNEL, batchNormTrainGradKernel, batchNormTrainKernel } from './kernels/batch-norm-simd';
import { conv2dBackpropFilter } from './kernels/conv2d-backprop-filter';
import { conv2dBackpropInput } from './kernels/conv2d-backprop-input';
import { depthwiseConv2dNativeBackpropFilter } from './kernels/depthwise-backprop-filter';
import { depthwiseConv2dNativeBackpropInput } from './kernels/depthwise-backprop-input';
import { simdDepthwiseForward } from './kernels/depthwise-forward';
import { untransposedMatMul } from './kernels/matmul';
import { safeMaxPoolGrad } from './kernels/max-pool-grad';
import { correctOneHot } from './kernels/one-hot';
import { gemvReduction } from './kernels/reduce';
import { sharedIdentity } from './kernels/identity';
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
 * Kernels wasm has but that are too slow or wrong there. Each entry builds the replacement
 * from the stock wasm kernel (which some wrap and call on the fast path):
 * - Conv2DBackpropInput: a plain loop far slower than XNNPACK; replaced by the equivalent
 *   forward convolution (same results to float rounding, 2–8× faster);
 * - OneHot: ignores dtype 'float32' and fractional on/off values (writes int32 bits);
 * - BatchMatMul, _FusedMatMul: ~9× slower with a transpose flag, which every MatMul gradient
 *   sets; the transpose is materialised first;
 * - MaxPoolGrad: wrong for windows whose values are all ≤ 0 (running max starts at FLT_MIN);
 *   composed exactly in that case;
 * - Sum, Mean over non-trailing axes (bias gradients, batch-norm moments): transposed first,
 *   ~10× slower than the matrix–vector product used instead;
 * - DepthwiseConv2dNative: XNNPACK re-packs a new filter on every call (every training step);
 *   a SIMD tap loop is ~4× faster for multiplier 1;
 * - Identity (tf.clone; the engine clones every tensor a gradient saves): copies the data on
 *   wasm; shares it by reference count instead, as the cpu backend does.
 */
export interface KernelReplacement {
  kernelName: string;
  make: (original: tf.KernelConfig) => tf.KernelFunc;
}

export const WASM_REPLACED_KERNELS: readonly KernelReplacement[] = [
  {
    kernelName: tf.Conv2DBackpropInput,
    make: () => ({ inputs, attrs }) =>
      conv2dBackpropInput(inputs.dy as tf.TensorInfo, inputs.filter as tf.TensorInfo, attrs as unknown as tf.Conv2DBackpropInputAttrs),
  },
  { kernelName: tf.OneHot, make: correctOneHot },
  { kernelName: tf.BatchMatMul, make: untransposedMatMul },
  { kernelName: tf._FusedMatMul, make: untransposedMatMul },
  { kernelName: tf.MaxPoolGrad, make: safeMaxPoolGrad },
  { kernelName: tf.Sum, make: (original) => gemvReduction(original, false) },
  { kernelName: tf.Mean, make: (original) => gemvReduction(original, true) },
  { kernelName: tf.DepthwiseConv2dNative, make: simdDepthwiseForward },
  { kernelName: tf.Identity, make: sharedIdentity },
];

/**
 * cosearch's own fused training kernels (no tfjs equivalent; called by `batchNormAct` and
 * `adamwUpdate`, which fall back to tfjs ops where they are not registered): wasm SIMD, see
 * kernels/batch-norm-simd.ts and fused/adamw.ts.
 */
export const WASM_FUSED_KERNELS: readonly tf.KernelConfig[] = [
  { kernelName: BN_TRAIN_KERNEL, backendName: 'wasm', kernelFunc: batchNormTrainKernel as unknown as tf.KernelFunc },
  { kernelName: BN_TRAIN_GRAD_KERNEL, backendName: 'wasm', kernelFunc: batchNormTrainGradKernel as unknown as tf.KernelFunc },
  { kernelName: ADAMW_KERNEL, backendName: 'wasm', kernelFunc: adamwKernel as unknown as tf.KernelFunc },
];

/**
 * Marks kernelFuncs this module registered, to recognise its own registrations (idempotence).
 * A global symbol rather than a WeakSet: tfjs keeps its kernel registry on the global object,
 * which can outlive this module instance (jest loads modules afresh per test file).
 */
const MARK = Symbol.for('cosearch.backend.wasmKernel');
type Marked = tf.KernelFunc & { [MARK]?: true };
const isOurs = (f: tf.KernelFunc): boolean => (f as Marked)[MARK] === true;
for (const k of [...WASM_MISSING_KERNELS, ...WASM_FUSED_KERNELS]) (k.kernelFunc as Marked)[MARK] = true;

/**
 * Registers the kernels above for the 'wasm' backend. Idempotent; a missing kernel that wasm
 * already provides (a future tfjs release) is left alone. A replacement keeps the stock
 * kernel's `setupFunc`, so it works whether or not the wasm backend is initialised yet.
 * Returns the names it (re)registered.
 */
export function registerWasmGradientKernels(): string[] {
  const added: string[] = [];
  for (const config of [...WASM_MISSING_KERNELS, ...WASM_FUSED_KERNELS]) {
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) continue;
    tf.registerKernel(config);
    added.push(config.kernelName);
  }
  for (const r of WASM_REPLACED_KERNELS) {
    const current = tf.getKernel(r.kernelName, 'wasm');
    if (current === undefined || isOurs(current.kernelFunc)) continue;
    const kernelFunc: Marked = r.make(current);
    kernelFunc[MARK] = true;
    tf.unregisterKernel(r.kernelName, 'wasm');
    tf.registerKernel({ kernelName: r.kernelName, backendName: 'wasm', kernelFunc, setupFunc: current.setupFunc, disposeFunc: current.disposeFunc });
    added.push(r.kernelName);
  }
  return added;
}

/** Whether `registerWasmGradientKernels` installed the current wasm kernel `name`. */
export function isCosearchWasmKernel(name: string): boolean {
  const k = tf.getKernel(name, 'wasm');
  return k !== undefined && isOurs(k.kernelFunc);
}
