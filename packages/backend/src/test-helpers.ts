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
  // Silences the cpu backend's one-time "install tfjs-node" banner (flag read on first write;
  // setting tfjs's IS_TEST instead would also switch on its kernel leak checks, which its own
  // fused ops fail).
  (tf.findBackend('cpu') as unknown as { firstUse: boolean }).firstUse = false;
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

/**
 * Brute-force depthwise-convolution gradients straight from the definition
 *   y[n,oy,ox,c·M+m] = Σ_{ky,kx} x[n, oy·s+ky·d−pt, ox·s+kx·d−pl, c] · w[ky,kx,c,m]
 * (the cpu backend's backprop kernels ignore dilations, so they cannot serve as reference there).
 */
export function depthwiseGradReference(
  x: Float32Array, xShape: number[], w: Float32Array, wShape: number[], dy: Float32Array, dyShape: number[],
  stride: number, dilation: number, padTop: number, padLeft: number,
): { dx: Float32Array; dW: Float32Array } {
  const [n, h, wd, c] = xShape;
  const [fh, fw, , m] = wShape;
  const [, oh, ow] = dyShape;
  const dx = new Float32Array(x.length);
  const dW = new Float32Array(w.length);
  for (let b = 0; b < n; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++)
    for (let ky = 0; ky < fh; ky++) for (let kx = 0; kx < fw; kx++) {
      const iy = oy * stride + ky * dilation - padTop;
      const ix = ox * stride + kx * dilation - padLeft;
      if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
      for (let ch = 0; ch < c; ch++) for (let k = 0; k < m; k++) {
        const g = dy[((b * oh + oy) * ow + ox) * c * m + ch * m + k];
        const xi = ((b * h + iy) * wd + ix) * c + ch;
        const wi = ((ky * fw + kx) * c + ch) * m + k;
        dW[wi] += x[xi] * g;
        dx[xi] += w[wi] * g;
      }
    }
  return { dx, dW };
}
