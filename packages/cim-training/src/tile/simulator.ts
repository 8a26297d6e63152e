import { tf } from '@cosearch/backend';
import { checkNumber, oneOf, type CimTileParams, type Rng } from '@cosearch/core';
import { gaussianNoise } from '../crossbar/noise';
import type { DeviceParams } from '../devices/types';
import type { LinearOverride, WeightOpCall } from './hook';
import { adcStep, inputSlices, maxColumnSum, validateTile, weightSlices, type ResolvedTile } from './params';
import { programSlices } from './program';
import { activationCodes, dacSlices, weightCodes } from './quant';

export interface TileSimulatorOptions {
  /** The tile the hardware model costs for the candidate (core `CimTileParams`, e.g. hardware's `cimTileParams(hw)`). */
  tile: CimTileParams;
  /** Device preset name or parameters: programming noise, stuck devices, bounds spread, read noise. */
  device: DeviceParams | string;
  /** Activation bits applied through the DACs (LayerSpec inputBits, default 8 there). */
  inputBits: number;
  /** Signed weight bits, one full scale max|W| per layer. */
  weightBits: number;
  /** One stream per simulated chip: device population, programming noise and read noise fork from it. */
  rng: Rng;
  /** Layers mapped on CIM (LayerSpec names); others return null (digital). Default: every weight op. */
  layers?: Iterable<string>;
  /** Pair error per slice as a fraction of the device range (each device σ/√2); default the device's. */
  programmingNoise?: number;
  /** Stuck-device probability, half at G_min and half at G_max; default the device's own rates. */
  stuckProbability?: number;
  /** Read noise per device and forward call: true = the device's `readNoise`, a number = that std (fraction of range); default off. */
  readNoise?: boolean | number;
  /** ADC full scale as a fraction of the largest possible column sum (default 1 = NeuroSim/ISAAC sizing). */
  adcFullScaleFrac?: number;
  /**
   * 'full-scale' (default): every conversion spans the full scale above. 'calibrated': the range
   * of each (row tile, input slice, weight slice, polarity) is set once per chip and layer to the
   * largest column sum of the first forward call (a calibration batch), capped at the full scale.
   */
  adcRange?: 'full-scale' | 'calibrated';
  /**
   * Weight full scale: 'column' (default) = one per output column (and depthwise channel), its
   * scale applied digitally after the shift-and-add (aihwkit's `weight_scaling_columnwise`), so
   * the codes of a column with small weights still span the cell levels and the programming
   * error (a fraction of the device range) is relative to that column's max|W|; 'layer' = one
   * max|W| per layer.
   */
  weightScale?: 'layer' | 'column';
  /** Run exactly linear layers (lossless ADC, devices on their digits, no read noise) as one matmul (default true; false forces the slices, for tests and benchmarks). */
  exactFastPath?: boolean;
}

/** What the simulator did per layer (for reports and the cost-model cross-check). */
export interface TileLayerStats {
  calls: number;
  /** Input vectors (rows of x, all groups) processed. */
  vectors: number;
  /** ADC conversions simulated (0 on the exact fast path, which needs none to be simulated). */
  conversions: number;
  /** Row tiles (crossbars stacked along the input rows) and whether every one is lossless. */
  rowTiles: number;
  lossless: boolean;
  /** Devices programmed on this chip for the layer. */
  devices: number;
}

export interface TileSimulator {
  /** The hook for the supernet's forward pass (or any [G, rows, fanIn] × [G, fanIn, fanOut] op). */
  linear: LinearOverride;
  readonly resolved: ResolvedTile;
  stats(): Record<string, TileLayerStats>;
  /** Frees the programmed conductances (tensors kept across calls). */
  dispose(): void;
}

interface LayerState {
  shapeKey: string;
  G: number;
  F: number;
  O: number;
  /** Dequantisation of one weight code per column (max|W|/(2^(b−1) − 1)), [G, 1, O]. */
  wStep: tf.Tensor3D;
  weightOffset: number;
  /**
   * Per row tile: rows used, codes clipped at, conductances [G, Ft, nPW·O] (digit units), and the
   * ADC step of each (input slice k, column group pw) at k·nPW + pw (null until calibrated).
   */
  tiles: { start: number; rows: number; maxCode: number; fullScale: Float64Array; w: tf.Tensor3D; steps: Float64Array | null }[];
  /** Programmed conductances [G, F, nPW·O] in digit units (kept for read noise). */
  digits: tf.Tensor3D;
  coef: tf.Tensor3D;
  coefJs: Float64Array;
  /** Largest digit of each column group (its slice's digit at G_max). */
  topJs: Float64Array;
  /** Shift-add combination Σ coef·digits, [G, F, O] (the exact fast path). */
  combined: tf.Tensor3D;
  /** Σ_rows of the stored weight per column, [G, 1, O] (calibration read, subtracted times the input offset). */
  colSum: tf.Tensor3D;
  fast: boolean;
  stats: TileLayerStats;
}

