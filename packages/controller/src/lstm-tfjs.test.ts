import { Rng } from '@cosearch/core';
import { initBackend, tf } from '@cosearch/backend';
import { LstmController } from './lstm';

/**
 * Independent check of the hand-written controller: the same network written with tfjs ops
 * (float32), differentiated by tfjs autodiff, must give the same log-probability, entropy and
 * gradient as the Float64 analytic pass (up to float32 rounding).
 */
beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

function tfObjective(flat: tf.Tensor1D, ctl: LstmController, actions: number[], masks: (boolean[] | null)[], dLogp: number, dEnt: number) {
  const H = ctl.hidden, off = ctl.off, { temperature: T, tanhConstant: c } = ctl.logits;
  const seg = (o: number, n: number, shape: number[]) => flat.slice(o, n).reshape(shape);
  const W = seg(off.w, 8 * H * H, [4 * H, 2 * H]), b = seg(off.b, 4 * H, [4 * H]);
  let h: tf.Tensor = tf.zeros([1, H]), cell: tf.Tensor = tf.zeros([1, H]);
  let x = seg(off.start, H, [1, H]);
  let logp: tf.Tensor = tf.scalar(0), ent: tf.Tensor = tf.scalar(0);
  ctl.sizes.forEach((K, t) => {
    const a = tf.add(tf.matMul(tf.concat([x, h], 1), W, false, true), b);
    const [ai, af, ag, ao] = tf.split(a, 4, 1);
    cell = tf.add(tf.mul(tf.sigmoid(af), cell), tf.mul(tf.sigmoid(ai), tf.tanh(ag)));
    h = tf.mul(tf.sigmoid(ao), tf.tanh(cell));
    const z = tf.add(tf.matMul(h, seg(off.head[t], K * H, [K, H]), false, true), seg(off.headBias[t], K, [K]));
    let l = c > 0 ? tf.mul(c, tf.tanh(tf.div(z, T))) : tf.div(z, T);
    const m = masks[t];
    if (m) l = tf.add(l, tf.tensor2d([m.map((ok) => (ok ? 0 : -1e4))]));
    const ls = tf.logSoftmax(l);
    const p = tf.exp(ls);
    logp = tf.add(logp, ls.reshape([K]).gather([actions[t]]).sum());
    ent = tf.sub(ent, tf.sum(tf.mul(p, ls)));
    x = seg(off.emb[t] + actions[t] * H, H, [1, H]);
  });
  return { logp, ent, objective: tf.add(tf.mul(dLogp, logp), tf.mul(dEnt, ent)) as tf.Scalar };
}

test('analytic log-probability, entropy and gradient match tfjs autodiff', () => {
  const ctl = new LstmController({ sizes: [3, 4, 2, 3, 5], hidden: 6 }, { temperature: 2, tanhConstant: 2.5 });
  ctl.init(new Rng(9), 0.5);
  const actions = [1, 3, 0, 2, 4];
  const masks = [null, [true, false, true, true], null, [true, true, true], [false, true, true, true, true]];
  const trace = ctl.forward((t) => actions[t], (t) => masks[t]);
  const grad = new Float64Array(ctl.params.length);
  ctl.backward(trace, 0.8, 0.25, grad);

  const flat = tf.tensor1d(Array.from(ctl.params));
  const r = tfObjective(flat, ctl, actions, masks, 0.8, 0.25);
  expect(r.logp.dataSync()[0]).toBeCloseTo(trace.logp, 4);
  expect(r.ent.dataSync()[0]).toBeCloseTo(trace.entropy, 4);
  const g = tf.grad((f: tf.Tensor) => tfObjective(f as tf.Tensor1D, ctl, actions, masks, 0.8, 0.25).objective)(flat).dataSync();
  let worst = 0;
  for (let i = 0; i < grad.length; i++) worst = Math.max(worst, Math.abs(g[i] - grad[i]));
  expect(worst).toBeLessThan(2e-5);
  expect(Math.max(...Array.from(grad, Math.abs))).toBeGreaterThan(0.01);
});
