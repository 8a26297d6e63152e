import { initBackend, tf } from '@cosearch/backend';
import { ConfigError, Rng, type CimTileParams } from '@cosearch/core';
import { losslessAdcBits } from './params';
import { createTileSimulator, type TileSimulatorOptions } from './simulator';

beforeAll(() => initBackend({ quiet: true }));

const TILE: CimTileParams = {
  rows: 128, cols: 128, cellBits: 2, adcBits: 5, dacBits: 1, columnsPerAdc: 8,
  gMinSiemens: 1 / 1.7e6, gMaxSiemens: 1e-5, readVoltageV: 0.55, readPulseS: 2e-9, differential: true,
};
const QUIET = { programmingNoise: 0, stuckProbability: 0, device: 'rram-neurram-v1' };

function run(opts: Partial<TileSimulatorOptions> & { tile: CimTileParams }, x: tf.Tensor3D, w: tf.Tensor3D, kind: 'conv' | 'depthwise' | 'dense' = 'dense'): Float32Array {
  const sim = createTileSimulator({ inputBits: 8, weightBits: 8, rng: new Rng(1), ...QUIET, ...opts });
  const y = sim.linear({ layer: 'l', kind }, x, w)!;
  const v = y.dataSync() as Float32Array;
  y.dispose();
  sim.dispose();
  return v;
}

/**
 * The digital quantised product, written out independently of the tile code: x_int·w_int·steps;
 * weight full scale per output column of each group (the simulator's default) or per layer.
 */
function digitalQuantised(x: Float32Array, w: Float32Array, G: number, R: number, F: number, O: number, inB: number, wB: number, scale: 'column' | 'layer' = 'column'): Float64Array {
  const colMax = (g: number, o: number) => {
    let m = 0;
    for (let f = 0; f < F; f++) m = Math.max(m, Math.abs(w[(g * F + f) * O + o]));
    return m;
  };
  let layerMax = 0;
  for (const v of w) layerMax = Math.max(layerMax, Math.abs(v));
  const Lw = 2 ** (wB - 1) - 1;
  const maxOf = (i: number) => (scale === 'layer' ? layerMax : colMax(Math.floor(i / (F * O)), i % O));
  const wInt = Array.from(w, (v, i) => Math.sign(v) * Math.round(Math.abs(v) / maxOf(i) * Lw));
  const y = new Float64Array(G * R * O);
  for (let g = 0; g < G; g++) {
    for (let r = 0; r < R; r++) {
      const row = x.subarray((g * R + r) * F, (g * R + r + 1) * F);
      const s = Math.max(...Array.from(row, Math.abs));
      const L = Math.min(...row) < 0 ? 2 ** (inB - 1) - 1 : 2 ** inB - 1;
      const xInt = Array.from(row, (v) => Math.round((v / s) * L));
      for (let o = 0; o < O; o++) {
        let acc = 0;
        for (let f = 0; f < F; f++) acc += xInt[f] * wInt[(g * F + f) * O + o];
        y[(g * R + r) * O + o] = acc * (s / L) * ((scale === 'layer' ? layerMax : colMax(g, o)) / Lw);
      }
    }
  }
  return y;
}

function randomInputs(rng: Rng, G: number, R: number, F: number, O: number): { x: Float32Array; w: Float32Array } {
  // half the rows after a ReLU (unsigned), half signed (e.g. LayerNorm output)
  const x = new Float32Array(G * R * F).map((_, i) => {
    const v = rng.normal();
    return Math.floor(i / F) % 2 === 0 ? Math.max(v, 0) : v;
  });
  const w = new Float32Array(G * F * O).map(() => rng.normal() * 0.1);
  return { x, w };
}