/** Elements of one slice-product chunk (bounds memory: 2^22 floats = 16 MB). */
const CHUNK_ELEMENTS = 1 << 22;

/**
 * Tile-accurate CIM inference of weight ops, driven by the tile parameters the hardware model
 * costs. Per call (x: [G, R, F], w: [G, F, O]):
 * 1. activations → integer codes, one scale per input vector (`activationCodes`: unsigned after
 *    ReLU, offset-binary when negative entries exist), cut into ⌈b_in/b_dac⌉ DAC slices;
 * 2. weights → codes of one full scale per output column (`weightScale`, default) or per layer, bit-sliced over `cellBits` onto differential
 *    pairs (single devices + digital reference when `differential` is false) and programmed once
 *    per chip and layer (`programSlices`, cached by layer name);
 * 3. the F input rows split into row tiles of `tile.rows` (one crossbar each; depthwise groups
 *    are block-diagonal, so each column still sums only its group's rows); every column sum of
 *    every (input slice, weight slice, polarity, tile) is converted by the ADC (`adcStep`);
 * 4. digital shift-and-add over input slices (2^(k·b_dac)), weight slices (±2^(j·b_cell)) and
 *    tiles; minus the input offset times the calibrated column sums; times the two scales.
 * A tile whose ADC is lossless for its rows, on a chip whose devices hold their digits exactly
 * (no noise, no stuck device, no read noise), is linear: it runs as one matmul with the combined
 * weights, which is identical to the sliced computation.
 */
