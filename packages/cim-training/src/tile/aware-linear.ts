import { tf } from '@cosearch/backend';
import { checkNumber, ConfigError, oneOf, type CimTileParams, type Rng } from '@cosearch/core';
import { gaussianNoise } from '../crossbar/noise';
import type { DeviceParams } from '../devices/types';
import { straightThrough } from '../model/linear';
import type { LinearOverride } from './hook';
import { adcStep, inputSlices, maxColumnSum, sliceTops, validateTile, weightSlices } from './params';
import { activationCodes, dacSlices } from './quant';

export interface CimAwareLinearOptions {
  /** The tile the network will run on (its rows, DAC and cell bits shape the error model). */
  tile: CimTileParams;
  device: DeviceParams | string;
  /** Activation bits (0 = no activation quantisation, for ablations). */
  inputBits: number;
  /** Signed weight bits (0 = float weights). */
  weightBits: number;
  /** ADC precisions, one drawn uniformly per call (= per layer and training step); 0 = ideal ADC. */
  adcBitsChoices: readonly number[];
  /** Per-slice pair error as a fraction of the device range, the tile simulator's `programmingNoise`; 0 = none. */
  programmingNoise: number;
  /** Draws the ADC precision, the noise and the dither of every call (seeded: same calls → same draws). */
  rng: Rng;
  /** Layers to run this way (default every weight op); others return null (digital). */
  layers?: Iterable<string>;
  /** ADC full scale as a fraction of the largest column sum, as in the tile simulator (default 1). */
  adcFullScaleFrac?: number;
  /** Size the partial-sum ADC error from this call's slice digit moments (default true), else the Δ²/12 upper bound. */
  dataAwareAdc?: boolean;
  /** Subtractive dither on the partial-sum quantiser (default true): error uniform and independent of the sum. */
  dither?: boolean;
  /**
   * The inference ADC convention the error model matches (the tile simulator's `adcRange`):
   * 'calibrated' (default, the co-search's default) = each (row tile, input slice, weight slice,
   * polarity) spans the largest column sum of the call, taken exactly on its first
   * `CALIBRATION_SAMPLE` input vectors (sliced digits, one small matmul); 'full-scale' = the
   * largest possible column sum.
   */
  adcRange?: 'full-scale' | 'calibrated';
  /** Weight full scale per output column (default, as the tile simulator) or per layer. */
  weightScale?: 'layer' | 'column';
}

/**
 * Weight-noise std of the bit-sliced programming, in units of max|W|: each slice j of a pair
 * errs by σ of the range = σ·top_j digit units (top_j = 2^t_j − 1, `sliceTops`: the slice's
 * digit at G_max), weighted 2^(j·c) in the shift-add, so
 * σ_w = σ·√(Σ_j (top_j·2^(j·c))²) / (2^(b−1) − 1) (single-ended: one device, σ/√2). Without
 * clipping at G_min; the tile simulator clips, which trims the idle device's noise.
 */
export function slicedWeightNoise(tile: Pick<CimTileParams, 'cellBits' | 'differential'>, weightBits: number, sigma: number): number {
  let s = 0;
  sliceTops(tile, weightBits).forEach((top, j) => { s += (top * 2 ** (j * tile.cellBits)) ** 2; });
  const perPair = tile.differential ? sigma : sigma / Math.SQRT2;
  return (perPair * Math.sqrt(s)) / (2 ** (weightBits - 1) - 1);
}

/** First and second moments of the digits of each slice: E[d], E[d²] (input slices k, weight slices j). */
export interface SliceMoments {
  input: [number, number][];
  weight: [number, number][];
}

/**
 * Equivalent quantisation step, in integer product units (x_int·w_int), of the sum of one row
 * tile's per-slice ADC errors. Each conversion of a column sum S with step Δ_j (weight slice j's
 * digits: `adcStep` with its `sliceTops` digit at G_max) errs by at most Δ_j/2;
 * its error variance is Δ²/12 when S spreads over many steps, and E[S²] when S stays below Δ/2
 * (it rounds to 0): v = min(Δ²/12, E[S²]). With slice moments, E[S²] = Var + E[S]² with
 * E[S] = n·E[x_k]·E[d_j], Var = n·(E[x_k²]·E[d_j²] − (E[x_k]·E[d_j])²) over the n rows;
 * without, v = Δ²/12 (an upper bound). Conversions are weighted 2^(k·b_dac)·2^(j·b_cell) in the
 * shift-add, so Var = nPol·Σ_k Σ_j 4^(k·d)·4^(j·c)·v_kj, and the step of one uniform quantiser
 * with that error variance is √(12·Var). 0 when the tile's ADC is lossless for its rows.
 */