describe('tile simulator: exactness with a lossless ADC and no noise', () => {
  for (const [dacBits, cellBits, differential] of [[1, 2, true], [2, 2, true], [1, 1, false], [3, 3, true]] as const) {
    it(`dac ${dacBits}, cell ${cellBits}, ${differential ? 'differential' : 'single-ended'}: sliced computation = digital quantised product (2 row tiles)`, () => {
      const [G, R, F, O] = [1, 12, 100, 7];
      const { x, w } = randomInputs(new Rng(dacBits * 10 + cellBits), G, R, F, O);
      const tile = { ...TILE, rows: 64, dacBits, cellBits, differential, adcBits: losslessAdcBits(64, dacBits, cellBits) };
      const want = digitalQuantised(x, w, G, R, F, O, 8, 8);
      for (const exactFastPath of [true, false]) {
        const got = run({ tile, exactFastPath }, tf.tensor3d(x, [G, R, F]), tf.tensor3d(w, [G, F, O]));
        want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
      }
    });
  }
  it('weightScale layer: one max|W| per layer = the digital product with the layer scale (and ≠ the column one)', () => {
    const [G, R, F, O] = [1, 12, 100, 7];
    const { x, w } = randomInputs(new Rng(77), G, R, F, O);
    const tile = { ...TILE, rows: 64, adcBits: losslessAdcBits(64, 1, 2) };
    const want = digitalQuantised(x, w, G, R, F, O, 8, 4, 'layer');
    const got = run({ tile, weightBits: 4, weightScale: 'layer', exactFastPath: false }, tf.tensor3d(x, [G, R, F]), tf.tensor3d(w, [G, F, O]));
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    const col = digitalQuantised(x, w, G, R, F, O, 8, 4, 'column');
    expect(col.some((v, i) => Math.abs(v - want[i]) > 1e-3)).toBe(true);
  });
  it('depthwise (G = 6 groups of 3×3 taps, block-diagonal) = digital quantised product', () => {
    const [G, R, F, O] = [6, 20, 9, 1];
    const { x, w } = randomInputs(new Rng(5), G, R, F, O);
    const want = digitalQuantised(x, w, G, R, F, O, 6, 4);
    const tile = { ...TILE, adcBits: losslessAdcBits(128, 1, 2) };
    const got = run({ tile, inputBits: 6, weightBits: 4, exactFastPath: false }, tf.tensor3d(x, [G, R, F]), tf.tensor3d(w, [G, F, O]), 'depthwise');
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });
});

describe('tile simulator: hand-computed 4×4 example (2-bit cells, bit-serial 2-bit inputs, 3-bit ADC)', () => {
  // x = [0.75, 0.25, 0.5, 0] → s = 0.75, unsigned 2-bit codes [3, 1, 2, 0] (step 0.25);
  // W/0.1 = codes (3-bit signed, max|W| = 0.3, step 0.1), one 2-bit slice per sign:
  const W = [[3, -1, 2, 0], [1, 2, -3, 1], [2, 3, 1, -2], [-1, 0, 3, 3]];
  // bit planes of x: LSB [1,1,0,0], MSB [1,0,1,0]. Column sums (G⁺, G⁻) per plane:
  //   LSB: col0 (4, 0), col1 (2, 1), col2 (2, 3), col3 (1, 0)
  //   MSB: col0 (5, 0), col1 (3, 1), col2 (3, 0), col3 (0, 2)
  // 3-bit ADC over the full scale 4 rows·1·3 = 12: Δ = 12/7; S → round(7S/12)·Δ:
  //   0→0, 1→Δ, 2→Δ, 3→2Δ, 4→2Δ, 5→3Δ
  // shift-add LSB + 2·MSB of (G⁺ − G⁻): col0 2Δ + 2·3Δ = 8Δ; col1 0 + 2·(2Δ − Δ) = 2Δ;
  //   col2 (Δ − 2Δ) + 2·2Δ = 3Δ; col3 Δ + 2·(0 − Δ) = −Δ
  // y = [8, 2, 3, −1]·Δ·0.25·0.1 (exact product: [14, 5, 5, −3]·0.025)
  const x = () => tf.tensor3d([[[0.75, 0.25, 0.5, 0]]]);
  const w = () => tf.tensor3d([W.map((r) => r.map((v) => v / 10))]);
  const tile = { ...TILE, rows: 4, cols: 4, cellBits: 2, dacBits: 1, adcBits: 3 };
  it('3-bit ADC: [8, 2, 3, −1]·(12/7)·0.025', () => {
    const got = run({ tile, inputBits: 2, weightBits: 3 }, x(), w());
    [8, 2, 3, -1].forEach((k, i) => expect(got[i]).toBeCloseTo((k * 12 / 7) * 0.025, 6));
  });
  it('4-bit ADC (= losslessAdcBits(4, 1, 2)): the exact product [14, 5, 5, −3]·0.025', () => {
    expect(losslessAdcBits(4, 1, 2)).toBe(4);
    const got = run({ tile: { ...tile, adcBits: 4 }, inputBits: 2, weightBits: 3, exactFastPath: false }, x(), w());
    [14, 5, 5, -3].forEach((k, i) => expect(got[i]).toBeCloseTo(k * 0.025, 6));
  });
});

