import * as tf from '@tensorflow/tfjs';
import { simdRuntime } from '../simd/runtime';

/**
 * Sum / Mean wrappers for wasm: tfjs-backend-wasm 4.22 reduces over non-trailing axes by
 * transposing them to the end first, which is ~10× slower than a matrix–vector product
 * (measured: sum over axis 0 of [50176×32] 10.6 ms vs 1.1 ms as ones[1×50176]·M, CPU time).
 * Bias gradients (Σ over batch and space) and batch-norm moments reduce exactly such axes.
 *
 * For float32 input whose reduced axes form one contiguous block that excludes the last axis,
 *   x → [P, R, C] (P: axes before the block, R: the block, C: axes after),
 *   Σ_block x = w · x  with w = [1, 1, R] filled with 1 (Mean: 1/R), a broadcast BatchMatMul.
 * Everything else (trailing axes, which wasm reduces without a transpose; int32; full
 * reductions; scattered axes) goes to the original kernel. With cosearch's SIMD loops available
 * the column sums run in place instead (simd/kernels.ts `colsum`): the BatchMatMul re-creates
 * an XNNPACK operator, packing x as its weights, whenever x is a new tensor — every call in
 * training (measured in a training step: ≈2.5 ms vs ≈0.1 ms for [3136×160]).
 */
type KernelArgs = Parameters<tf.KernelFunc>[0];

function gemvPlan(shape: number[], axis: number | number[]): { p: number; r: number; c: number; axes: number[] } | null {
  const axes = [...new Set(tf.util.parseAxisParam(axis, shape))].sort((x, y) => x - y);
  if (axes.length === 0) return null;
  const last = axes[axes.length - 1];
  if (last === shape.length - 1) return null;
  if (axes.some((a, i) => i > 0 && a !== axes[i - 1] + 1)) return null;
  const prod = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const r = prod(axes.map((a) => shape[a]));
  if (r <= 1) return null;
  return { p: prod(shape.slice(0, axes[0])), r, c: prod(shape.slice(last + 1)), axes };
}

export function gemvReduction(original: tf.KernelConfig, mean: boolean): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const plan = x.dtype === 'float32' ? gemvPlan(x.shape, axis) : null;
    if (plan === null) return original.kernelFunc(args);
    const outShape = keepDims
      ? x.shape.map((d, i) => (plan.axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !plan.axes.includes(i));
    const rt = simdRuntime(args.backend as tf.KernelBackend);
    if (rt) {
      const out = rt.output(outShape);
      rt.k.colsum(rt.ptr(x), plan.p, plan.r, plan.c, rt.ptr(out), mean ? 1 / plan.r : 1);
      return out;
    }
    return tf.tidy(() => {
      const xt = x instanceof tf.Tensor ? x : tf.engine().makeTensorFromTensorInfo(x);
      const w = tf.fill([1, 1, plan.r], mean ? 1 / plan.r : 1);
      return tf.reshape(tf.matMul(w, tf.reshape(xt, [plan.p, plan.r, plan.c])), outShape);
    });
  };
}
