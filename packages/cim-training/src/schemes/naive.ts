import { checkNumber } from '@cosearch/core';
import { recordProgramming, recordUpdate } from '../accounting';
import { initAnalog } from './analog-common';
import { stochasticPulses } from './threshold';
import type { TrainingScheme } from './types';

export interface NaiveParams {
  /** Pulse cap per weight and update (aihwkit's default pulse train length BL = 31). */
  maxPulses: number;
}

/**
 * Naive in-situ analog SGD: every update Δw = −lr·∂L/∂W is turned into pulses at once,
 * n = stochastic_round(Δw/dw_min), applied to the devices (no digital memory of sub-step updates).
 */
export function naiveScheme(params: Partial<NaiveParams> = {}): TrainingScheme {
  const maxPulses = checkNumber(params.maxPulses ?? 31, 'scheme.maxPulses', { integer: true, min: 1 });
  let buf = new Int32Array(0);
  let dw = new Float32Array(0);
  return {
    name: 'naive-v1',
    analog: true,
    init: (layer, w0, ctx, rng) => void initAnalog(layer, w0, ctx, rng),
    read: (layer, rng) => layer.analog!.read(rng),
    update(layer, grad, lr, _step, ctx, rng) {
      const m = layer.analog!;
      if (buf.length < m.size) [buf, dw] = [new Int32Array(m.size), new Float32Array(m.size)];
      const n = buf.subarray(0, m.size);
      const d = dw.subarray(0, m.size);
      for (let i = 0; i < m.size; i++) d[i] = -lr * grad[i];
      const fired = stochasticPulses(d, m.dwMin, maxPulses, rng, n);
      if (fired > 0) recordProgramming(layer.accounting, m.applyWeightPulses(n, rng), ctx.device, false);
      recordUpdate(layer.accounting, fired > 0);
    },
    weights: (layer) => layer.analog!.read(),
  };
}
