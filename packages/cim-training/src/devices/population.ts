import type { Rng } from '@cosearch/core';
import type { DeviceArray, DeviceModel, DeviceParams } from './types';

/**
 * Draws the per-device parameters of one simulated chip: the step scale varies device to device
 * by N(1, dgStdD2d²) (aihwkit dw_min_dtod), each bound by N(0, boundsStdD2d²) of the range, and a
 * device is stuck at G_min / G_max with the given probabilities. Seeded: same rng → same chip.
 */
export function sampleDevices(params: DeviceParams, size: number, rng: Rng): DeviceArray {
  const dgUp = new Float32Array(size);
  const dgDown = new Float32Array(size);
  const gLo = new Float32Array(size);
  const gHi = new Float32Array(size);
  const stuck = new Int8Array(size);
  const up = params.dgMin * (1 + params.upDownAsymmetry);
  const down = params.dgMin * (1 - params.upDownAsymmetry);
  for (let i = 0; i < size; i++) {
    const s = params.dgStdD2d > 0 ? Math.max(0.05, 1 + params.dgStdD2d * rng.normal()) : 1;
    dgUp[i] = up * s;
    dgDown[i] = down * s;
    let lo = params.boundsStdD2d > 0 ? params.boundsStdD2d * rng.normal() : 0;
    let hi = params.boundsStdD2d > 0 ? 1 + params.boundsStdD2d * rng.normal() : 1;
    if (hi - lo < 0.2) [lo, hi] = [0.5 - 0.1, 0.5 + 0.1]; // keep a usable window on wild draws
    gLo[i] = lo;
    gHi[i] = hi;
    const u = params.stuckAtMinProb + params.stuckAtMaxProb > 0 ? rng.next() : 1;
    stuck[i] = u < params.stuckAtMinProb ? -1 : u < params.stuckAtMinProb + params.stuckAtMaxProb ? 1 : 0;
  }
  return { size, dgUp, dgDown, gLo, gHi, stuck };
}

/** A chip with no device-to-device variation and no faults (every device nominal). */
export function nominalDevices(params: DeviceParams, size: number): DeviceArray {
  return {
    size,
    dgUp: new Float32Array(size).fill(params.dgMin * (1 + params.upDownAsymmetry)),
    dgDown: new Float32Array(size).fill(params.dgMin * (1 - params.upDownAsymmetry)),
    gLo: new Float32Array(size).fill(0),
    gHi: new Float32Array(size).fill(1),
    stuck: new Int8Array(size),
  };
}

/** Pins stuck devices to their bound (call after any write). */
export function applyStuck(g: Float32Array, dev: DeviceArray): void {
  for (let i = 0; i < g.length; i++) if (dev.stuck[i] !== 0) g[i] = dev.stuck[i] < 0 ? dev.gLo[i] : dev.gHi[i];
}

/**
 * Applies signed pulse counts n to the devices: the model's closed-form update, then
 * cycle-to-cycle write noise N(0, c2cStd²·|n|) (independent per pulse, so variances add),
 * clipped to the device bounds; stuck devices do not move. Returns the pulses applied (Σ|n|).
 */
export function applyPulses(
  model: DeviceModel,
  params: DeviceParams,
  g: Float32Array,
  n: ArrayLike<number>,
  dev: DeviceArray,
  rng: Rng,
): number {
  model.update(g, n, dev, params);
  let pulses = 0;
  const c2c = params.c2cStd;
  for (let i = 0; i < g.length; i++) {
    const k = n[i];
    if (k === 0) continue;
    const a = k < 0 ? -k : k;
    pulses += a;
    if (dev.stuck[i] !== 0) {
      g[i] = dev.stuck[i] < 0 ? dev.gLo[i] : dev.gHi[i];
      continue;
    }
    if (c2c > 0) {
      const v = g[i] + c2c * Math.sqrt(a) * rng.normal();
      g[i] = v < dev.gLo[i] ? dev.gLo[i] : v > dev.gHi[i] ? dev.gHi[i] : v;
    }
  }
  return pulses;
}