export function equivalentAdcStep(
  rowsUsed: number,
  tile: Pick<CimTileParams, 'adcBits' | 'dacBits' | 'cellBits' | 'differential'>,
  inputBits: number,
  weightBits: number,
  fullScaleFrac = 1,
  moments?: SliceMoments,
  calibratedMax?: Float64Array,
): number {
  const tops = sliceTops(tile, weightBits);
  const nIn = inputSlices(tile.dacBits, inputBits);
  const nW = weightSlices(tile, weightBits);
  const nPol = tile.differential ? 2 : 1;
  const maxCode = 2 ** tile.adcBits - 1;
  let v = 0;
  for (let k = 0; k < nIn; k++) {
    for (let pw = 0; pw < nPol * nW; pw++) {
      const j = pw % nW;
      const fullScale = fullScaleFrac * maxColumnSum(rowsUsed, tile.dacBits, 1) * tops[j];
      // the range the ADC spans: the full scale, or the calibrated largest sum (capped at it)
      const range = calibratedMax ? Math.min(calibratedMax[k * nPol * nW + pw], fullScale) : fullScale;
      const delta = Math.max(1, range / maxCode);
      // an ADC that resolves every sum of its range to the unit (on-grid digits) adds no error
      if (delta <= 1 && maxCode >= range) continue;
      let vkj = (delta * delta) / 12;
      if (moments) {
        const [a1, a2] = moments.input[k];
        const [b1, b2] = moments.weight[j];
        const mean = rowsUsed * a1 * b1;
        vkj = Math.min(vkj, rowsUsed * Math.max(a2 * b2 - a1 * a1 * b1 * b1, 0) + mean * mean);
      }
      v += 4 ** (k * tile.dacBits + j * tile.cellBits) * vkj;
    }
  }
  return Math.sqrt(12 * v);
}

/** Input vectors per group the calibrated ADC ranges of the training op are taken from. */
const CALIBRATION_SAMPLE = 32;

/**
 * The largest column sum of each (input slice k, column group pw) of one row tile, exactly, on
 * the first `CALIBRATION_SAMPLE` input vectors: the sliced digits of the codes (`dacSlices`) times
 * the slice digits of the weight codes (per polarity), one matmul; returns [k·nPW + pw].
 */
function calibratedMaxima(xu: tf.Tensor3D, codes: tf.Tensor3D, tile: CimTileParams, inputBits: number, weightBits: number): Float64Array {
  const nIn = inputSlices(tile.dacBits, inputBits);
  const nW = weightSlices(tile, weightBits);
  const nPol = tile.differential ? 2 : 1;
  const m = tf.tidy(() => {
    const [G, R0, F] = xu.shape;
    const R = Math.min(R0, CALIBRATION_SAMPLE);
    const O = codes.shape[2];
    const xs = R === R0 ? xu : tf.slice(xu, [0, 0, 0], [G, R, F]);
    const xd = dacSlices(xs, tile.dacBits, nIn); // [G, nIn·R, F]
    const stored = tile.differential ? [tf.relu(codes), tf.relu(tf.neg(codes))] : [tf.add(codes, 2 ** (weightBits - 1) - 1)];
    // slice digits of each polarity: [G, F, O] → [G, nW·F, O] (slice-major) → [G, F, nW·O]
    const groups = stored.map((st) => tf.transpose(tf.reshape(dacSlices(tf.transpose(st, [0, 2, 1]) as tf.Tensor3D, tile.cellBits, nW), [G, nW, O, F]), [0, 3, 1, 2]));
    const wd = tf.reshape(tf.concat(groups, 2), [G, F, nPol * nW * O]) as tf.Tensor3D;
    const prod = tf.reshape(tf.matMul(xd, wd), [G, nIn, R, nPol * nW, O]);
    return tf.max(prod, [0, 2, 4]); // [nIn, nPW]
  });
  const a = m.dataSync();
  m.dispose();
  return Float64Array.from(a);
}

/**
 * Digit moments of one call: input digits of the offset-binary codes (all vectors), weight
 * digits of |w_int| per device of a pair (differential: half the devices of a pair hold 0, so
 * the moments are over both devices) or of w_int + offset (single-ended).
 */
/** Input vectors per group the digit moments are taken from (the first ones of the call). */
const MOMENT_SAMPLE = 256;

