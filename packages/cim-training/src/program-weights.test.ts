import { Rng } from '@cosearch/core';
import { programWeights } from './program-weights';

const w = new Float32Array(20000).map((_, i) => Math.sin(i * 0.7311) * 0.8);

describe('programWeights', () => {
  it('without noise returns the weights quantised to 2^(b−1)−1 levels of max|W|', () => {
    const out = programWeights(new Float32Array([0.8, -0.4, 0.1, 0.05, 0]), { device: 'rram-neurram-v1', weightBits: 3, rng: new Rng(1), programmingNoise: 0, stuckProbability: 0 });
    // 3 bits: levels ±{0, ⅓, ⅔, 1}·0.8; −0.4 → −1.5 steps → Math.round → −1; 0.1 → 0.375 → 0
    const expected = [0.8, -0.8 / 3, 0, 0, 0];
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 6));
  });
  it('programming noise: weight error std = σ·max|W| (pair of devices at σ/√2 each)', () => {
    const ideal = programWeights(w, { device: 'rram-neurram-v1', weightBits: 8, rng: new Rng(1), programmingNoise: 0, stuckProbability: 0 });
    const noisy = programWeights(w, { device: 'rram-neurram-v1', weightBits: 8, rng: new Rng(2), programmingNoise: 0.05, stuckProbability: 0 });
    // clipping at G_min removes part of the noise of the device that sits at G_min, so compare
    // only weights whose both devices are away from the bounds is not possible (one is at 0):
    // the expected std of the pair error is then between σ/√2 (half clipped) and σ.
    let s = 0;
    for (let i = 0; i < w.length; i++) s += (noisy[i] - ideal[i]) ** 2;
    const sd = Math.sqrt(s / w.length) / 0.8;
    expect(sd).toBeGreaterThan(0.05 / Math.SQRT2);
    expect(sd).toBeLessThan(0.05);
  });
  it('stuck devices appear with the given probability; same rng seed → same chip', () => {
    const a = programWeights(w, { device: 'rram-neurram-v1', weightBits: 4, rng: new Rng(3), programmingNoise: 0, stuckProbability: 0.1 });
    const b = programWeights(w, { device: 'rram-neurram-v1', weightBits: 4, rng: new Rng(3), programmingNoise: 0, stuckProbability: 0.1 });
    const c = programWeights(w, { device: 'rram-neurram-v1', weightBits: 4, rng: new Rng(4), programmingNoise: 0, stuckProbability: 0.1 });
    const clean = programWeights(w, { device: 'rram-neurram-v1', weightBits: 4, rng: new Rng(3), programmingNoise: 0, stuckProbability: 0 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const changed = a.filter((v, i) => Math.abs(v - clean[i]) > 1e-6).length / w.length;
    // P(pair changed) = 1 − (1 − p)² ≈ 0.19, minus stuck-at-the-same-value cases (e.g. G_min device stuck at G_min: half of its stuck events)
    expect(changed).toBeGreaterThan(0.12);
    expect(changed).toBeLessThan(0.19);
  });
  it('drift scales conductances by (t/t0)^−ν', () => {
    const out = programWeights(new Float32Array([1, -1]), { device: 'rram-neurram-v1', weightBits: 4, rng: new Rng(1), programmingNoise: 0, stuckProbability: 0, drift: { nu: 0.05, timeS: 1000, t0S: 1 } });
    const gmin = 1e-6;
    const gmax = 40e-6;
    const f = Math.pow(1000, -0.05);
    const expected = (gmax * f - gmin * f) / (gmax - gmin);
    expect(out[0]).toBeCloseTo(expected, 5);
    expect(out[1]).toBeCloseTo(-expected, 5);
  });
});
