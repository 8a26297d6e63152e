import * as tf from '@tensorflow/tfjs';

/**
 * OneHot that honours its dtype and on/off values. tfjs-backend-wasm 4.22's OneHot always
 * writes int32 values, so `tf.oneHot(ids, k, 0.9, 0.01, 'float32')` reads back as denormals
 * (1 → 1.4e-45) and fractional on/off values are truncated: label smoothing and any float
 * one-hot target silently become zero on wasm. The stock kernel is right for int32 with
 * integer on/off values, so it is used for exactly that — as is, or as a 0/1 int32 mask that
 * is cast to float32 and scaled: off + (on − off)·mask (Cast, Multiply, Add: all native; a
 * broadcast Equal would be ~10× slower on wasm).
 */
type KernelArgs = Parameters<tf.KernelFunc>[0];

export function correctOneHot(original: tf.KernelConfig): tf.KernelFunc {
  return (args: KernelArgs) => {
    const attrs = args.attrs as unknown as tf.OneHotAttrs;
    const integral = Number.isInteger(attrs.onValue) && Number.isInteger(attrs.offValue);
    if (attrs.dtype === 'int32' && integral) return original.kernelFunc(args);
    const mask = original.kernelFunc({ ...args, attrs: { ...attrs, dtype: 'int32', onValue: 1, offValue: 0 } as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
    return tf.tidy(() => {
      let out = tf.cast(tf.engine().makeTensorFromTensorInfo(mask), 'float32');
      if (attrs.onValue !== 1 || attrs.offValue !== 0) out = tf.add(tf.mul(out, attrs.onValue - attrs.offValue), attrs.offValue);
      return tf.cast(out, attrs.dtype);
    });
  };
}
