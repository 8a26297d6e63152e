import * as tf from '@tensorflow/tfjs';
import { asTensor } from './util';

/**
 * UnsortedSegmentSum for backends that lack it (tfjs-backend-wasm 4.22). It is the gradient of
 * Gather (embedding / token lookups), so models that gather cannot train on wasm without it.
 *
 *   out[s, …] = Σ_{i : ids[i] = s} x[i, …]  =  (onehot(ids, S)ᵀ · x₂)[s, …]
 * with x₂ = x reshaped to [len(ids), rest] — one MatMul. Ids outside [0, S) give an all-zero
 * one-hot row and are dropped, as TensorFlow does.
 */
export function unsortedSegmentSum(xInfo: tf.TensorInfo, idsInfo: tf.TensorInfo, attrs: tf.UnsortedSegmentSumAttrs): tf.Tensor {
  return tf.tidy(() => {
    const x = asTensor(xInfo);
    const ids = asTensor(idsInfo);
    const n = ids.size;
    const rest = x.shape.slice(ids.rank);
    const restSize = rest.reduce((a, b) => a * b, 1);
    // One-hot built with Equal rather than OneHot: wasm's OneHot with dtype float32 writes
    // int32 bit patterns (tfjs-backend-wasm 4.22 bug: 1 reads back as 1.4e-45).
    const hot = tf.cast(tf.equal(tf.cast(ids.reshape([n, 1]), 'int32'), tf.range(0, attrs.numSegments, 1, 'int32').reshape([1, -1])), 'float32');
    const summed = tf.matMul(hot, tf.cast(x, 'float32').reshape([n, restSize]), true, false);
    return tf.cast(summed.reshape([attrs.numSegments, ...rest]), x.dtype);
  });
}