export function createTileSimulator(opts: TileSimulatorOptions): TileSimulator {
  const resolved = validateTile(opts.tile, opts.device, opts.inputBits, opts.weightBits);
  const { tile, inputBits, weightBits } = resolved;
  const device = { ...resolved.device };
  const sigma = checkNumber(opts.programmingNoise ?? device.programmingNoise, 'programmingNoise', { min: 0, max: 1 });
  if (opts.stuckProbability !== undefined) {
    const p = checkNumber(opts.stuckProbability, 'stuckProbability', { min: 0, max: 1 });
    device.stuckAtMinProb = p / 2;
    device.stuckAtMaxProb = p / 2;
  }
  const readStd = opts.readNoise === true ? device.readNoise : opts.readNoise === undefined || opts.readNoise === false ? 0 : checkNumber(opts.readNoise, 'readNoise', { min: 0, max: 1 });
  const fsFrac = checkNumber(opts.adcFullScaleFrac ?? 1, 'adcFullScaleFrac', { above: 0, max: 1 });
  const columnScale = oneOf(opts.weightScale ?? 'column', 'weightScale', ['layer', 'column'] as const) === 'column';
  const calibrated = oneOf(opts.adcRange ?? 'full-scale', 'adcRange', ['full-scale', 'calibrated'] as const) === 'calibrated';
  const only = opts.layers ? new Set(opts.layers) : null;
  const nIn = inputSlices(tile.dacBits, inputBits);
  const nW = weightSlices(tile, weightBits);
  const nPW = (tile.differential ? 2 : 1) * nW;
  const cache = new Map<string, LayerState>();

  const program = (op: WeightOpCall, w: tf.Tensor3D): LayerState => {
    const [G, F, O] = w.shape;
    const shapeKey = w.shape.join('x');
    const hit = cache.get(op.layer);
    if (hit) {
      if (hit.shapeKey !== shapeKey) throw new RangeError(`tile simulator: layer ${op.layer} was programmed as ${hit.shapeKey}, now called with ${shapeKey} (one simulator per chip and subnet)`);
      return hit;
    }
    const { codes, steps } = weightCodes(w.dataSync() as Float32Array, weightBits, columnScale ? 'column' : 'layer', { G, F, O });
    const p = programSlices(codes, weightBits, G, F, O, { cellBits: tile.cellBits, differential: tile.differential, slices: nW, programmingNoise: sigma, device }, opts.rng.fork(`program:${op.layer}`));
    const colSum = new Float32Array(G * O);
    for (let g = 0; g < G; g++) {
      for (let f = 0; f < F; f++) {
        for (let pw = 0; pw < nPW; pw++) {
          const base = ((g * F + f) * nPW + pw) * O;
          for (let o = 0; o < O; o++) colSum[g * O + o] += p.coef[pw] * p.digits[base + o];
        }
      }
    }
    const tiles: LayerState['tiles'] = [];
    let lossless = true;
    const state = tf.tidy(() => {
      const digits = tf.tensor3d(p.digits, [G, F, nPW * O]);
      const coef = tf.tensor3d(Array.from(p.coef), [1, nPW, 1]);
      const combined = tf.reshape(tf.sum(tf.mul(tf.reshape(digits, [G * F, nPW, O]), coef), 1), [G, F, O]) as tf.Tensor3D;
      for (let start = 0; start < F; start += tile.rows) {
        const rows = Math.min(tile.rows, F - start);
        const maxCode = 2 ** tile.adcBits - 1;
        // per column group: full scale = the largest column sum of its slice's digits (G_max on every row)
        const fullScale = Float64Array.from(p.sliceTop, (top) => fsFrac * maxColumnSum(rows, tile.dacBits, 1) * top);
        const stepPw = Float64Array.from(p.sliceTop, (top) => adcStep(rows, tile, fsFrac, top));
        for (let pw = 0; pw < nPW; pw++) if (stepPw[pw] > 1 || maxCode < maxColumnSum(rows, tile.dacBits, 1) * p.sliceTop[pw]) lossless = false;
        const part = rows === F ? digits : tf.keep(tf.slice(digits, [0, start, 0], [G, rows, nPW * O]));
        const steps = calibrated ? null : Float64Array.from({ length: nIn * nPW }, (_, i) => stepPw[i % nPW]);
        tiles.push({ start, rows, maxCode, fullScale, w: part, steps });
      }
      return { digits, coef, combined, colSum: tf.tensor3d(colSum, [G, 1, O]), wStep: tf.tensor3d(Float32Array.from(steps), [G, 1, O]) };
    });
    // kept: the caller's forward usually runs inside its own tf.tidy
    for (const t of Object.values(state)) tf.keep(t);
    const s: LayerState = {
      shapeKey, G, F, O, weightOffset: p.weightOffset, tiles, ...state, coefJs: p.coef, topJs: p.sliceTop,
      fast: (opts.exactFastPath ?? true) && lossless && p.onGrid && readStd === 0,
      stats: { calls: 0, vectors: 0, conversions: 0, rowTiles: tiles.length, lossless, devices: p.digits.length },
    };
    cache.set(op.layer, s);
    return s;
  };

  const readRngs = new Map<string, Rng>();
  const linear: LinearOverride = (op, x, w) => {
    if (only && !only.has(op.layer)) return null;
    const s = program(op, w);
    const [G, R, F] = x.shape;
    if (F !== s.F || G !== s.G) throw new RangeError(`tile simulator: layer ${op.layer} got x ${x.shape} for w ${w.shape}`);
    s.stats.calls++;
    s.stats.vectors += G * R;
    let readSeed = 0;
    if (readStd > 0) {
      if (!readRngs.has(op.layer)) readRngs.set(op.layer, opts.rng.fork(`read:${op.layer}`));
      readSeed = readRngs.get(op.layer)!.nextSeed();
    }
    return tf.tidy(() => {
      const { xu, offset, step } = activationCodes(x, inputBits);
      let analog: tf.Tensor3D;
      if (s.fast) {
        analog = tf.matMul(xu, s.combined);
      } else {
        const tilesW = readStd > 0 ? readTiles(s, readStd, readSeed) : s.tiles.map((t) => t.w);
        const out = slicedColumnSums(xu.dataSync() as Float32Array, G, R, F, s, tilesW, tile.dacBits, nIn, tile.adcBits);
        s.stats.conversions += G * R * nIn * nPW * s.O * s.tiles.length;
        analog = tf.tensor3d(out, [G, R, s.O]);
      }
      // y_int = Σ(xu − o_x)(W − o_w) = analog − o_x·Σ_rows W − o_w·Σ_rows xu + o_x·o_w·F
      let yInt = tf.sub(analog, tf.mul(offset, s.colSum));
      if (s.weightOffset !== 0) {
        yInt = tf.add(tf.sub(yInt, tf.mul(tf.sum(xu, 2, true), s.weightOffset)), tf.mul(offset, s.weightOffset * F));
      }
      return tf.mul(yInt, tf.mul(step, s.wStep)) as tf.Tensor3D;
    });
  };

  return {
    linear,
    resolved,
    stats: () => Object.fromEntries([...cache].map(([k, v]) => [k, { ...v.stats }])),
    dispose: () => {
      for (const s of cache.values()) tf.dispose([s.digits, s.coef, s.combined, s.colSum, s.wStep, ...s.tiles.map((t) => t.w).filter((w) => w !== s.digits)]);
      cache.clear();
    },
  };
}

/**
 * Every ADC conversion of one call, and the digital shift-add. Per row tile and chunk of input
 * vectors: the DAC digits of the codes (k-major: [G, nIn·rows, Ft], built in JS), one matmul with
 * the tile's conductances ([G, Ft, nPW·O]) gives every column sum; each is divided by its ADC
 * step, rounded to the nearest code (half up) and clipped to [0, maxCode]; the codes are summed
 * with weights 2^(k·b_dac)·coef_pw·step. With `adcRange: 'calibrated'` the steps are set from the
 * first chunk of the first call. The digit extraction and the code arithmetic run in plain JS
 * loops: as tfjs element-wise ops over the [nIn·R, nPW·O] products they cost 2–3× the matmul.
 * Returns Σ over tiles, in integer product units, [G, R, O].
 */
