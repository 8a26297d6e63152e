/**
 * The training step both `supernet.bench.ts` and `tools/profile-supernet-step.ts` time: the default
 * supernet (seed 0), one random batch of 28×28×1 images with seeded one-hot labels, and a
 * cross-entropy step with AdamW on one subnet (BN in batch mode, as in training).
 */
import { Rng } from '@cosearch/core';
import { tf } from '@cosearch/backend';
import { defaultSupernetConfig, forward, Supernet, type SubnetArch } from '@cosearch/supernet';

export function supernetStepFixture(batch: number) {
  const cfg = defaultSupernetConfig();
  const net = Supernet.create(cfg, 0);
  const rng = new Rng(0);
  const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, () => rng.int(10)), 'int32'), 10).toFloat();
  const src = net.source();
  const logits = (arch: SubnetArch) => forward(cfg, arch, x, src, { bn: { kind: 'batch' } });
  const loss = (arch: SubnetArch, target: tf.Tensor) => () =>
    tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits(arch))), 1))) as tf.Scalar;
  /** One forward + backward + AdamW step on `arch`; reads the loss back so the step has finished. */
  const train = (arch: SubnetArch) => {
    const { value, grads } = tf.variableGrads(loss(arch, y));
    value.dataSync();
    value.dispose();
    net.optimizer.apply(net.vars, new Map(Object.entries(grads).map(([k, g]) => [net.paramOf(k)!, g])), 1e-3, () => 0);
    Object.values(grads).forEach((g) => g.dispose());
  };
  return { cfg, net, rng, x, y, logits, train };
}
