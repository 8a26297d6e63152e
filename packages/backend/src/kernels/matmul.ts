import * as tf from '@tensorflow/tfjs';
import { simdRuntime } from '../simd/runtime';

/**
 * BatchMatMul / _FusedMatMul wrappers for wasm. Paths, in order:
 * 1. aᵀ·b of single matrices (BatchMatMul): SIMD loop `atb` (transposedASimd);
 * 2. a flagged transpose is materialised with wasm's Transpose — the stock kernel is ~9× slower
 *    with a transpose flag (measured [3136×192]ᵀ·[3136×48] 39 ms vs 4.2 ms CPU), and tfjs's
 *    MatMul gradient always sets one (da = dy·bᵀ, db = aᵀ·dy);
 * 3. batched products (BatchMatMul): SIMD loop `bmm`; single matrices with R % 4 = 0 rows and
 *    N % 8 = 0 columns: SIMD loop `ab` (batchedSimd, plainSimd);
 * 4. otherwise the stock kernel, with b copied when its data was first multiplied under
 *    another shape (the stock operator cache bug, see `firstShape`).
 * Results equal the stock kernel's up to float summation order (the SIMD loops sum in the same
 * order as XNNPACK: bit-identical in the measured cases).
 */
type KernelArgs = Parameters<tf.KernelFunc>[0];

function swapLast(backend: tf.KernelBackend, t: tf.TensorInfo): tf.TensorInfo {
  const perm = t.shape.map((_, i) => i);
  const r = t.shape.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  const transpose = tf.getKernel('Transpose', 'wasm')!;
  return transpose.kernelFunc({ inputs: { x: t }, attrs: { perm }, backend }) as tf.TensorInfo;
}

/**
 * tfjs-backend-wasm 4.22 caches the XNNPACK operator (with b packed as its weights) under b's
 * tensor id alone, so the same data multiplied as b under a second shape — Reshape shares the
 * id — reuses the operator packed for the first shape: out-of-bounds reads, a wasm abort
 * (reproduced: ones[1,6]·reshape(x,[6,350]) then ones[1,300]·reshape(x,[300,7])). The shape b
 * was first used with is remembered per data id; another shape gets a private copy of b.
 */
const firstShape = new WeakMap<object, string>();

function weightsKey(b: tf.TensorInfo): string {
  const r = b.shape.length;
  return `${tf.util.sizeFromShape(b.shape.slice(0, -2))}x${b.shape[r - 2]}x${b.shape[r - 1]}`;
}

function copy(backend: tf.KernelBackend, t: tf.TensorInfo): tf.TensorInfo {
  const wasm = backend as unknown as { makeOutput(s: number[], d: tf.DataType): tf.TensorInfo; typedArrayFromHeap(t: tf.TensorInfo): Float32Array };
  const out = wasm.makeOutput(t.shape, t.dtype);
  wasm.typedArrayFromHeap(out).set(wasm.typedArrayFromHeap(t));
  return out;
}

/**
 * Batched products (attention: [B, heads, N, d]·[B, heads, d, N] …) run ≈0.6 GMAC/s in the stock
 * kernel (measured: [64,2,49,49]·[64,2,49,16] 8.5 ms CPU); cosearch's SIMD loop (simd/kernels.ts
 * `bmm`) takes them when the batch dimensions are equal or one side has a single matrix.
 * Returns null when it does not apply.
 */
function batchedSimd(backend: tf.KernelBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 3 && b.shape.length < 3) return null;
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  const aBatch = tf.util.sizeFromShape(aOuter);
  const bBatch = tf.util.sizeFromShape(bOuter);
  const outer = tf.backend_util.assertAndGetBroadcastShape(aOuter, bOuter);
  const batch = tf.util.sizeFromShape(outer);
  if (batch <= 1 || (aBatch !== batch && aBatch !== 1) || (bBatch !== batch && bBatch !== 1)) return null;
  const rt = simdRuntime(backend);
  if (!rt) return null;
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const out = rt.output([...outer, m, n]);
  rt.k.bmm(rt.ptr(a), rt.ptr(b), rt.ptr(out), batch, m, k, n, aBatch === 1 ? 0 : m * k * 4, bBatch === 1 ? 0 : k * n * 4);
  return out;
}