function slicedColumnSums(xu: Float32Array, G: number, R: number, F: number, s: LayerState, tilesW: tf.Tensor3D[], dacBits: number, nIn: number, adcBits: number): Float32Array {
  const O = s.O;
  const nPW = s.coefJs.length;
  const cols = nPW * O;
  const out = new Float32Array(G * R * O);
  const mask = 2 ** dacBits - 1;
  const rc = Math.max(1, Math.min(R, Math.floor(CHUNK_ELEMENTS / (G * nIn * cols))));
  const xi = Int32Array.from(xu);
  s.tiles.forEach((t, ti) => {
    const Ft = t.rows;
    for (let r0 = 0; r0 < R; r0 += rc) {
      const rn = Math.min(rc, R - r0);
      // written in X's own order (g, k, r, f): sequential stores, each code read once per slice
      const X = new Float32Array(G * nIn * rn * Ft);
      let at = 0;
      for (let g = 0; g < G; g++) {
        for (let k = 0; k < nIn; k++) {
          const shift = k * dacBits;
          for (let r = 0; r < rn; r++) {
            const src = (g * R + r0 + r) * F + t.start;
            for (let f = 0; f < Ft; f++) X[at++] = (xi[src + f] >>> shift) & mask;
          }
        }
      }
      const prod = tf.tidy(() => tf.matMul(tf.tensor3d(X, [G, nIn * rn, Ft]), tilesW[ti]));
      const S = prod.dataSync() as Float32Array;
      prod.dispose();
      if (t.steps === null) t.steps = calibrate(S, G, nIn, rn, nPW, O, t.fullScale, adcBits);
      const steps = t.steps;
      const maxCode = t.maxCode;
      const coef = s.coefJs;
      for (let g = 0; g < G; g++) {
        for (let k = 0; k < nIn; k++) {
          const kScale = 2 ** (k * dacBits);
          for (let r = 0; r < rn; r++) {
            const src = ((g * nIn + k) * rn + r) * cols;
            const dst = (g * R + r0 + r) * O;
            for (let pw = 0; pw < nPW; pw++) {
              const step = steps[k * nPW + pw];
              const inv = 1 / step;
              const c = kScale * coef[pw] * step;
              const base = src + pw * O;
              for (let o = 0; o < O; o++) {
                // round half up; (v + 0.5) | 0 truncates toward 0, so negatives land on 0 or below and clip
                const q = (S[base + o] * inv + 0.5) | 0;
                out[dst + o] += c * (q < 0 ? 0 : q > maxCode ? maxCode : q);
              }
            }
          }
        }
      }
    }
  });
  return out;
}

/**
 * Calibrated ADC steps of one row tile: per (input slice k, column group pw), the largest column
 * sum of this call (all groups, vectors and columns), capped at the full scale, over 2^b − 1
 * codes, never finer than one unit product.
 */
function calibrate(S: Float32Array, G: number, nIn: number, rn: number, nPW: number, O: number, fullScale: Float64Array, adcBits: number): Float64Array {
  const mx = new Float64Array(nIn * nPW);
  for (let g = 0; g < G; g++) {
    for (let k = 0; k < nIn; k++) {
      for (let r = 0; r < rn; r++) {
        const src = ((g * nIn + k) * rn + r) * nPW * O;
        for (let pw = 0; pw < nPW; pw++) {
          let m = mx[k * nPW + pw];
          for (let o = 0; o < O; o++) if (S[src + pw * O + o] > m) m = S[src + pw * O + o];
          mx[k * nPW + pw] = m;
        }
      }
    }
  }
  return mx.map((m, i) => Math.max(1, Math.min(m, fullScale[i % nPW]) / (2 ** adcBits - 1)));
}

/** The tiles as read in one forward call: programmed conductances + N(0, std²) of the range per device (std·top digits). */
function readTiles(s: LayerState, std: number, seed: number): tf.Tensor3D[] {
  const [G, F, C] = s.digits.shape;
  const scale = tf.tensor3d(Float32Array.from({ length: C }, (_, c) => std * s.topJs[Math.floor(c / s.O)]), [1, 1, C]);
  const noise = tf.mul(tf.reshape(gaussianNoise([G * F, C], 1, seed), [G, F, C]), scale) as tf.Tensor3D;
  const read = tf.add(s.digits, noise) as tf.Tensor3D;
  return s.tiles.map((t) => (t.rows === F ? read : tf.slice(read, [0, t.start, 0], [G, t.rows, C])) as tf.Tensor3D);
}
