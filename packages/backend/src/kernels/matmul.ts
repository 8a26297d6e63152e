import * as tf from '@tensorflow/tfjs';

/**
 * BatchMatMul / _FusedMatMul wrappers for wasm: tfjs-backend-wasm 4.22 multiplies ~9× slower
 * when a transpose flag is set (measured: [3136×192]ᵀ·[3136×48] 39 ms vs 4.2 ms with the
 * transpose materialised first, CPU time), and tfjs's MatMul gradient always sets one
 * (da = dy·bᵀ, db = aᵀ·dy), so every dense/attention backward pass hit the slow path.
 * The wrapper materialises the transposed operand with wasm's Transpose and calls the
 * original kernel with the flags cleared. Results are identical up to float summation order.
 */
type KernelArgs = Parameters<tf.KernelFunc>[0];

function swapLast(backend: tf.KernelBackend, t: tf.TensorInfo): tf.TensorInfo {
  const perm = t.shape.map((_, i) => i);
  const r = t.shape.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  const transpose = tf.getKernel('Transpose', 'wasm')!;
  return transpose.kernelFunc({ inputs: { x: t }, attrs: { perm }, backend }) as tf.TensorInfo;
}

export function untransposedMatMul(original: tf.KernelConfig): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { inputs, attrs } = args;
    const backend = args.backend as tf.KernelBackend;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const a = inputs.a as tf.TensorInfo;
    const b = inputs.b as tf.TensorInfo;
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    const temps: tf.TensorInfo[] = [];
    const aa = transposeA ? swapLast(backend, a) : a;
    const bb = transposeB ? swapLast(backend, b) : b;
    if (transposeA) temps.push(aa);
    if (transposeB) temps.push(bb);
    const out = original.kernelFunc({
      inputs: { ...inputs, a: aa, b: bb },
      attrs: { ...attrs, transposeA: false, transposeB: false },
      backend,
    });
    for (const t of temps) backend.disposeData(t.dataId);
    return out;
  };
}