function sliceMoments(xu: tf.Tensor3D, w: tf.Tensor3D, tile: CimTileParams, inputBits: number, weightBits: number, columnScale = false): SliceMoments {
  const nIn = inputSlices(tile.dacBits, inputBits);
  const nW = weightSlices(tile, weightBits);
  const v = tf.tidy(() => {
    // a fixed sample of input vectors is enough for two moments (and keeps the op cheap)
    const [G, R0, F] = xu.shape;
    const R = Math.min(R0, MOMENT_SAMPLE);
    const xs = R === R0 ? xu : tf.slice(xu, [0, 0, 0], [G, R, F]);
    const d = tf.reshape(dacSlices(xs, tile.dacBits, nIn), [G, nIn, R * F]);
    const inM = tf.stack([tf.mean(d, [0, 2]), tf.mean(tf.square(d), [0, 2])], 1);
    const levels = 2 ** (weightBits - 1) - 1;
    const code = tf.round(tf.mul(tf.div(w, tf.maximum(columnScale ? tf.max(tf.abs(w), 1, true) : tf.max(tf.abs(w)), 1e-30)), levels));
    const stored = tile.differential ? tf.abs(code) : tf.add(code, levels);
    const flat = tf.reshape(stored, [1, 1, -1]) as tf.Tensor3D;
    const wd = tf.reshape(dacSlices(flat, tile.cellBits, nW), [nW, -1]);
    // differential: each weight's digits sit on one device of two, the other holds 0
    const share = tile.differential ? 0.5 : 1;
    const wM = tf.mul(tf.stack([tf.mean(wd, 1), tf.mean(tf.square(wd), 1)], 1), share);
    return tf.concat([tf.reshape(inM, [-1]), tf.reshape(wM, [-1])]);
  });
  const a = v.dataSync();
  v.dispose();
  const pairs = (off: number, n: number) => Array.from({ length: n }, (_, i) => [a[off + 2 * i], a[off + 2 * i + 1]] as [number, number]);
  return { input: pairs(0, nIn), weight: pairs(2 * nIn, nW) };
}

/**
 * A differentiable CIM-aware weight op for hardware-aware training (NeuRRAM's noise-resilient
 * training, Wan et al. 2022; partial-sum quantisation as in mixed-precision CIM training). Per
 * call, in the forward pass:
 * - activations quantised as the tile simulator does (`activationCodes`, one scale per input
 *   vector), weights to `weightBits` of max|W| — both straight-through (identity gradient);
 * - programming noise N(0, (σ_w·max|W|)²) drawn afresh (σ_w = `slicedWeightNoise`: what the
 *   bit-sliced programming of the tile does), a constant of the step (no gradient);
 * - the fan-in split into row tiles of `tile.rows`; each tile's partial sum quantised with the
 *   step equivalent to its per-slice ADC errors at a precision drawn from `adcBitsChoices`
 *   (`equivalentAdcStep`), straight-through; with dither the error is uniform, zero-mean and
 *   independent of the sum (Schuchman 1964), as the sum of many small slice errors is; without,
 *   plain rounding.
 * It does not simulate the slices themselves (that is 10–60× the matmul work, see the tile
 * simulator), so the systematic part of a coarse ADC (small column sums rounding to 0) is not
 * reproduced. Gradients: dL/dx = dy·Wᵀ and dL/dW = xᵀ·dy through the noisy quantised product.
 */
