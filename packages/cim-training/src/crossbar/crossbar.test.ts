import { initBackend, tf } from '@cosearch/backend';
import { validateCrossbarConfig } from './config';
import { crossbarMvm } from './mvm';
import { quantize, quantizeTensor } from './quantize';

beforeAll(() => initBackend({ quiet: true }));

const ideal = validateCrossbarConfig({ adcBits: 0, dacBits: 0, outNoise: 0 });

describe('DAC/ADC quantisation', () => {
  it('3-bit converter over ±1 on known inputs (Δ = 1/3, clipping)', () => {
    const q = quantize(new Float32Array([0.1, 0.2, 0.5, -0.9, 1.7, -2]), 3, 1);
    const third = 1 / 3;
    [0, third, 2 * third, -1, 1, -1].forEach((v, i) => expect(q[i]).toBeCloseTo(v, 6));
  });
  it('the tensor quantiser agrees with the array one', () => {
    const x = new Float32Array(200).map((_, i) => Math.sin(i * 1.37) * 3);
    const t = quantizeTensor(tf.tensor1d(x), 5, 2.5);
    const a = quantize(x, 5, 2.5);
    Array.from(t.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(a[i], 5));
    t.dispose();
  });
  it('bits = 0 is ideal', () => {
    expect(Array.from(quantize(new Float32Array([0.123, 7]), 0, 1))).toEqual([Math.fround(0.123), 7]);
  });
});

describe('crossbar MVM', () => {
  const run = (x: number[][], w: number[][], cfg = ideal, tile = 128) => {
    const y = crossbarMvm(tf.tensor2d(x), tf.tensor2d(w), cfg, tile, 1);
    const v = Array.from(y.dataSync());
    y.dispose();
    return v;
  };
  it('with ideal periphery equals the matrix product', () => {
    const v = run([[0.5, -1, 0.25], [2, 0, 1]], [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]]);
    [0.05 - 0.3 + 0.125, 0.1 + 0.4 + 0.15, 0.2 + 0.5, 0.4 + 0.6].forEach((e, i) => expect(v[i]).toBeCloseTo(e, 5));
  });
  it('ADC quantises each tile partial sum (known values)', () => {
    const adc3 = { ...ideal, adcBits: 3, adcRange: 1 };
    // one tile: 0.1 + 0.1 = 0.2 → round(0.6)·⅓ = ⅓ ; two 1-row tiles: each 0.1 → 0, sum 0
    expect(run([[1, 1]], [[0.1], [0.1]], adc3, 2)[0]).toBeCloseTo(1 / 3, 6);
    expect(run([[1, 1]], [[0.1], [0.1]], adc3, 1)[0]).toBeCloseTo(0, 6);
    // 0.3 + 0.4 = 0.7 → round(2.1)·⅓
    expect(run([[1, 1]], [[0.3], [0.4]], adc3, 2)[0]).toBeCloseTo(2 / 3, 6);
  });
  it('DAC quantises inputs after abs-max scaling and the scale is restored', () => {
    const dac3 = { ...ideal, dacBits: 3 };
    // x = [2, 0.52] → /2 = [1, 0.26] → DAC [1, ⅓] → ·w = [0, 1] → ⅓ → ·2
    expect(run([[2, 0.52]], [[0], [1]], dac3)[0]).toBeCloseTo(2 / 3, 6);
  });
  it('output noise has the configured std (times the input scale)', () => {
    const noisy = { ...ideal, outNoise: 0.06 };
    const x = tf.fill([4000, 4], 0.5) as tf.Tensor2D;
    const y = crossbarMvm(x, tf.zeros([4, 8]) as tf.Tensor2D, noisy, 128, 9);
    const v = Array.from(y.dataSync());
    const m = v.reduce((s, a) => s + a, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, a) => s + (a - m) ** 2, 0) / v.length);
    expect(Math.abs(m)).toBeLessThan(0.002);
    expect(sd).toBeGreaterThan(0.03 * 0.97);
    expect(sd).toBeLessThan(0.03 * 1.03);
    tf.dispose([x, y]);
  });
});

describe('crossbar config', () => {
  it('fills defaults and rejects bad fields', () => {
    expect(validateCrossbarConfig({}).adcBits).toBe(8);
    expect(() => validateCrossbarConfig({ adcBits: -1 })).toThrow(/crossbar.adcBits/);
    expect(() => validateCrossbarConfig({ adcbits: 4 })).toThrow(/crossbar.adcbits/);
  });
});
