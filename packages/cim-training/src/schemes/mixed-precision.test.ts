import { Rng } from '@cosearch/core';
import { emptyAccounting } from '../accounting';
import { validateCrossbarConfig } from '../crossbar/config';
import { constantStepModel } from '../devices/constant-step';
import { devicePresets } from '../devices/presets';
import { mixedPrecisionScheme } from './mixed-precision';
import { naiveScheme } from './naive';
import type { TrainingScheme, WeightLayerState } from './types';

const device = { ...devicePresets.create('idealized-v1', {}), dgMin: 0.01 };
const ctx = { device, model: constantStepModel, crossbar: validateCrossbarConfig({}) };

function layerFor(scheme: TrainingScheme, size: number, dev = device): WeightLayerState {
  const layer: WeightLayerState = { name: 'l', rows: 1, cols: size, wScale: 1, digital: null, analog: null, chi: null, accounting: emptyAccounting('l', size) };
  scheme.init(layer, new Float32Array(size), { ...ctx, device: dev }, new Rng(1));
  layer.analog!.programTo(new Float32Array(size), new Rng(1), 0);
  return layer;
}

describe('mixed-precision options', () => {
  it('programEvery = 2 accumulates one step, then programs the sum', () => {
    const s = mixedPrecisionScheme({ programEvery: 2 });
    const l = layerFor(s, 1);
    s.update(l, new Float32Array([-0.07]), 0.1, 0, ctx, new Rng(2)); // χ = 0.007 < ε, and not a programming step
    expect(l.accounting.pulses).toBe(0);
    s.update(l, new Float32Array([-0.07]), 0.1, 1, ctx, new Rng(2)); // χ = 0.014 → 1 pulse
    expect(l.accounting.pulses).toBe(1);
    expect(l.accounting.programmingSteps).toBe(1);
    expect(l.accounting.updates).toBe(2);
    expect(l.chi![0]).toBeCloseTo(0.004, 6);
  });
  it('thresholdFactor k: ε = k·dw_min and each ε is k pulses', () => {
    const s = mixedPrecisionScheme({ thresholdFactor: 4, maxPulses: 8 });
    const l = layerFor(s, 2);
    s.update(l, new Float32Array([-0.3, -1]), 0.1, 0, ctx, new Rng(2)); // χ = [0.03, 0.1], ε = 0.04
    expect(l.accounting.pulses).toBe(8); // 0 + min(2, ⌊8/4⌋)·4
    [0.03, 0.02].forEach((v, i) => expect(l.chi![i]).toBeCloseTo(v, 6));
  });
  it('program-and-verify lands closer to the target than blind programming on a noisy device', () => {
    const noisy = { ...device, c2cStd: 0.01 };
    const err = (verifyIterations: number) => {
      const s = mixedPrecisionScheme({ verifyIterations, maxPulses: 15 });
      const l = layerFor(s, 2000, noisy);
      const c = { ...ctx, device: noisy };
      s.update(l, new Float32Array(2000).fill(-0.5), 0.1, 0, c, new Rng(3)); // 5 pulses each, target 0.05
      const w = s.weights(l);
      return { rms: Math.sqrt(w.reduce((a, v) => a + (v - 0.05) ** 2, 0) / w.length), reads: l.accounting.verifyReads };
    };
    const blind = err(0);
    const verified = err(3);
    expect(blind.rms).toBeGreaterThan(0.015);
    expect(verified.rms).toBeLessThan(blind.rms * 0.6);
    expect(verified.reads).toBeGreaterThan(0);
  });
});

describe('naive scheme', () => {
  it('fires every update with stochastic pulses and counts them', () => {
    const s = naiveScheme();
    const l = layerFor(s, 1000);
    s.update(l, new Float32Array(1000).fill(-0.025), 0.1, 0, ctx, new Rng(4)); // Δw = 0.0025 = ¼ pulse
    expect(l.accounting.pulses).toBeGreaterThan(200);
    expect(l.accounting.pulses).toBeLessThan(300);
  });
});
