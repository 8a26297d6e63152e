import type { tf } from '@cosearch/backend';

/**
 * The supernet's weight-op hook, restated structurally (cim-training may not import
 * @cosearch/supernet; the shapes must stay identical to its `WeightOpCall`/`LinearOverride`).
 */
export interface WeightOpCall {
  /** LayerSpec name, e.g. 'stem.conv', 's1.b1.expand', 's1.b1.dw', 's2.b1.qkv', 'head.fc'. */
  layer: string;
  kind: 'conv' | 'depthwise' | 'dense';
}

/**
 * x: [G, rows, fanIn] (im2col patches in (kh, kw, cin) order, or tokens), w: [G, fanIn, fanOut];
 * G = channels for depthwise (fanIn = k·k, fanOut = 1), else 1. Returns [G, rows, fanOut], or
 * null to run the op digitally. Bias is added digitally by the caller.
 */
export type LinearOverride = (op: WeightOpCall, x: tf.Tensor3D, w: tf.Tensor3D) => tf.Tensor3D | null;