export function createCimAwareLinear(opts: CimAwareLinearOptions): LinearOverride {
  const inB = opts.inputBits === 0 ? 0 : checkNumber(opts.inputBits, 'inputBits', { integer: true, min: 2, max: 16 });
  const wB = opts.weightBits === 0 ? 0 : checkNumber(opts.weightBits, 'weightBits', { integer: true, min: 2, max: 16 });
  // with quantisation off, check the tile against the widest precision
  const { tile } = validateTile(opts.tile, opts.device, inB || 16, wB || 16);
  if (!Array.isArray(opts.adcBitsChoices) || opts.adcBitsChoices.length === 0) throw new ConfigError('adcBitsChoices', opts.adcBitsChoices, 'a non-empty list of ADC bits (0 = ideal)');
  const choices = opts.adcBitsChoices.map((b, i) => checkNumber(b, `adcBitsChoices[${i}]`, { integer: true, min: 0, max: 24 }));
  const sigma = checkNumber(opts.programmingNoise, 'programmingNoise', { min: 0, max: 1 });
  const fsFrac = checkNumber(opts.adcFullScaleFrac ?? 1, 'adcFullScaleFrac', { above: 0, max: 1 });
  const dither = opts.dither ?? true;
  const dataAware = opts.dataAwareAdc ?? true;
  const calibrated = oneOf(opts.adcRange ?? 'calibrated', 'adcRange', ['full-scale', 'calibrated'] as const) === 'calibrated';
  const columnScale = oneOf(opts.weightScale ?? 'column', 'weightScale', ['layer', 'column'] as const) === 'column';
  const only = opts.layers ? new Set(opts.layers) : null;
  const noiseStd = wB > 0 ? slicedWeightNoise(tile, wB, sigma) : sigma;
  const rng = opts.rng;
  const levelsW = 2 ** (wB - 1) - 1;
  // max|W| per output column ([G, 1, O]) or per layer (scalar), as the tile simulator's weightScale
  const fullScaleW = (w: tf.Tensor) => (columnScale ? tf.max(tf.abs(w), 1, true) : tf.max(tf.abs(w)));
  const quantW = straightThrough((w) => tf.tidy(() => {
    const step = tf.div(tf.maximum(fullScaleW(w), 1e-30), levelsW);
    return tf.mul(tf.round(tf.div(w, step)), step);
  }));
  const quantX = straightThrough((x) => tf.tidy(() => {
    const c = activationCodes(x as tf.Tensor3D, inB);
    return tf.mul(tf.sub(c.xu, c.offset), c.step);
  }));

  return (op, x, w) => {
    if (only && !only.has(op.layer)) return null;
    const adcBits = choices[rng.int(choices.length)];
    const noiseSeed = rng.nextSeed();
    const ditherSeed = rng.nextSeed();
    const [G, R, F] = x.shape;
    const O = w.shape[2];
    let wMax = 0;
    // the column's (or layer's) full scale as data: a constant of the step (no gradient through max)
    let scaleData: Float32Array | null = null;
    if (sigma > 0 || (adcBits > 0 && inB > 0 && wB > 0)) {
      const m = tf.tidy(() => fullScaleW(w));
      scaleData = m.dataSync() as Float32Array;
      m.dispose();
      for (const v of scaleData) wMax = Math.max(wMax, v);
    }
    return tf.tidy(() => {
      const xq = inB > 0 ? (quantX(x) as tf.Tensor3D) : x;
      let wq = wB > 0 ? (quantW(w) as tf.Tensor3D) : w;
      // the column's (or layer's) full scale, a constant of the step
      const wScale = scaleData ? (columnScale ? tf.tensor3d(scaleData, [G, 1, O]) : tf.scalar(scaleData[0])) : tf.scalar(0);
      if (sigma > 0 && wMax > 0) wq = tf.add(wq, tf.mul(tf.reshape(gaussianNoise([G * F, O], noiseStd, noiseSeed), [G, F, O]), wScale));
      // one real-unit step per input vector and column: (s/L_x)·(max|W|/L_w) per integer product
      const codes = adcBits > 0 && inB > 0 && wB > 0 && wMax > 0 ? activationCodes(x, inB) : null;
      const unit = codes ? tf.mul(codes.step, tf.div(wScale, levelsW)) : null;
      const moments = codes && dataAware ? sliceMoments(codes.xu, w, tile, inB, wB, columnScale) : undefined;
      const wCodes = codes && calibrated ? tf.round(tf.div(w, tf.div(tf.maximum(wScale, 1e-30), levelsW))) as tf.Tensor3D : null;
      const parts: tf.Tensor3D[] = [];
      let t = 0;
      for (let start = 0; start < F; start += tile.rows, t++) {
        const rows = Math.min(tile.rows, F - start);
        const xs = rows === F ? xq : tf.slice(xq, [0, 0, start], [G, R, rows]);
        const ws = rows === F ? wq : tf.slice(wq, [0, start, 0], [G, rows, O]);
        let p: tf.Tensor3D = tf.matMul(xs, ws);
        const cal = wCodes ? calibratedMaxima(rows === F ? codes!.xu : tf.slice(codes!.xu, [0, 0, start], [G, R, rows]), rows === F ? wCodes : tf.slice(wCodes, [0, start, 0], [G, rows, O]), tile, inB, wB) : undefined;
        const stepInt = unit ? equivalentAdcStep(rows, { ...tile, adcBits }, inB, wB, fsFrac, moments, cal) : 0;
        if (stepInt > 0) {
          // an all-zero input vector has step 0 (its sum is exactly 0): divide by 1 there, not 0/0
          const delta = tf.maximum(tf.mul(unit!, stepInt), 1e-30);
          // U(−½, ½) as Φ(z) − ½ of table Gaussians (tf.randomUniform draws per element in JS)
          const u = dither ? tf.mul(tf.erf(tf.reshape(gaussianNoise([G * R, O], Math.SQRT1_2, ditherSeed + t), [G, R, O])), 0.5) : null;
          p = straightThrough((v) => tf.tidy(() => {
            const z = tf.div(v, delta);
            return tf.mul(u ? tf.sub(tf.round(tf.add(z, u)), u) : tf.round(z), delta);
          }))(p) as tf.Tensor3D;
        }
        parts.push(p);
      }
      return (parts.length === 1 ? parts[0] : tf.addN(parts)) as tf.Tensor3D;
    });
  };
}
