import { tf } from '@cosearch/backend';

/**
 * Symmetric mid-tread quantiser of a converter with `bits` bits over [−range, range]: levels
 * k·Δ, |k| ≤ 2^(bits−1) − 1, Δ = range/(2^(bits−1) − 1) (aihwkit inp_res/out_res =
 * 1/(2^bits − 2) of the full span 2·range). Values beyond ±range clip. bits = 0: ideal
 * (no clipping, no rounding).
 */
export function quantStep(bits: number, range: number): number {
  return range / (2 ** (bits - 1) - 1);
}

export function quantize(x: Float32Array, bits: number, range: number, out = new Float32Array(x.length)): Float32Array {
  if (bits === 0) {
    out.set(x);
    return out;
  }
  const d = quantStep(bits, range);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] < -range ? -range : x[i] > range ? range : x[i];
    out[i] = Math.round(v / d) * d;
  }
  return out;
}

/** The same quantiser on a tensor (no gradient; used inside custom-gradient ops). */
export function quantizeTensor<T extends tf.Tensor>(x: T, bits: number, range: number): T {
  if (bits === 0) return x.clone();
  const d = quantStep(bits, range);
  return tf.tidy(() => tf.mul(tf.round(tf.div(tf.clipByValue(x, -range, range), d)), d)) as T;
}

/** Unsigned variant over [0, range] with 2^bits − 1 steps (activation quantisation after a clip). */
export function quantizeUnsignedTensor<T extends tf.Tensor>(x: T, bits: number, range: tf.Scalar | number): T {
  return tf.tidy(() => {
    const levels = 2 ** bits - 1;
    const d = tf.div(range, levels);
    return tf.mul(tf.round(tf.div(x, d)), d) as T;
  });
}
