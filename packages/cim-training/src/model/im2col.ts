import { tf } from '@cosearch/backend';

type CustomGrad = Parameters<typeof tf.customGrad>[0];

/** Geometry of a square-kernel, stride-1 convolution on NHWC input. */
export interface ConvGeometry {
  inH: number;
  inW: number;
  inC: number;
  k: number;
  /** Zero padding on each side ('same' for odd k = (k − 1)/2; 'valid' = 0). */
  pad: number;
  outH: number;
  outW: number;
}

export function convGeometry(inH: number, inW: number, inC: number, k: number, padding: 'same' | 'valid'): ConvGeometry {
  const pad = padding === 'same' ? (k - 1) >> 1 : 0;
  return { inH, inW, inC, k, pad, outH: inH + 2 * pad - k + 1, outW: inW + 2 * pad - k + 1 };
}

/**
 * For each output pixel (p, q) and kernel tap (r, s, c), the flat index into the padded input
 * (H+2pad)×(W+2pad)×C. Row order (p, q), column order (r, s, c): a patch row multiplies a weight
 * matrix [k·k·C, K] flattened from the usual [k, k, C, K] filter.
 */
export function im2colIndices(g: ConvGeometry): Int32Array {
  const wp = g.inW + 2 * g.pad;
  const cols = g.k * g.k * g.inC;
  const idx = new Int32Array(g.outH * g.outW * cols);
  let o = 0;
  for (let p = 0; p < g.outH; p++)
    for (let q = 0; q < g.outW; q++)
      for (let r = 0; r < g.k; r++)
        for (let s = 0; s < g.k; s++)
          for (let c = 0; c < g.inC; c++) idx[o++] = ((p + r) * wp + (q + s)) * g.inC + c;
  return idx;
}

/**
 * im2col as a tfjs op with a custom gradient: forward copies patches [N·P·Q, k·k·C] and backward
 * scatters the patch gradients back (col2im), both in plain JS on the tensor data — on the wasm
 * backend a gather-based im2col measured ≈20× slower than this copy at LeNet sizes, and wasm
 * has no UnsortedSegmentSum for the gather's gradient.
 */
export function makeIm2col(g: ConvGeometry): (x: tf.Tensor4D) => tf.Tensor2D {
  const idx = im2colIndices(g);
  const wp = g.inW + 2 * g.pad;
  const cols = g.k * g.k * g.inC;
  const per = idx.length;
  const inPer = g.inH * g.inW * g.inC;
  // source offset in the unpadded input for each patch entry, −1 for padding zeros
  const src = new Int32Array(per);
  for (let j = 0; j < per; j++) {
    const flat = idx[j];
    const c = flat % g.inC;
    const pix = (flat - c) / g.inC;
    const y = Math.floor(pix / wp) - g.pad;
    const xx = (pix % wp) - g.pad;
    src[j] = y < 0 || y >= g.inH || xx < 0 || xx >= g.inW ? -1 : (y * g.inW + xx) * g.inC + c;
  }
  const op = tf.customGrad(((x: tf.Tensor) => {
    const n = x.shape[0];
    const xd = x.dataSync();
    const out = new Float32Array(n * per);
    for (let b = 0; b < n; b++) {
      const ib = b * inPer;
      const ob = b * per;
      for (let j = 0; j < per; j++) {
        const s = src[j];
        if (s >= 0) out[ob + j] = xd[ib + s];
      }
    }
    const value = tf.tensor2d(out, [n * g.outH * g.outW, cols]);
    const gradFunc = (dy: tf.Tensor) => {
      const d = dy.dataSync();
      const dx = new Float32Array(n * inPer);
      for (let b = 0; b < n; b++) {
        const ib = b * inPer;
        const ob = b * per;
        for (let j = 0; j < per; j++) {
          const s = src[j];
          if (s >= 0) dx[ib + s] += d[ob + j];
        }
      }
      return tf.tensor4d(dx, [n, g.inH, g.inW, g.inC]);
    };
    return { value, gradFunc };
  }) as unknown as CustomGrad);
  return (x) => op(x) as tf.Tensor2D;
}
