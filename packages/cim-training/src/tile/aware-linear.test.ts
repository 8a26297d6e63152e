import { initBackend, tf } from '@cosearch/backend';
import { Rng, type CimTileParams } from '@cosearch/core';
import { createCimAwareLinear, equivalentAdcStep, slicedWeightNoise, type CimAwareLinearOptions } from './aware-linear';
import { createTileSimulator } from './simulator';

beforeAll(() => initBackend({ quiet: true }));

const TILE: CimTileParams = {
  rows: 64, cols: 128, cellBits: 2, adcBits: 5, dacBits: 1, columnsPerAdc: 8,
  gMinSiemens: 1 / 1.7e6, gMaxSiemens: 1e-5, readVoltageV: 0.55, readPulseS: 2e-9, differential: true,
};
const op = { layer: 'l', kind: 'dense' as const };

function data(seed: number, G: number, R: number, F: number, O: number) {
  const rng = new Rng(seed);
  return {
    x: tf.tensor3d(Float32Array.from({ length: G * R * F }, () => rng.normal()), [G, R, F]),
    w: tf.tensor3d(Float32Array.from({ length: G * F * O }, () => rng.normal() * 0.1), [G, F, O]),
    c: tf.tensor3d(Float32Array.from({ length: G * R * O }, () => rng.normal()), [G, R, O]),
  };
}

/** Gradients of Σ c·f(x, w) with respect to x and w. */
function grads(f: (x: tf.Tensor3D, w: tf.Tensor3D) => tf.Tensor3D, x: tf.Tensor3D, w: tf.Tensor3D, c: tf.Tensor3D): [Float32Array, Float32Array] {
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor3D, b as tf.Tensor3D), c)));
  const [gx, gw] = g([x, w]);
  return [gx.dataSync() as Float32Array, gw.dataSync() as Float32Array];
}

const make = (o: Partial<CimAwareLinearOptions>) =>
  createCimAwareLinear({ tile: TILE, device: 'rram-neurram-v1', inputBits: 8, weightBits: 4, adcBitsChoices: [4, 5, 6], programmingNoise: 0.05, rng: new Rng(3), ...o });