describe('tile simulator: chips', () => {
  const [G, R, F, O] = [1, 30, 200, 10];
  const { x, w } = randomInputs(new Rng(9), G, R, F, O);
  const noisy = { device: 'rram-neurram-v1', programmingNoise: 0.05, stuckProbability: 0.01, readNoise: true } as const;
  it('same chip seed → identical outputs (incl. read noise); another seed → different', () => {
    const once = (seed: number) => run({ tile: TILE, ...noisy, rng: new Rng(seed) }, tf.tensor3d(x, [G, R, F]), tf.tensor3d(w, [G, F, O]));
    expect(Array.from(once(3))).toEqual(Array.from(once(3)));
    expect(Array.from(once(3))).not.toEqual(Array.from(once(4)));
  });
  it('programs each layer once per chip: a second call reuses the conductances', () => {
    const sim = createTileSimulator({ tile: TILE, inputBits: 8, weightBits: 8, rng: new Rng(2), device: 'rram-neurram-v1', programmingNoise: 0.05 });
    const xt = tf.tensor3d(x, [G, R, F]);
    const a = sim.linear({ layer: 'l', kind: 'dense' }, xt, tf.tensor3d(w, [G, F, O]))!.dataSync();
    // different weight values under the same name are ignored: the chip holds what was programmed
    const b = sim.linear({ layer: 'l', kind: 'dense' }, xt, tf.tensor3d(w.map((v) => v * 3), [G, F, O]))!.dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(sim.stats().l.calls).toBe(2);
    expect(sim.stats().l.rowTiles).toBe(2);
    expect(sim.stats().l.devices).toBe(F * O * 4 * 2); // 7 magnitude bits → 4 two-bit slices per sign
    sim.dispose();
  });
  it('layers not listed run digitally (null)', () => {
    const sim = createTileSimulator({ tile: TILE, inputBits: 8, weightBits: 8, rng: new Rng(2), device: 'rram-neurram-v1', layers: ['a'] });
    expect(sim.linear({ layer: 'b', kind: 'dense' }, tf.zeros([1, 2, 3]), tf.zeros([1, 3, 4]))).toBeNull();
    sim.dispose();
  });
});

describe('tile simulator: a slice with fewer bits than its cell spans the device range', () => {
  // 4-bit weights on differential pairs = 3 magnitude bits. On 3-bit cells: one slice, digit
  // d at g = d/7. On 4-bit cells: still one slice of 3 bits; programmed at g = d/7 (G_max for
  // the largest magnitude, as NeuRRAM maps max|W| to the full range), its programming error
  // (σ of the range) is σ·7 codes, as on 3-bit cells. Mapped at d/15 (half the range unused)
  // it would be σ·15 codes: 2.1× the noise, the 4-bit-cell anomaly of the default run.
  // 2-bit cells: slices of 2 and 1 bits, error σ·√(3² + (1·4)²) = 5σ codes (σ·√(3² + (3·4)²)
  // ≈ 12.4σ if the 1-bit top slice used digit/3).
  const [G, R, F, O] = [1, 64, 128, 64];
  const rng = new Rng(31);
  const x = Float32Array.from({ length: G * R * F }, () => Math.max(rng.normal(), 0));
  const w = Float32Array.from({ length: G * F * O }, () => rng.normal() * 0.1);
  const want = digitalQuantised(x, w, G, R, F, O, 8, 4);
  const rmsErr = (cellBits: number) => {
    let e = 0;
    for (let chip = 0; chip < 3; chip++) {
      const tile = { ...TILE, cellBits, adcBits: losslessAdcBits(128, 1, cellBits) };
      const got = run({ tile, weightBits: 4, programmingNoise: 0.05, rng: new Rng(40 + chip) }, tf.tensor3d(x, [G, R, F]), tf.tensor3d(w, [G, F, O]));
      e += got.reduce((a, v, i) => a + (v - want[i]) ** 2, 0) / got.length / 3;
    }
    return Math.sqrt(e);
  };
  it('4-bit cells err as 3-bit cells (ratio 1 ± 0.15), 2-bit cells 5/7 of that', () => {
    const e3 = rmsErr(3);
    expect(rmsErr(4) / e3).toBeGreaterThan(0.85);
    expect(rmsErr(4) / e3).toBeLessThan(1.15);
    expect(rmsErr(2) / e3).toBeGreaterThan((5 / 7) * 0.85);
    expect(rmsErr(2) / e3).toBeLessThan((5 / 7) * 1.15);
  });
});

