import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradientKernels } from './wasm-kernels';

/** Test-only helpers: run the same computation on two backends and compare. */

/** Seeded uniform data in [-1, 1) (tfjs's seeded generator runs in JS, so it is backend-independent). */
export function seeded(shape: number[], seed: number): Float32Array {
  return tf.tidy(() => tf.randomUniform(shape, -1, 1, 'float32', seed).dataSync() as Float32Array).slice();
}

let ready = false;
/** Makes both backends available (wasm with the cosearch kernels) and leaves cpu active. */
export async function setupBackends(): Promise<void> {
  if (!ready) {
    registerWasmGradientKernels();
    await tf.setBackend('wasm');
    await tf.ready();
    ready = true;
  }
  await tf.setBackend('cpu');
}

/** Runs `fn` with `backend` active and returns its tensors' values (disposing everything). */
export async function runOn(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(fn);
  const values = out.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(out);
  return values;
}

/** max |a − b| / max(max |b|, tiny): the error relative to the reference tensor's scale. */
export function relError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) return Infinity;
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}
