import type { LifParams } from './config';

/** Membrane state of a population of LIF neurons. */
export interface LifState {
  v: Float32Array;
  /** Steps of refractory period left per neuron (0 = integrating). */
  refractory: Int32Array;
}

export function lifState(n: number): LifState {
  return { v: new Float32Array(n), refractory: new Int32Array(n) };
}

export function resetLif(s: LifState): void {
  s.v.fill(0);
  s.refractory.fill(0);
}

/**
 * One time step of n LIF neurons: for each neuron not refractory, v ← leak·v + current; if
 * v ≥ threshold it spikes (`out[i] = 1`, `vAtSpike[i]` = v before the reset, used by the TTFS
 * tie-break), then v ← v − threshold ('subtract') or 0 ('zero') and the neuron stays refractory
 * (v held at 0, input ignored) for `refractorySteps` steps. Returns the number of spikes.
 */
export function lifStep(
  s: LifState,
  current: Float32Array,
  p: LifParams,
  threshold: number,
  out: Uint8Array,
  vAtSpike?: Float32Array,
): number {
  const { v, refractory } = s;
  const leak = p.leak;
  const zero = p.reset === 'zero';
  const refr = p.refractorySteps;
  let spikes = 0;
  for (let i = 0; i < v.length; i++) {
    if (refractory[i] > 0) {
      refractory[i]--;
      v[i] = 0;
      out[i] = 0;
      continue;
    }
    const u = leak * v[i] + current[i];
    if (u >= threshold) {
      out[i] = 1;
      spikes++;
      if (vAtSpike) vAtSpike[i] = u;
      v[i] = zero ? 0 : u - threshold;
      if (refr > 0) {
        refractory[i] = refr;
        v[i] = 0;
      }
    } else {
      out[i] = 0;
      v[i] = u;
    }
  }
  return spikes;
}
