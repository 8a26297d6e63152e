import * as tf from '@tensorflow/tfjs';
import { asTensor } from './util';

/**
 * OneHot that honours its dtype and on/off values. tfjs-backend-wasm 4.22's OneHot always
 * writes int32 bit patterns, so `tf.oneHot(ids, k, 0.9, 0.01, 'float32')` reads back as
 * denormals (1 → 1.4e-45) and fractional on/off values are truncated; label smoothing and any
 * float one-hot target silently become zero on wasm. Built from Equal (indices against
 * 0…depth−1, broadcast) and a multiply-add, all native wasm kernels.
 */
export function oneHot(indicesInfo: tf.TensorInfo, attrs: tf.OneHotAttrs): tf.Tensor {
  return tf.tidy(() => {
    const indices = asTensor(indicesInfo);
    const hit = tf.equal(tf.expandDims(tf.cast(indices, 'int32'), -1), tf.range(0, attrs.depth, 1, 'int32'));
    const values = tf.add(tf.mul(tf.cast(hit, 'float32'), attrs.onValue - attrs.offValue), attrs.offValue);
    return tf.cast(values, attrs.dtype);
  });
}
