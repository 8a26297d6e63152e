import type { Rng } from '@cosearch/core';

/**
 * Mixed-precision threshold rule (Nandakumar et al., Front. Neurosci. 2020; aihwkit MixedPrecisionCompound), in place on χ:
 *   n = trunc(χ/ε) (toward zero), |n| ≤ capUnits, χ −= n·ε (the residual stays in χ)
 * Writes n to `out` and returns the number of non-zero entries. Programming is blind: χ is
 * decremented by the nominal n·ε whatever the devices actually did.
 */
export function thresholdPulses(chi: Float32Array, eps: number, capUnits: number, out: Int32Array): number {
  let fired = 0;
  for (let i = 0; i < chi.length; i++) {
    let n = Math.trunc(chi[i] / eps);
    if (n > capUnits) n = capUnits;
    else if (n < -capUnits) n = -capUnits;
    out[i] = n;
    if (n !== 0) {
      chi[i] -= n * eps;
      fired++;
    }
  }
  return fired;
}

/**
 * Naive in-situ SGD: each update Δw becomes Δw/dwMin pulses, stochastically rounded so the
 * expected change is Δw (floor plus a Bernoulli carry), capped at ±cap pulses.
 */
export function stochasticPulses(dw: Float32Array, dwMin: number, cap: number, rng: Rng, out: Int32Array): number {
  let fired = 0;
  for (let i = 0; i < dw.length; i++) {
    const u = dw[i] / dwMin;
    const f = Math.floor(u);
    let n = f + (rng.next() < u - f ? 1 : 0);
    if (n > cap) n = cap;
    else if (n < -cap) n = -cap;
    out[i] = n;
    if (n !== 0) fired++;
  }
  return fired;
}