/**
 * aᵀ·b of single matrices (every dense / 1×1-conv weight gradient, xᵀ·dy) as cosearch's SIMD
 * loop `atb`, which reads a column-wise in place: no transpose, no XNNPACK weight packing of
 * the large b (measured [3136,40]ᵀ·[3136,160]: 2.0 ms vs 5.8 ms CPU for transpose + stock
 * kernel). Needs M % 4 = 0 and N % 8 = 0; null otherwise.
 */
function transposedASimd(backend: tf.KernelBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  if (tf.util.sizeFromShape(aOuter) !== 1 || tf.util.sizeFromShape(bOuter) !== 1) return null;
  const [r, m] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  if (m % 4 !== 0 || n % 8 !== 0 || r === 0) return null;
  const rt = simdRuntime(backend);
  if (!rt) return null;
  const outer = aOuter.length >= bOuter.length ? aOuter : bOuter;
  const out = rt.output([...outer, m, n]);
  rt.f32(rt.ptr(out), m * n).fill(0);
  rt.k.atb(rt.ptr(a), rt.ptr(b), rt.ptr(out), r, m, n);
  return out;
}

/**
 * a·b of single matrices with R % 4 = 0 rows and N % 8 = 0 columns (dense layers and 1×1
 * convolutions over B·H·W rows) as cosearch's SIMD loop `ab`. The stock kernel re-creates its
 * XNNPACK operator, re-packing b, whenever b is a new tensor — in training every call (fresh
 * weights each step, fresh transposes in the backward pass); measured [3136,40]·[40,160]:
 * 3.5 ms vs 6.8 ms CPU. Null when it does not apply.
 */
function plainSimd(backend: tf.KernelBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  if (tf.util.sizeFromShape(aOuter) !== 1 || tf.util.sizeFromShape(bOuter) !== 1) return null;
  const [r, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  if (r % 4 !== 0 || n % 8 !== 0 || r === 0) return null;
  const rt = simdRuntime(backend);
  if (!rt) return null;
  const out = rt.output([...(aOuter.length >= bOuter.length ? aOuter : bOuter), r, n]);
  rt.k.ab(rt.ptr(a), rt.ptr(b), rt.ptr(out), r, k, n);
  return out;
}

export function untransposedMatMul(original: tf.KernelConfig): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { inputs, attrs } = args;
    const backend = args.backend as tf.KernelBackend;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const a = inputs.a as tf.TensorInfo;
    const b = inputs.b as tf.TensorInfo;
    if (original.kernelName === tf.BatchMatMul && transposeA && !transposeB) {
      const fast = transposedASimd(backend, a, b);
      if (fast) return fast;
    }
    const temps: tf.TensorInfo[] = [];
    const aa = transposeA ? swapLast(backend, a) : a;
    let bb = transposeB ? swapLast(backend, b) : b;
    if (transposeA) temps.push(aa);
    if (transposeB) temps.push(bb);
    if (original.kernelName === tf.BatchMatMul) {
      const fast = batchedSimd(backend, aa, bb) ?? plainSimd(backend, aa, bb);
      if (fast) {
        for (const t of temps) backend.disposeData(t.dataId);
        return fast;
      }
    }
    const key = weightsKey(bb);
    const seen = firstShape.get(bb.dataId);
    if (seen === undefined) firstShape.set(bb.dataId, key);
    else if (seen !== key) {
      bb = copy(backend, bb);
      temps.push(bb);
    }
    if (temps.length === 0) return original.kernelFunc(args);
    const out = original.kernelFunc({
      inputs: { ...inputs, a: aa, b: bb },
      attrs: { ...attrs, transposeA: false, transposeB: false },
      backend,
    });
    for (const t of temps) backend.disposeData(t.dataId);
    return out;
  };
}
