import type { DeviceModel, DeviceParams } from './types';

/**
 * NeuroSim nonlinear LTP/LTD device (MLP+NeuroSim V3.0; Chen et al., IEEE TCAD 2018).
 * LTP: G(p) = B(1 − e^{−p/A}) + G_min, B = (G_max − G_min)/(1 − e^{−P_max/A}), p ∈ [0, P_max].
 * LTD mirrors it from G_max: after q depression pulses G = G_max − B_d(1 − e^{−q/A_d}).
 * n pulses: invert the curve to the pulse coordinate, add n (times the device's pulse gain from
 * device-to-device variation), clamp to [0, P_max], map back. A = A_norm·P_max with A_norm from
 * the nonlinearity label (table below, interpolated).
 */
const NL_TABLE: readonly [number, number][] = [
  // [NL label, A_norm] — MLP+NeuroSim V3.0 user manual (Chen et al., IEEE TCAD 2018)
  [0.5, 2.52],
  [1, 1.25],
  [2.4, 0.5],
  [4.88, 0.2],
  [9, 0.023],
];

/** A_norm for a nonlinearity label; Infinity (linear) at 0. Log-interpolated between table rows. */
export function aNormFromNl(nl: number): number {
  const x = Math.abs(nl);
  if (x === 0) return Infinity;
  const [nl0, a0] = NL_TABLE[0];
  // below the first row: 1/A grows linearly from 0 (linear device) to 1/a0
  if (x <= nl0) return a0 * (nl0 / x);
  for (let i = 1; i < NL_TABLE.length; i++) {
    const [n1, a1] = NL_TABLE[i];
    const [n0, aa0] = NL_TABLE[i - 1];
    if (x <= n1) return Math.exp(Math.log(aa0) + ((x - n0) / (n1 - n0)) * (Math.log(a1) - Math.log(aa0)));
  }
  return NL_TABLE[NL_TABLE.length - 1][1];
}

/** Normalised curve x(p) ∈ [0,1] after p pulses from the start bound, and its inverse. */
export function curve(p: number, pMax: number, a: number): number {
  if (!Number.isFinite(a)) return p / pMax;
  return (1 - Math.exp(-p / a)) / (1 - Math.exp(-pMax / a));
}
export function inverseCurve(x: number, pMax: number, a: number): number {
  if (!Number.isFinite(a)) return x * pMax;
  const inner = 1 - x * (1 - Math.exp(-pMax / a));
  return inner <= 0 ? pMax : -a * Math.log(inner);
}

export const neurosimNonlinearModel: DeviceModel = {
  name: 'neurosim-nonlinear-v1',
  description: 'NeuroSim exponential LTP/LTD curves from nonlinearity labels and a number of levels (pulse-coordinate closed form)',
  update(g, n, dev, params: DeviceParams) {
    const pMax = params.levels;
    const aUp = aNormFromNl(params.nlLtp) * pMax;
    const aDown = aNormFromNl(params.nlLtd) * pMax;
    for (let i = 0; i < g.length; i++) {
      const k = n[i];
      if (k === 0) continue;
      const lo = dev.gLo[i];
      const r = dev.gHi[i] - lo;
      let x = (g[i] - lo) / r;
      x = x < 0 ? 0 : x > 1 ? 1 : x;
      if (k > 0) {
        const gain = dev.dgUp[i] / params.dgMin;
        const p = Math.min(pMax, inverseCurve(x, pMax, aUp) + k * gain);
        x = curve(p, pMax, aUp);
      } else {
        const gain = dev.dgDown[i] / params.dgMin;
        const q = Math.min(pMax, inverseCurve(1 - x, pMax, aDown) - k * gain);
        x = 1 - curve(q, pMax, aDown);
      }
      g[i] = lo + r * x;
    }
  },
  granularity: (p) => 1 / p.levels,
};