describe('CIM-aware training op', () => {
  it('an all-zero input vector (ReLU output, padding) gives a zero output and finite gradients, not 0/0', () => {
    const { w, c } = data(2, 1, 4, 150, 3);
    const x = tf.concat([tf.zeros([1, 2, 150]), tf.ones([1, 2, 150])], 1) as tf.Tensor3D;
    const f = make({ weightBits: 8, programmingNoise: 0, adcBitsChoices: [4] }); // 64-row tiles at 4 bits: lossy
    const y = f(op, x, w)!.arraySync() as number[][][];
    y[0][0].forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-20)); // the dither offset times a 1e-30 step
    expect(y[0].flat().every(Number.isFinite)).toBe(true);
    const [gx, gw] = grads((a, b) => f(op, a, b)!, x, w, c);
    expect([...gx, ...gw].every(Number.isFinite)).toBe(true);
  });

  it('with noise and quantisation off equals the clean product and its gradients (3 row tiles, depthwise-like groups)', () => {
    const { x, w, c } = data(1, 3, 10, 150, 4);
    const op0 = make({ inputBits: 0, weightBits: 0, adcBitsChoices: [0], programmingNoise: 0 });
    const y = op0(op, x, w)!;
    const want = tf.matMul(x, w);
    Array.from(want.dataSync()).forEach((v, i) => expect(y.dataSync()[i]).toBeCloseTo(v, 4));
    const [gx, gw] = grads((a, b) => op0(op, a, b)!, x, w, c);
    const [hx, hw] = grads((a, b) => tf.matMul(a, b), x, w, c);
    hx.forEach((v, i) => expect(gx[i]).toBeCloseTo(v, 4));
    hw.forEach((v, i) => expect(gw[i]).toBeCloseTo(v, 4));
  });
  it('with quantisation, noise and a lossy ADC: gradients finite and non-zero; straight-through = the product rule on the quantised noisy operands', () => {
    const { x, w, c } = data(2, 1, 16, 200, 8);
    const f = make({});
    const [gx, gw] = grads((a, b) => f(op, a, b)!, x, w, c);
    for (const g of [gx, gw]) {
      expect(g.every(Number.isFinite)).toBe(true);
      expect(g.some((v) => v !== 0)).toBe(true);
    }
    // dL/dW = Q(x)ᵀ·c exactly (the weight noise and the ADC do not enter it); Q(x) ≈ x to 8 bits
    const [, hw] = grads((a, b) => tf.matMul(a, b), x, w, c);
    let num = 0;
    let den = 0;
    hw.forEach((v, i) => { num += (gw[i] - v) ** 2; den += v * v; });
    expect(Math.sqrt(num / den)).toBeLessThan(0.02);
  });
  it('draws noise and ADC precision per call, reproducibly by seed', () => {
    const { x, w } = data(3, 1, 8, 100, 6);
    const a = make({ rng: new Rng(9) });
    const b = make({ rng: new Rng(9) });
    const ya1 = Array.from(a(op, x, w)!.dataSync());
    const ya2 = Array.from(a(op, x, w)!.dataSync());
    expect(Array.from(b(op, x, w)!.dataSync())).toEqual(ya1);
    expect(ya2).not.toEqual(ya1);
  });
  it('weight noise: the bit-sliced std by hand, and the op realises it', () => {
    // 4-bit weights: 3 magnitude bits on a 2-bit slice (digit at G_max 3) and a 1-bit slice
    // (digit at G_max 1, weighted 4): σ·√(3² + 4²)/7 = 5σ/7
    expect(slicedWeightNoise(TILE, 4, 0.05)).toBeCloseTo((0.05 * 5) / 7, 12);
    // one 3-bit slice on 3- or 4-bit cells: σ·7/7; 1-bit cells: σ·√(1 + 4 + 16)/7
    expect(slicedWeightNoise({ ...TILE, cellBits: 4 }, 4, 0.05)).toBeCloseTo(0.05, 12);
    expect(slicedWeightNoise({ ...TILE, cellBits: 3 }, 4, 0.05)).toBeCloseTo(0.05, 12);
    expect(slicedWeightNoise({ ...TILE, cellBits: 1 }, 4, 0.05)).toBeCloseTo((0.05 * Math.sqrt(21)) / 7, 12);
    const F = 400;
    const O = 50;
    const x = tf.tensor3d(Float32Array.from({ length: F * F }, (_, i) => (i % (F + 1) === 0 ? 1 : 0)), [1, F, F]); // identity rows: y = W + noise
    const w = tf.tensor3d(Float32Array.from({ length: F * O }, (_, i) => ((i % 15) - 7) / 7), [1, F, O]); // on the 4-bit grid k/7, max|W| = 1
    const y = make({ adcBitsChoices: [0], tile: { ...TILE, rows: 512 } })(op, x, w)!;
    const d = Array.from(tf.sub(y, w).dataSync());
    const sd = Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
    expect(sd / slicedWeightNoise(TILE, 4, 0.05)).toBeGreaterThan(0.95);
    expect(sd / slicedWeightNoise(TILE, 4, 0.05)).toBeLessThan(1.05);
  });
  it('equivalent ADC step: 0 when lossless, √(2·Σ4^k·(Δ₀² + 16·Δ₁²)) by hand otherwise', () => {
    expect(equivalentAdcStep(64, { ...TILE, adcBits: 8 }, 8, 4)).toBe(0); // 64·1·3 = 192 ≤ 255
    // 5 bits: slice 0 (2 bits) over 64·1·3 = 192, Δ₀ = 192/31; slice 1 (1 bit, weighted 4) over
    // 64·1·1 = 64, Δ₁ = 64/31; 8 bit-serial slices Σ4^k = 21845; 2 polarities
    expect(equivalentAdcStep(64, TILE, 8, 4)).toBeCloseTo(Math.sqrt(2 * 21845 * ((192 / 31) ** 2 + 16 * (64 / 31) ** 2)), 6);
  });
  it('its output error at a lossy ADC is of the size the tile simulator makes (within a factor 2 at 5 and 7 bits, both ADC ranges)', () => {
    const rng = new Rng(5);
    const x = tf.tensor3d(Float32Array.from({ length: 64 * 128 }, () => Math.max(rng.normal(), 0)), [1, 64, 128]);
    const w = tf.tensor3d(Float32Array.from({ length: 128 * 32 }, () => rng.normal() * 0.1), [1, 128, 32]);
    const rms = (t: tf.Tensor) => Math.sqrt(tf.mean(tf.square(t)).dataSync()[0]);
    const quiet = { device: 'rram-neurram-v1', inputBits: 8, weightBits: 4, rng: new Rng(1), programmingNoise: 0, stuckProbability: 0 };
    const ref = createTileSimulator({ tile: { ...TILE, rows: 128, adcBits: 9 }, ...quiet });
    const exact = ref.linear(op, x, w)!;
    for (const adcRange of ['full-scale', 'calibrated'] as const) {
      for (const adcBits of [5, 7]) {
        const tile = { ...TILE, rows: 128, adcBits };
        const sim = createTileSimulator({ tile, ...quiet, adcRange });
        const eSim = rms(tf.sub(sim.linear(op, x, w)!, exact));
        sim.dispose();
        const eOp = rms(tf.sub(make({ tile, adcBitsChoices: [adcBits], programmingNoise: 0, adcRange })(op, x, w)!, exact));
        // the Δ²/12 bound alone overestimates at 5 bits (small column sums round to 0 with less error)
        const eBound = rms(tf.sub(make({ tile, adcBitsChoices: [adcBits], programmingNoise: 0, dataAwareAdc: false, adcRange })(op, x, w)!, exact));
        // measured (rms, exact product rms ≈ 1): full scale 0.46 / 0.072 (sim) vs 0.52 / 0.12 (op);
        // calibrated 0.016 vs 0.015 at 5 bits, and at 7 bits every calibrated range fits the codes
        // (largest sums ≤ 127): both exact
        if (adcRange === 'calibrated' && adcBits === 7) {
          expect(eSim).toBe(0);
          expect(eOp).toBeLessThan(1e-5 * rms(exact));
          continue;
        }
        expect(eSim).toBeGreaterThan(0);
        expect(eOp / eSim).toBeGreaterThan(0.5);
        expect(eOp / eSim).toBeLessThan(2);
        expect(eBound).toBeGreaterThanOrEqual(eOp * 0.99);
      }
    }
    ref.dispose();
  });
  it('rejects what it cannot model', () => {
    expect(() => make({ adcBitsChoices: [] })).toThrow(/invalid adcBitsChoices/);
    expect(() => make({ adcBitsChoices: [5, -1] })).toThrow(/invalid adcBitsChoices\[1\]: got -1/);
    expect(() => make({ tile: { ...TILE, cellBits: 6 } })).toThrow(/invalid tile.cellBits: got 6/);
    expect(() => make({ inputBits: 1 })).toThrow(/invalid inputBits: got 1/);
  });
});
