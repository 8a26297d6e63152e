import { checkNumber, type Rng } from '@cosearch/core';
import { resolveDevice } from './devices/presets';
import type { DeviceParams } from './devices/types';

export interface ProgramWeightsOptions {
  device: DeviceParams | string;
  /** Signed weight bits: 2^(bits−1) − 1 levels per sign; default: the device's number of levels per sign. */
  weightBits?: number;
  rng: Rng;
  /**
   * Programming noise σ as a fraction of max|W| (NeuRRAM's σ = α·max|W|): each device of the pair
   * gets N(0, (σ/√2)²) of its range, so an unclipped pair errs by σ·max|W|; default: the device's.
   */
  programmingNoise?: number;
  /** Probability that a device is stuck (half at G_min, half at G_max); default: the device's. */
  stuckProbability?: number;
  /** Optional conductance drift G(t) = G₀·(t/t0S)^(−nu) (PCM-like), applied after programming. */
  drift?: { nu: number; timeS: number; t0S?: number };
}

/**
 * The weight tensor as it reads back from one simulated chip: each weight is quantised to the
 * available levels of the layer's full scale max|W|, mapped onto a differential pair (the
 * positive part on G⁺, the negative on G⁻, the other device at G_min), each device written with
 * Gaussian error N(0, (σ/√2)²) of its range (a pair error of σ·max|W| before clipping), clipped to
 * [G_min, G_max], stuck devices pinned to a bound, optional drift; then read back as
 * max|W|·(g⁺ − g⁻). A device cannot land below G_min, so the idle device of each pair (and the
 * full-scale one at G_max) loses part of its noise: on trained LeNet-5 layers at 4 bits the
 * realised weight-error std is 0.83–0.88·σ·max|W| (measured). Usable as the supernet's
 * `weightTransform` (one rng fork per tensor).
 */
export function programWeights(w: Float32Array, opts: ProgramWeightsOptions): Float32Array {
  const p = resolveDevice(opts.device);
  const sigma = checkNumber(opts.programmingNoise ?? p.programmingNoise, 'programmingNoise', { min: 0, max: 1 }) / Math.SQRT2;
  const stuck = checkNumber(opts.stuckProbability ?? p.stuckAtMinProb + p.stuckAtMaxProb, 'stuckProbability', { min: 0, max: 1 });
  const levels = opts.weightBits !== undefined ? 2 ** (checkNumber(opts.weightBits, 'weightBits', { integer: true, min: 2, max: 16 }) - 1) - 1 : Math.max(1, Math.round(p.levels));
  let wMax = 0;
  for (const v of w) wMax = Math.max(wMax, Math.abs(v));
  const out = new Float32Array(w.length);
  if (wMax === 0) return out;
  const rng = opts.rng;
  const range = p.gMaxSiemens - p.gMinSiemens;
  const driftFactor = opts.drift ? Math.pow(Math.max(opts.drift.timeS, opts.drift.t0S ?? 1) / (opts.drift.t0S ?? 1), -opts.drift.nu) : 1;
  const write = (target: number): number => {
    let g = target + (sigma > 0 ? sigma * rng.normal() : 0);
    if (stuck > 0 && rng.next() < stuck) g = rng.next() < 0.5 ? 0 : 1;
    g = g < 0 ? 0 : g > 1 ? 1 : g;
    if (driftFactor !== 1) g = ((p.gMinSiemens + g * range) * driftFactor - p.gMinSiemens) / range;
    return g;
  };
  for (let i = 0; i < w.length; i++) {
    const q = Math.round((w[i] / wMax) * levels) / levels;
    const gp = write(q > 0 ? q : 0);
    const gm = write(q < 0 ? -q : 0);
    out[i] = wMax * (gp - gm);
  }
  return out;
}
