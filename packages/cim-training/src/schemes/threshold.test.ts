import { Rng } from '@cosearch/core';
import { stochasticPulses, thresholdPulses } from './threshold';

describe('mixed-precision threshold rule', () => {
  it('truncates χ/ε toward zero, keeps the residual and caps the pulses (hand-made χ)', () => {
    const chi = new Float32Array([0.2, -0.2, 0.5, 1.3, -1.6, 12.0, -0.49]);
    const n = new Int32Array(chi.length);
    const fired = thresholdPulses(chi, 0.5, 5, n);
    expect(Array.from(n)).toEqual([0, 0, 1, 2, -3, 5, 0]);
    expect(fired).toBe(4);
    const expected = [0.2, -0.2, 0, 0.3, -0.1, 9.5, -0.49];
    expected.forEach((v, i) => expect(chi[i]).toBeCloseTo(v, 6));
  });

  it('fires again from the kept residual on the next accumulation', () => {
    const chi = new Float32Array([0.4]);
    const n = new Int32Array(1);
    thresholdPulses(chi, 0.5, 5, n);
    expect(n[0]).toBe(0);
    chi[0] += 0.4;
    thresholdPulses(chi, 0.5, 5, n);
    expect(n[0]).toBe(1);
    expect(chi[0]).toBeCloseTo(0.3, 6);
  });
});

describe('naive stochastic rounding to pulses', () => {
  it('is unbiased: mean pulses = Δw/dw_min, and capped', () => {
    const rng = new Rng(3);
    const m = 20000;
    const dw = new Float32Array(m).fill(0.37e-3);
    const n = new Int32Array(m);
    stochasticPulses(dw, 1e-3, 31, rng, n);
    const mean = n.reduce((s, v) => s + v, 0) / m;
    expect(mean).toBeGreaterThan(0.37 - 0.02);
    expect(mean).toBeLessThan(0.37 + 0.02);
    expect(n.every((v) => v === 0 || v === 1)).toBe(true);
    stochasticPulses(new Float32Array([-1, 1]), 1e-3, 31, rng, n);
    expect([n[0], n[1]]).toEqual([-31, 31]);
  });
});
