import { tf } from '@cosearch/backend';

/**
 * Integer codes of the activations, one scale per input vector (the last axis: one im2col patch
 * or token of one group), as aihwkit's noise management scales each input vector by its abs-max
 * s. Convention: a vector with no negative entry (after ReLU/ReLU6) is unsigned,
 * x_int = round(x/s·(2^b − 1)) ∈ [0, 2^b − 1]; otherwise signed, x_int = round(x/s·(2^(b−1) − 1))
 * ∈ ±(2^(b−1) − 1), applied offset-binary: the DACs see xu = x_int + 2^(b−1) ∈ [1, 2^b − 1]
 * (still b bits, so ⌈b/b_dac⌉ slices as the cost model counts), and the offset's contribution
 * 2^(b−1)·Σ_rows W is subtracted digitally (see simulator.ts).
 * Returns xu (integer-valued floats), the offset per vector and the value of one code step
 * s/L per vector, all [..., 1] except xu. Rounding: tf.round (half to even).
 */
export function activationCodes(x: tf.Tensor3D, bits: number): { xu: tf.Tensor3D; offset: tf.Tensor3D; step: tf.Tensor3D } {
  return tf.tidy(() => {
    const s = tf.max(tf.abs(x), 2, true);
    const signed = tf.cast(tf.less(tf.min(x, 2, true), 0), 'float32');
    const half = 2 ** (bits - 1);
    // L = 2^b − 1 unsigned, 2^(b−1) − 1 signed
    const levels = tf.sub(2 ** bits - 1, tf.mul(signed, half));
    const offset = tf.mul(signed, half) as tf.Tensor3D;
    const xInt = tf.round(tf.mul(tf.div(x, tf.maximum(s, 1e-30)), levels));
    return { xu: tf.add(xInt, offset) as tf.Tensor3D, offset, step: tf.div(s, levels) as tf.Tensor3D };
  });
}

/**
 * The DAC slices of offset-binary codes xu ∈ [0, 2^b − 1]: digit k = ⌊xu/2^(k·d)⌋ mod 2^d,
 * k = 0 … ⌈b/d⌉ − 1 (least significant first), stacked k-major along the rows:
 * [G, R, F] → [G, nIn·R, F]. Exact for integer-valued float32 codes (powers of two).
 */
export function dacSlices(xu: tf.Tensor3D, dacBits: number, slices: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [G, R, F] = xu.shape;
    const lo = tf.tensor4d(Array.from({ length: slices }, (_, k) => 2 ** (-k * dacBits)), [1, slices, 1, 1]);
    const x4 = tf.reshape(xu, [G, 1, R, F]);
    const a = tf.floor(tf.mul(x4, lo));
    const b = tf.floor(tf.mul(x4, tf.mul(lo, 2 ** -dacBits)));
    return tf.reshape(tf.sub(a, tf.mul(b, 2 ** dacBits)), [G, slices * R, F]) as tf.Tensor3D;
  });
}

/**
 * Integer weight codes of a [G, F, O] weight with one full scale per layer (max|W| over all its
 * groups; `scale: 'layer'`) or per output column (max over the column's F rows, per group:
 * `scale: 'column'`, aihwkit's `weight_scaling_columnwise`; the column's scale is applied
 * digitally after the shift-and-add): w_int = round(w/max·(2^(b−1) − 1)) (half away from zero),
 * and the value of one code step per column (`steps`, [G·O]; all equal for 'layer'). `step` is
 * the layer's largest step (= the only one for 'layer'). `dims` default: one group, one column.
 */
export function weightCodes(w: Float32Array, bits: number, scale: 'layer' | 'column' = 'layer', dims: { G: number; F: number; O: number } = { G: 1, F: w.length, O: 1 }): { codes: Int32Array; step: number; steps: Float64Array } {
  const { G, F, O } = dims;
  if (G * F * O !== w.length) throw new RangeError(`weightCodes: dims ${G}x${F}x${O} do not match ${w.length} weights`);
  const levels = 2 ** (bits - 1) - 1;
  const maxes = new Float64Array(G * O);
  for (let g = 0; g < G; g++) for (let f = 0; f < F; f++) for (let o = 0; o < O; o++) {
    const a = Math.abs(w[(g * F + f) * O + o]);
    if (a > maxes[g * O + o]) maxes[g * O + o] = a;
  }
  if (scale === 'layer') maxes.fill(maxes.reduce((m, v) => Math.max(m, v), 0));
  const codes = new Int32Array(w.length);
  const steps = maxes.map((m) => m / levels);
  for (let g = 0; g < G; g++) for (let f = 0; f < F; f++) for (let o = 0; o < O; o++) {
    const m = maxes[g * O + o];
    if (m === 0) continue;
    const i = (g * F + f) * O + o;
    const v = (w[i] * levels) / m;
    codes[i] = v < 0 ? -Math.round(-v) : Math.round(v);
  }
  return { codes, step: steps.reduce((m, v) => Math.max(m, v), 0), steps };
}
