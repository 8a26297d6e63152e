import { checkNumber, Rng } from '@cosearch/core';
import { programWeights, resolveDevice, type DeviceParams } from '@cosearch/cim-training';
import { crossbarShape, type SpikingNetwork } from './network';

/** How a network's weights are put on crossbars (cim-training's device models). */
export interface ProgramOptions {
  /** A cim-training device preset name (e.g. 'rram-neurram-v1') or full parameters. */
  device: DeviceParams | string;
  /** Signed weight bits (2^(bits−1) − 1 levels per sign); default: the device's levels. */
  weightBits?: number;
  /** Override of the device's programming noise (fraction of max|W|) and stuck probability. */
  programmingNoise?: number;
  stuckProbability?: number;
  /** Read noise: one read per chip, N(0, 2·readNoise²) of max|W| per weight (default: the device's). */
  readNoise?: number;
}

/**
 * Per-row conductance sums (siemens) of a weight matrix [rows × cols] on differential pairs, as
 * cim-training's `programWeights` maps it: each weight quantised to the levels of the layer's
 * max|W|, the positive part on G⁺ and the negative on G⁻, the idle device at G_min:
 * G = G_min + g·(G_max − G_min) with g = |q|/max|W| on the active device. A spike on row r draws
 * V_read²·t·rowConductanceS[r] from the read driver.
 */
export function rowConductancesS(w: Float32Array, rows: number, cols: number, device: DeviceParams | string, weightBits?: number): Float64Array {
  const p = resolveDevice(device);
  const levels = weightBits !== undefined ? 2 ** (checkNumber(weightBits, 'weightBits', { integer: true, min: 2, max: 16 }) - 1) - 1 : Math.max(1, Math.round(p.levels));
  let wMax = 0;
  for (const v of w) wMax = Math.max(wMax, Math.abs(v));
  const range = p.gMaxSiemens - p.gMinSiemens;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const q = wMax > 0 ? Math.round((w[r * cols + c] / wMax) * levels) / levels : 0;
      s += 2 * p.gMinSiemens + Math.abs(q) * range;
    }
    out[r] = s;
  }
  return out;
}

/**
 * One simulated chip: every layer's weights programmed onto differential pairs with
 * cim-training's `programWeights` (quantisation, programming noise, stuck-at devices of the
 * device preset), read once with the device's read noise, plus the row conductances for read
 * energy. Biases stay exact (added by the neuron circuit). Seeded: same `rng` → same chip.
 */
export function programNetwork(net: SpikingNetwork, opts: ProgramOptions, rng: Rng): SpikingNetwork {
  const device = resolveDevice(opts.device);
  const readNoise = checkNumber(opts.readNoise ?? device.readNoise, 'readNoise', { min: 0, max: 1 });
  const layers = net.layers.map((l) => {
    let w = programWeights(l.weights, {
      device,
      weightBits: opts.weightBits,
      programmingNoise: opts.programmingNoise,
      stuckProbability: opts.stuckProbability,
      rng: rng.fork(l.name),
    });
    if (readNoise > 0) {
      let m = 0;
      for (const v of l.weights) m = Math.max(m, Math.abs(v));
      const sd = readNoise * Math.SQRT2 * m;
      const rr = rng.fork(`read-${l.name}`);
      w = w.map((v) => v + sd * rr.normal());
    }
    return { ...l, weights: w };
  });
  return { inputShape: net.inputShape, layers, rowConductanceS: withConductances(net, device, opts.weightBits) };
}

/** Row conductances of every layer (the nominal mapping, no noise), for read energy. */
export function withConductances(net: SpikingNetwork, device: DeviceParams | string, weightBits?: number): Float64Array[] {
  return net.layers.map((l) => {
    const { rows, cols } = crossbarShape(l);
    return rowConductancesS(l.weights, rows, cols, device, weightBits);
  });
}
