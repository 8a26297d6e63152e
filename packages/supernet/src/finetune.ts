import { Rng } from '@cosearch/core';
import { tf } from '@cosearch/backend';
import { batches, type DatasetSplits } from '@cosearch/datasets';
import type { SubnetArch } from './arch';
import { evaluateSubnet } from './evaluate';
import { forward } from './forward';
import type { Supernet } from './supernet';

export interface FinetuneOptions { steps: number; lr?: number; batchSize?: number; seed?: number; evalLimit?: number }

/**
 * Trains one subnet alone, starting from its inherited weights (on a copy of the supernet, so
 * the supernet is unchanged), for `steps` AdamW steps on labels, then returns its validation
 * accuracy. The reference ("stand-alone") accuracy for ranking-correlation checks.
 */
export async function finetuneSubnet(net: Supernet, arch: SubnetArch, data: DatasetSplits, o: FinetuneOptions): Promise<number> {
  const copy = net.clone();
  try {
    const bs = Math.min(o.batchSize ?? 64, data.train.n);
    const rng = new Rng(o.seed ?? 0).fork('finetune');
    const src = copy.source();
    const lr = o.lr ?? 1e-3;
    let it = batches(data.train, bs, rng.fork('epoch-0'), { dropLast: true });
    for (let t = 0, epoch = 0; t < o.steps; t++) {
      let b = it.next();
      if (b.done) {
        it = batches(data.train, bs, rng.fork(`epoch-${++epoch}`), { dropLast: true });
        b = it.next();
      }
      const { images, labels, n } = b.value!;
      const { value, grads } = tf.variableGrads(() => {
        const x = tf.tensor4d(images, [n, data.train.height, data.train.width, data.train.channels]);
        const y = tf.oneHot(tf.tensor1d(labels, 'int32'), copy.config.numClasses).toFloat();
        const logits = forward(copy.config, arch, x, src, { bn: { kind: 'batch' } });
        return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1))) as tf.Scalar;
      });
      value.dispose();
      const named = new Map(Object.entries(grads).map(([k, g]) => [copy.paramOf(k)!, g]));
      copy.optimizer.apply(copy.vars, named, lr * 0.5 * (1 + Math.cos((Math.PI * t) / o.steps)), () => 0);
      named.forEach((g) => g.dispose());
    }
    copy.invalidate();
    return (await evaluateSubnet(copy, arch, data.val, { calibration: data.train, limit: o.evalLimit })).accuracy;
  } finally {
    copy.dispose();
  }
}

/** Kendall rank correlation τ-b (ties in either list handled), in [−1, 1]. */
export function kendallTau(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError('kendallTau needs equal-length lists');
  let conc = 0, disc = 0, tieA = 0, tieB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const da = Math.sign(a[i] - a[j]);
      const db = Math.sign(b[i] - b[j]);
      if (da === 0 && db === 0) continue;
      if (da === 0) tieA++;
      else if (db === 0) tieB++;
      else if (da === db) conc++;
      else disc++;
    }
  }
  const denom = Math.sqrt((conc + disc + tieA) * (conc + disc + tieB));
  return denom === 0 ? 0 : (conc - disc) / denom;
}
