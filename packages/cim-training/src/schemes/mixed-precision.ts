import { checkNumber, type Rng } from '@cosearch/core';
import { recordProgramming, recordUpdate } from '../accounting';
import type { AnalogMatrix } from '../crossbar/analog-matrix';
import { initAnalog } from './analog-common';
import { thresholdPulses } from './threshold';
import type { SchemeContext, TrainingScheme, WeightLayerState } from './types';

export interface MixedPrecisionParams {
  /** ε = thresholdFactor × device granularity (weight units); each ε is thresholdFactor pulses. */
  thresholdFactor: number;
  /** Cap on pulses per device and programming step. */
  maxPulses: number;
  /** Program every `programEvery` steps (χ accumulates in between); 1 = every step. */
  programEvery: number;
  /** Array-wide (bulk) programming: all devices over threshold in one step, write time = max pulses. */
  bulk: boolean;
  /** Program-and-verify: up to this many read-and-correct rounds after each programming step (0 = blind). */
  verifyIterations: number;
}

export const MIXED_PRECISION_DEFAULTS: Readonly<MixedPrecisionParams> = Object.freeze({
  thresholdFactor: 1,
  maxPulses: 15,
  programEvery: 1,
  bulk: false,
  verifyIterations: 0,
});

/**
 * Mixed-precision training (Nandakumar et al., Front. Neurosci. 2020; aihwkit MixedPrecisionCompound): the
 * gradient accumulates in a digital high-precision χ; a device is programmed only when
 * |χ| ≥ ε: n = trunc(χ/ε), χ −= n·ε. Programming is blind (nominal n·ε subtracted) unless
 * verifyIterations > 0, where the written weights are read back and corrected toward the target.
 */
export function mixedPrecisionScheme(raw: Partial<MixedPrecisionParams> = {}): TrainingScheme {
  const p = { ...MIXED_PRECISION_DEFAULTS, ...raw };
  checkNumber(p.thresholdFactor, 'scheme.thresholdFactor', { integer: true, min: 1 });
  checkNumber(p.maxPulses, 'scheme.maxPulses', { integer: true, min: 1 });
  checkNumber(p.programEvery, 'scheme.programEvery', { integer: true, min: 1 });
  checkNumber(p.verifyIterations, 'scheme.verifyIterations', { integer: true, min: 0 });
  const capUnits = Math.max(1, Math.floor(p.maxPulses / p.thresholdFactor));
  let buf = new Int32Array(0);
  return {
    name: 'mixed-precision-v1',
    analog: true,
    init(layer, w0, ctx, rng) {
      initAnalog(layer, w0, ctx, rng);
      layer.chi = new Float32Array(layer.rows * layer.cols);
    },
    read: (layer, rng) => layer.analog!.read(rng),
    update(layer, grad, lr, step, ctx, rng) {
      const m = layer.analog!;
      const chi = layer.chi!;
      for (let i = 0; i < chi.length; i++) chi[i] -= lr * grad[i];
      if ((step + 1) % p.programEvery !== 0) {
        recordUpdate(layer.accounting, false);
        return;
      }
      if (buf.length < m.size) buf = new Int32Array(m.size);
      const n = buf.subarray(0, m.size);
      const eps = p.thresholdFactor * m.dwMin;
      const before = p.verifyIterations > 0 ? m.read() : null;
      const fired = thresholdPulses(chi, eps, capUnits, n);
      if (fired > 0) {
        if (p.thresholdFactor > 1) for (let i = 0; i < n.length; i++) n[i] *= p.thresholdFactor;
        recordProgramming(layer.accounting, m.applyWeightPulses(n, rng), ctx.device, p.bulk);
        if (before) verify(layer, m, before, n, ctx, rng, p);
      }
      recordUpdate(layer.accounting, fired > 0);
    },
    weights: (layer) => layer.analog!.read(),
  };
}

/** Read back the programmed devices and correct them toward w_before + n·dw_min (closed loop). */
function verify(layer: WeightLayerState, m: AnalogMatrix, before: Float32Array, n: Int32Array, ctx: SchemeContext, rng: Rng, p: MixedPrecisionParams): void {
  const target = new Float32Array(m.size);
  const idx: number[] = [];
  for (let i = 0; i < m.size; i++) {
    if (n[i] !== 0) {
      target[i] = before[i] + n[i] * m.dwMin;
      idx.push(i);
    }
  }
  const corr = new Int32Array(m.size);
  for (let it = 0; it < p.verifyIterations; it++) {
    const now = m.read(rng);
    layer.accounting.verifyReads += idx.length;
    corr.fill(0);
    let any = false;
    for (const i of idx) {
      const c = Math.max(-p.maxPulses, Math.min(p.maxPulses, Math.round((target[i] - now[i]) / m.dwMin)));
      corr[i] = c;
      if (c !== 0) any = true;
    }
    if (!any) break;
    recordProgramming(layer.accounting, m.applyWeightPulses(corr, rng), ctx.device, p.bulk);
  }
}
