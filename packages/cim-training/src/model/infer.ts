import { Rng } from '@cosearch/core';
import { tf } from '@cosearch/backend';
import type { ImageSet } from '@cosearch/datasets';
import type { CrossbarConfig } from '../crossbar/config';
import type { ArchSpec } from './arch';
import { Forward, type LinearFn } from './forward';
import { crossbarLinear, idealLinear } from './linear';

/** Everything needed to run a trained network once (one chip's read weights, or float weights). */
export interface InferenceSetup {
  arch: ArchSpec;
  weights: Float32Array[];
  biases: Float32Array[];
  clips?: { alphas: number[]; bits: number };
  /** Crossbar model for every layer (null = ideal products). */
  crossbar: CrossbarConfig | null;
  /** Per layer: weight units of a normalised conductance difference of 1. */
  wScales?: number[];
  /** Seed of the output-noise draws. */
  seed: number;
}

/** Linear functions for a forward pass: ideal, or one crossbar op per layer with seeded noise. */
export function makeLinear(crossbar: CrossbarConfig | null, wScales: number[] | undefined, nextSeed: () => number, firstLayer = 0): LinearFn {
  if (!crossbar) return (_l, x, w) => idealLinear(x, w);
  const ops = wScales!.map((s, l) => crossbarLinear(crossbar, s, nextSeed, l !== firstLayer));
  return (l, x, w) => ops[l](x, w);
}

/** Top-1 accuracy of the setup on a labelled set (batched, no gradients). */
export function accuracyOf(setup: InferenceSetup, set: ImageSet, batchSize = 200): number {
  const fwd = new Forward(setup.arch);
  const rng = new Rng(setup.seed);
  const linear = makeLinear(setup.crossbar, setup.wScales, () => rng.nextSeed());
  const weights = setup.weights.map((w, i) => tf.tensor2d(w, [setup.arch.layers[i].rows, setup.arch.layers[i].cols]));
  const biases = setup.biases.map((b) => tf.tensor1d(b));
  const alphas = setup.clips?.alphas.map((a) => tf.scalar(a));
  const per = set.height * set.width * set.channels;
  let correct = 0;
  try {
    for (let start = 0; start < set.n; start += batchSize) {
      const n = Math.min(batchSize, set.n - start);
      const pred = tf.tidy(() => {
        const x = tf.tensor4d(set.images.subarray(start * per, (start + n) * per), [n, set.height, set.width, set.channels]);
        const logits = fwd.logits(x, { weights, biases, linear, clips: alphas ? { alphas, bits: setup.clips!.bits } : undefined });
        return tf.argMax(logits, 1);
      });
      const p = pred.dataSync();
      pred.dispose();
      for (let i = 0; i < n; i++) if (p[i] === set.labels[start + i]) correct++;
    }
  } finally {
    tf.dispose([...weights, ...biases, ...(alphas ?? [])]);
  }
  return set.n > 0 ? correct / set.n : 0;
}