describe('tile simulator: output error of a fixed small network vs ADC bits', () => {
  it('mean relative error over 4 chips is non-increasing in ADC bits from 5 bits up (within 2 % of the previous value)', () => {
    // fixed 2-layer ReLU MLP, 256 → 64 → 10, random weights and inputs (seeded), 2 % programming
    // noise; chips 100…103 are programmed identically at every ADC precision (same forks)
    const rng = new Rng(21);
    const x = tf.tensor3d(Float32Array.from({ length: 32 * 256 }, () => Math.max(rng.normal(), 0)), [1, 32, 256]);
    const w1 = tf.tensor3d(Float32Array.from({ length: 256 * 64 }, () => rng.normal() / 16), [1, 256, 64]);
    const w2 = tf.tensor3d(Float32Array.from({ length: 64 * 10 }, () => rng.normal() / 8), [1, 64, 10]);
    const ref = tf.matMul(tf.relu(tf.matMul(x, w1)), w2);
    const refNorm = tf.norm(ref).dataSync()[0];
    const errors: number[] = [];
    const bitsList = [3, 4, 5, 6, 7, 8, 9];
    for (const adcBits of bitsList) {
      let e = 0;
      for (let chip = 0; chip < 4; chip++) {
        const sim = createTileSimulator({ tile: { ...TILE, adcBits }, inputBits: 8, weightBits: 8, rng: new Rng(100 + chip), device: 'rram-neurram-v1', programmingNoise: 0.02 });
        const h = tf.relu(sim.linear({ layer: 'fc1', kind: 'dense' }, x, w1)!);
        const y = sim.linear({ layer: 'fc2', kind: 'dense' }, h as tf.Tensor3D, w2)!;
        e += tf.norm(tf.sub(y, ref)).dataSync()[0] / refNorm / 4;
        sim.dispose();
      }
      errors.push(e);
    }
    // Stated tolerance: from 5 bits (error < 1) each extra bit may not raise the mean error by
    // more than 2 %. At 3 and 4 bits over the full scale 128·1·3 = 384 (Δ = 55 and 26 unit
    // products) nearly every column sum rounds to 0 or one code: the output carries no
    // information (relative error ≈ 1, measured 0.94 and 1.29), where an ordering means nothing.
    for (let i = 3; i < errors.length; i++) expect(errors[i]).toBeLessThanOrEqual(errors[i - 1] * 1.02);
    expect(errors[0]).toBeGreaterThan(0.8);
    expect(errors[1]).toBeGreaterThan(0.8);
    // the lossless 9 bits leave only the programming noise, 1 bit less already adds to it
    expect(errors[2]).toBeGreaterThan(2 * errors[6]);
    expect(errors[5]).toBeGreaterThan(errors[6]);
  });
});

describe('tile simulator: calibrated ADC range', () => {
  it('is still exact at lossless bits, and at 5 bits errs less than the full-scale range', () => {
    const [G, R, F, O] = [1, 40, 128, 16];
    const rng = new Rng(8);
    const x = Float32Array.from({ length: G * R * F }, () => Math.max(rng.normal(), 0));
    const w = Float32Array.from({ length: G * F * O }, () => rng.normal() * 0.1);
    const want = digitalQuantised(x, w, G, R, F, O, 8, 8);
    const err = (got: Float32Array) => Math.sqrt(got.reduce((a, v, i) => a + (v - want[i]) ** 2, 0) / want.reduce((a, v) => a + v * v, 0));
    const at = (adcBits: number, adcRange: 'full-scale' | 'calibrated') =>
      run({ tile: { ...TILE, adcBits }, adcRange, exactFastPath: false }, tf.tensor3d(x, [G, R, F]), tf.tensor3d(w, [G, F, O]));
    expect(err(at(9, 'calibrated'))).toBeLessThan(1e-5);
    const full = err(at(5, 'full-scale'));
    const cal = err(at(5, 'calibrated'));
    expect(full).toBeGreaterThan(0.1);
    expect(cal).toBeLessThan(full / 2);
  });
});

describe('tile simulator: parameters the accuracy model cannot realise', () => {
  const make = (tile: Partial<CimTileParams>, extra: Partial<TileSimulatorOptions> = {}) => () =>
    createTileSimulator({ tile: { ...TILE, ...tile }, inputBits: 8, weightBits: 8, rng: new Rng(1), device: 'rram-neurram-v1', ...extra });
  it('one line naming the field, the value and what is allowed', () => {
    expect(make({ adcBits: 0 })).toThrow(new ConfigError('tile.adcBits', 0, 'an integer >= 1 <= 24'));
    expect(make({ cellBits: 5 })).toThrow('invalid tile.cellBits: got 5, expected an integer from 1 to 4 (rram-neurram-v1 has 16 conductance states = 4 bits per cell)');
    expect(make({ dacBits: 4 }, { inputBits: 3 })).toThrow(/invalid tile.dacBits: got 4, expected an integer from 1 to inputBits \(3\)/);
    expect(make({ rows: 0 })).toThrow(/invalid tile.rows: got 0/);
    expect(make({ cols: 2.5 })).toThrow(/invalid tile.cols: got 2.5/);
    expect(make({}, { inputBits: 1 })).toThrow(/invalid inputBits: got 1/);
    expect(make({}, { weightBits: 40 })).toThrow(/invalid weightBits: got 40/);
    expect(make({ gMaxSiemens: 0 })).toThrow(/invalid tile.gMaxSiemens/);
    expect(make({}, { programmingNoise: -1 })).toThrow(/invalid programmingNoise/);
  });
});
