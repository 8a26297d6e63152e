import { validateLifParams, type LifParams } from './config';
import { lifState, lifStep } from './lif';

/** Runs one neuron for T steps of constant current; returns the spike steps. */
function run(I: number, T: number, p: LifParams): number[] {
  const s = lifState(1);
  const out = new Uint8Array(1);
  const spikes: number[] = [];
  for (let t = 0; t < T; t++) if (lifStep(s, new Float32Array([I]), p, p.threshold, out)) spikes.push(t);
  return spikes;
}

/**
 * Closed form for constant input I from v = 0 with reset to zero: after n integrating steps
 * v_n = I·(1 − βⁿ)/(1 − β) (β = 1: n·I), so the first spike needs n* = the smallest n with
 * v_n ≥ θ, i.e. n* = ⌈ln(1 − θ(1 − β)/I)/ln β⌉ (β = 1: ⌈θ/I⌉); then R refractory steps and the
 * cycle repeats: spikes at steps n* − 1 + k·(n* + R).
 */
function closedForm(I: number, T: number, theta: number, beta: number, R: number): number[] {
  const nStar = beta === 1 ? Math.ceil(theta / I - 1e-12) : Math.ceil(Math.log(1 - (theta * (1 - beta)) / I) / Math.log(beta) - 1e-12);
  const out: number[] = [];
  for (let t = nStar - 1; t < T; t += nStar + R) out.push(t);
  return out;
}

describe('LIF neuron vs the closed form for constant input', () => {
  const cases: [number, number, number, number][] = [
    // I, theta, beta, R
    [0.3, 1, 1, 0],
    [0.3, 1, 0.9, 0],
    [0.45, 1.5, 0.8, 2],
    [2.5, 1, 0.5, 1],
    [0.11, 0.5, 0.95, 3],
  ];
  it.each(cases)('I=%p θ=%p β=%p R=%p', (I, theta, beta, R) => {
    const p = validateLifParams({ threshold: theta, leak: beta, reset: 'zero', refractorySteps: R });
    expect(run(I, 200, p)).toEqual(closedForm(I, 200, theta, beta, R));
  });

  it('never fires when the leak caps v below threshold: I/(1 − β) < θ', () => {
    expect(run(0.05, 500, validateLifParams({ threshold: 1, leak: 0.9, reset: 'zero', refractorySteps: 0 }))).toEqual([]);
  });

  it('subtract reset fires ⌊T·I/θ⌋ times (non-leaky IF: the rate code of ANN conversion)', () => {
    const p = validateLifParams({ threshold: 1, leak: 1, reset: 'subtract', refractorySteps: 0 });
    for (const I of [0.125, 0.375, 0.5, 0.9375]) // binary fractions: exact in float32
      expect(run(I, 100, p).length).toBe(Math.floor((100 * I) / 1 + 1e-9));
  });
});

describe('LIF parameters', () => {
  it('reject a negative threshold, a leak outside (0, 1] and an unknown reset with one line naming the field', () => {
    expect(() => validateLifParams({ threshold: -1 })).toThrow(/^invalid lif\.threshold: got -1, expected a number > 0$/);
    expect(() => validateLifParams({ leak: 1.2 })).toThrow(/^invalid lif\.leak: got 1\.2/);
    expect(() => validateLifParams({ reset: 'hard' })).toThrow(/^invalid lif\.reset: got "hard", expected one of "subtract", "zero"$/);
    expect(() => validateLifParams({ refractorySteps: 1.5 })).toThrow(/^invalid lif\.refractorySteps/);
  });
});
