import { tf } from '@cosearch/backend';
import type { ArchSpec } from './arch';
import { makeIm2col } from './im2col';
import { quantizeUnsignedTensor } from '../crossbar/quantize';
import { straightThrough } from './linear';

export type LinearFn = (layer: number, x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

export interface ForwardParams {
  /** Weights per layer, [rows × cols] (already transformed as the scheme wants). */
  weights: tf.Tensor2D[];
  biases: tf.Tensor1D[];
  /** The matrix product of each layer: ideal or through the crossbar model. */
  linear: LinearFn;
  /** Learned activation clips (one scalar per hidden ReLU) and their bits (hwa). */
  clips?: { alphas: tf.Tensor[]; bits: number };
}

/** Runs an ArchSpec on NHWC input; convs are im2col + the layer's matrix product. */
export class Forward {
  private readonly im2col: ((x: tf.Tensor4D) => tf.Tensor2D)[];

  constructor(readonly arch: ArchSpec) {
    this.im2col = arch.layers.map((l) => (l.conv ? makeIm2col(l.conv) : (null as never)));
  }

  /** Number of hidden ReLUs (= activation clips needed). */
  get reluCount(): number {
    return this.arch.ops.filter((o) => o.op === 'relu').length;
  }

  logits(x: tf.Tensor4D, p: ForwardParams): tf.Tensor2D {
    let h: tf.Tensor = x;
    let relu = 0;
    for (const o of this.arch.ops) {
      if (o.op === 'flatten') h = tf.reshape(h, [h.shape[0], -1]);
      else if (o.op === 'maxpool') h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
      else if (o.op === 'relu') {
        h = tf.relu(h);
        if (p.clips) {
          const a = p.clips.alphas[relu];
          const bits = p.clips.bits;
          // min(h, α) written as h − relu(h − α): tfjs' Minimum gradient does not reduce over
          // broadcast dimensions, Sub does (α is a learned scalar, PACT-style)
          h = tf.sub(h, tf.relu(tf.sub(h, a)));
          h = straightThrough((t) => quantizeUnsignedTensor(t, bits, a as tf.Scalar))(h);
        }
        relu++;
      } else {
        const spec = this.arch.layers[o.layer];
        if (spec.conv) {
          const g = spec.conv;
          const n = h.shape[0];
          const patches = this.im2col[o.layer](h as tf.Tensor4D);
          const y = tf.add(p.linear(o.layer, patches, p.weights[o.layer]), p.biases[o.layer]);
          h = tf.reshape(y, [n, g.outH, g.outW, spec.cols]);
        } else {
          h = tf.add(p.linear(o.layer, h as tf.Tensor2D, p.weights[o.layer]), p.biases[o.layer]);
        }
      }
    }
    return h as tf.Tensor2D;
  }
}
