import { checkNumber, oneOf, Rng } from '@cosearch/core';
import { ENCODINGS, type Encoding } from './config';

/**
 * A spike train of n inputs over `steps` time steps: `spikes[t·n + i]` is 1 when input i fires at
 * step t (0-based), else 0.
 */
export interface SpikeTrain {
  steps: number;
  n: number;
  spikes: Uint8Array;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/**
 * Inter-spike-interval (ISI) code: intensity x ∈ [0, 1] sets the interval between consecutive
 * spikes, ISI = 1/x steps (a regular train, bright pixels fire often, x = 0 never). Spike k
 * (k = 1, 2, …) falls at step ⌈k/x⌉ − 1, i.e. input i fires at step t iff ⌊(t+1)·x⌋ > ⌊t·x⌋
 * (a phase accumulator, so the intervals are exactly 1/x on average and differ by at most one
 * step when 1/x is not an integer). Deterministic: the information is in the spacing, not in
 * random draws. Example x = 0.5, T = 8 → steps 1, 3, 5, 7; x = 0.25 → 3, 7; x = 1 → every step.
 */
export function isiEncode(x: ArrayLike<number>, steps: number): SpikeTrain {
  checkNumber(steps, 'steps', { integer: true, min: 1 });
  const n = x.length;
  const spikes = new Uint8Array(steps * n);
  for (let i = 0; i < n; i++) {
    const v = clamp01(x[i]);
    if (v === 0) continue;
    // spike k at step ⌈k/x⌉ − 1; the small tolerance keeps k/x = an integer from rounding up
    for (let k = 1; ; k++) {
      const t = Math.ceil(k / v - 1e-9) - 1;
      if (t >= steps) break;
      spikes[t * n + i] = 1;
    }
  }
  return { steps, n, spikes };
}

/**
 * Rate code: at every step input i fires with probability x_i (Bernoulli; a Poisson process
 * sampled once per step), seeded: the same rng state gives the same train. Expected spikes x·T.
 */
export function rateEncode(x: ArrayLike<number>, steps: number, rng: Rng): SpikeTrain {
  checkNumber(steps, 'steps', { integer: true, min: 1 });
  const n = x.length;
  const spikes = new Uint8Array(steps * n);
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < n; i++) {
      const v = clamp01(x[i]);
      if (v > 0 && rng.next() < v) spikes[t * n + i] = 1;
    }
  }
  return { steps, n, spikes };
}

/**
 * Latency / time-to-first-spike code: one spike per input at step round((1 − x)·(T − 1)), so the
 * brightest input fires first (x = 1 → step 0, x → 0 → step T − 1); x ≤ `minIntensity` never
 * fires. Example T = 9: x = 0.5 → step 4, x = 0.75 → step 2.
 */
export function ttfsEncode(x: ArrayLike<number>, steps: number, minIntensity = 0): SpikeTrain {
  checkNumber(steps, 'steps', { integer: true, min: 1 });
  const n = x.length;
  const spikes = new Uint8Array(steps * n);
  for (let i = 0; i < n; i++) {
    const v = clamp01(x[i]);
    if (v <= minIntensity) continue;
    const t = Math.round((1 - v) * (steps - 1));
    spikes[t * n + i] = 1;
  }
  return { steps, n, spikes };
}

/** Encodes intensities with the named encoding (`rng` is used by 'rate' only). */
export function encode(encoding: Encoding, x: ArrayLike<number>, steps: number, rng: Rng): SpikeTrain {
  const e = oneOf(encoding, 'encoding', ENCODINGS);
  if (e === 'isi') return isiEncode(x, steps);
  if (e === 'rate') return rateEncode(x, steps, rng);
  return ttfsEncode(x, steps);
}

/** Spikes per input over the train (a quick check: ISI and rate ≈ x·T, TTFS ≤ 1). */
export function spikeCounts(train: SpikeTrain): Int32Array {
  const out = new Int32Array(train.n);
  for (let t = 0; t < train.steps; t++) for (let i = 0; i < train.n; i++) out[i] += train.spikes[t * train.n + i];
  return out;
}
