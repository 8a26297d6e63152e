import * as tf from '@tensorflow/tfjs';

/**
 * Identity for wasm that shares the input's data (reference count + 1) instead of copying it,
 * as the cpu backend's Identity does. tfjs data is immutable — no kernel writes into its inputs
 * and `Variable.assign` swaps the data id — so a shared buffer is indistinguishable from a copy.
 * It matters for training: the engine clones (Identity) every tensor a gradient function saves,
 * ≈170 full copies per step of the default supernet on stock wasm.
 */
type KernelArgs = Parameters<tf.KernelFunc>[0];

export function sharedIdentity(original: tf.KernelConfig): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original.kernelFunc(args);
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
