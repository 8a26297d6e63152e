import { Rng } from '@cosearch/core';
import { Adam } from './adam';
import { LstmController } from './lstm';

// Objective whose gradient backward() accumulates: dLogp·Σ log π + dEnt·Σ H.
function objective(ctl: LstmController, actions: number[], masks: (boolean[] | null)[], dLogp: number, dEnt: number): number {
  const tr = ctl.forward((t) => actions[t], (t) => masks[t]);
  return dLogp * tr.logp + dEnt * tr.entropy;
}

describe.each([
  ['tanh clipping', { temperature: 2, tanhConstant: 2.5 }],
  ['no clipping', { temperature: 1.5, tanhConstant: 0 }],
])('LSTM controller analytic gradient vs central finite differences (%s)', (_, logits) => {
  test('every parameter of a 4-step masked controller', () => {
    const ctl = new LstmController({ sizes: [3, 4, 2, 3], hidden: 5 }, logits);
    ctl.init(new Rng(5), 0.6); // large weights so gates saturate differently
    const actions = [2, 1, 0, 2];
    const masks = [null, [true, true, false, true], null, [false, true, true]];
    const grad = new Float64Array(ctl.params.length);
    ctl.backward(ctl.forward((t) => actions[t], (t) => masks[t]), 0.7, 0.3, grad);
    const h = 1e-6;
    let worst = 0;
    for (let i = 0; i < ctl.params.length; i++) {
      const keep = ctl.params[i];
      ctl.params[i] = keep + h;
      const up = objective(ctl, actions, masks, 0.7, 0.3);
      ctl.params[i] = keep - h;
      const down = objective(ctl, actions, masks, 0.7, 0.3);
      ctl.params[i] = keep;
      const fd = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - grad[i]) / Math.max(1e-3, Math.abs(fd)));
    }
    expect(worst).toBeLessThan(1e-5);
    // The gradient is not trivially zero: embeddings, cell and heads all receive signal.
    expect(grad.reduce((s, g) => s + Math.abs(g), 0)).toBeGreaterThan(0.1);
    expect(Math.abs(grad[ctl.off.w])).toBeGreaterThan(0);
  });
});

test('masked choices get probability 0 and the masked softmax sums to 1', () => {
  const ctl = new LstmController({ sizes: [4], hidden: 3 }, { temperature: 1, tanhConstant: 0 });
  ctl.init(new Rng(1), 0.5);
  let probs: Float64Array = new Float64Array();
  ctl.forward((_, p) => { probs = p; return 1; }, () => [false, true, true, false]);
  expect(probs[0]).toBe(0);
  expect(probs[3]).toBe(0);
  expect(probs[1] + probs[2]).toBeCloseTo(1, 12);
});

test('tanh clipping bounds logits: the probability ratio of two choices is at most e^(2c)', () => {
  const ctl = new LstmController({ sizes: [2], hidden: 2 }, { temperature: 1, tanhConstant: 1.5 });
  ctl.params[ctl.off.headBias[0]] = 1000; // huge raw logit
  ctl.params[ctl.off.headBias[0] + 1] = -1000;
  let probs: Float64Array = new Float64Array();
  ctl.forward((_, p) => { probs = p; return 0; }, () => null);
  expect(probs[0] / probs[1]).toBeCloseTo(Math.exp(3), 6);
});

test('Adam: first step moves each weight by lr·sign(g) (bias-corrected moments), second step by hand', () => {
  const adam = new Adam(2);
  const w = Float64Array.from([1, -1]);
  adam.ascend(w, Float64Array.from([0.5, -2]), 0.1);
  expect(w[0]).toBeCloseTo(1.1, 6);
  expect(w[1]).toBeCloseTo(-1.1, 6);
  adam.ascend(w, Float64Array.from([0.5, 0]), 0.1);
  // m = 0.9·0.05+0.05 = 0.095, v = 0.999·0.00025+0.00025; m̂ = 0.095/0.19 = 0.5, v̂ = 0.00049975/0.001999 = 0.25
  expect(w[0]).toBeCloseTo(1.2, 6);
  // weight 1: m = 0.9·(−0.2) = −0.18 → m̂ = −0.947, v = 0.999·0.004 → v̂ = 1.999 → step −0.1·0.947/1.414
  expect(w[1]).toBeCloseTo(-1.1 - (0.1 * (0.18 / 0.19)) / Math.sqrt((0.999 * 0.004) / 0.001999), 6);
});
