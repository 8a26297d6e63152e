import * as tf from '@tensorflow/tfjs';
import { validateSnnConfig } from './config';
import { snnForward, spikeFunction, surrogateDerivative } from './surrogate';
import type { SnnArch } from './arch';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('surrogate spike function', () => {
  it('forward is the Heaviside step (spike at v − θ ≥ 0), backward the sigmoid derivative', () => {
    const f = spikeFunction(4);
    const x = tf.tensor1d([-1, -0.1, 0, 0.2, 2]);
    expect(Array.from(f(x).dataSync())).toEqual([0, 0, 1, 1, 1]);
    const g = tf.grad((v: tf.Tensor) => f(v).sum())(x).dataSync();
    [-1, -0.1, 0, 0.2, 2].forEach((v, i) => expect(g[i]).toBeCloseTo(surrogateDerivative(v, 4), 5));
  });

  it('surrogate derivative = finite differences of σ(k·x)', () => {
    const k = 5;
    const s = (x: number) => 1 / (1 + Math.exp(-k * x));
    for (const x of [-0.7, -0.2, 0, 0.05, 0.4]) {
      const h = 1e-5;
      expect(surrogateDerivative(x, k)).toBeCloseTo((s(x + h) - s(x - h)) / (2 * h), 6);
    }
  });
});

describe('BPTT through the unrolled LIF network', () => {
  it('gradients of the loss w.r.t. every weight and bias match finite differences (smooth forward)', () => {
    const arch: SnnArch = { inputShape: [4, 4, 1], hidden: [{ kind: 'conv', filters: 2, kernel: 3, stride: 1 }, { kind: 'dense', units: 3 }], classes: 2 };
    const cfg = validateSnnConfig({ steps: 4, leak: 0.8, threshold: 0.7, reset: 'subtract', encoding: 'rate' });
    const spike = spikeFunction(3, true);
    const shapes = [[9, 2], [8, 3], [3, 2]];
    let seed = 11;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const w = shapes.map(([r, c]) => tf.variable(tf.tensor2d(Array.from({ length: r * c }, () => 0.6 * rnd()), [r, c])));
    const b = shapes.map(([, c]) => tf.variable(tf.tensor1d(Array.from({ length: c }, () => 0.2 * rnd()))));
    const x = tf.tensor3d(Array.from({ length: 4 * 2 * 16 }, () => (rnd() > 0 ? 1 : 0)), [4, 2, 16]);
    const y = tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2);
    const loss = () => tf.losses.softmaxCrossEntropy(y, snnForward(arch, w, b, x, cfg, spike)) as tf.Scalar;
    const { grads } = tf.variableGrads(loss);
    const params: tf.Variable[] = [...w, ...b] as tf.Variable[];
    let checked = 0;
    for (const p of params) {
      const g = grads[p.name].dataSync();
      const v = p.dataSync().slice();
      for (let i = 0; i < v.length; i += 2) {
        const h = 1e-2;
        const at = (d: number) => {
          const u = v.slice();
          u[i] += d;
          p.assign(tf.tensor(u, p.shape));
          return loss().dataSync()[0];
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        p.assign(tf.tensor(v, p.shape));
        expect(Math.abs(g[i] - fd)).toBeLessThan(2e-3 + 2e-2 * Math.abs(fd));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('rejects a refractory period (not trained) with one line naming the field', () => {
    const arch: SnnArch = { inputShape: [1, 1, 2], hidden: [], classes: 2 };
    const cfg = validateSnnConfig({ steps: 4, refractorySteps: 1 });
    expect(() => snnForward(arch, [tf.zeros([2, 2])], [tf.zeros([2])], tf.zeros([4, 1, 2]) as tf.Tensor3D, cfg, spikeFunction(3))).toThrow(/^invalid snn\.refractorySteps: got 1, expected 0 for surrogate-gradient training$/);
  });
});
