import { Rng } from '@cosearch/core';
import { emptyAccounting, recordProgramming, recordUpdate, totalAccounting } from '../accounting';
import { constantStepModel } from '../devices/constant-step';
import { devicePresets } from '../devices/presets';
import { mixedPrecisionScheme } from '../schemes/mixed-precision';
import type { WeightLayerState } from '../schemes/types';
import { AnalogMatrix } from './analog-matrix';
import { validateCrossbarConfig } from './config';

const device = { ...devicePresets.create('idealized-v1', {}), dgMin: 0.01, pulseEnergyJ: 2e-12, pulseLatencyS: 1e-7 };

describe('programming accounting on a tiny layer (by hand)', () => {
  it('2×3 layer, pulses [[2,0,−1],[0,3,0]]: 6 pulses, 3 devices, row-serial 2+3, bulk 3', () => {
    const m = new AnalogMatrix(2, 3, 1, constantStepModel, device, true, new Rng(1));
    m.programTo(new Float32Array(6), new Rng(2), 0);
    const stats = m.applyWeightPulses(new Int32Array([2, 0, -1, 0, 3, 0]), new Rng(3));
    expect(stats).toEqual({ pulses: 6, devicesProgrammed: 3, weightsProgrammed: 3, rowSerialPulses: 5, maxPulses: 3 });
    const w = m.read();
    [0.02, 0, -0.01, 0, 0.03, 0].forEach((v, i) => expect(w[i]).toBeCloseTo(v, 6));
    const acc = emptyAccounting('l', 6);
    recordProgramming(acc, stats, device, false);
    recordUpdate(acc, true);
    expect(acc.writeEnergyJ).toBeCloseTo(6 * 2e-12, 20);
    expect(acc.writeLatencyS).toBeCloseTo(5 * 1e-7, 15);
    expect(acc.fractionProgrammedPerUpdate).toBeCloseTo(0.5, 9);
    const bulk = emptyAccounting('l', 6);
    recordProgramming(bulk, stats, device, true);
    expect(bulk.writeLatencyS).toBeCloseTo(3 * 1e-7, 15);
    recordUpdate(acc, false);
    expect(acc.fractionProgrammedPerUpdate).toBeCloseTo(0.25, 9);
    expect(totalAccounting([acc, bulk]).pulses).toBe(12);
  });

  it('the mixed-precision scheme programs only over threshold and accounts for it', () => {
    const scheme = mixedPrecisionScheme({ maxPulses: 2 });
    const layer: WeightLayerState = { name: 'l', rows: 1, cols: 4, wScale: 1, digital: null, analog: null, chi: null, accounting: emptyAccounting('l', 4) };
    const ctx = { device, model: constantStepModel, crossbar: validateCrossbarConfig({}) };
    scheme.init(layer, new Float32Array(4), ctx, new Rng(1));
    layer.analog!.programTo(new Float32Array(4), new Rng(1), 0);
    // Δw = −lr·grad = [0.004, 0.013, −0.025, 0.05]; ε = 0.01 → n = [0, 1, −2, 2 (capped)]
    scheme.update(layer, new Float32Array([-0.04, -0.13, 0.25, -0.5]), 0.1, 0, ctx, new Rng(2));
    [0.004, 0.003, -0.005, 0.03].forEach((v, i) => expect(layer.chi![i]).toBeCloseTo(v, 6));
    expect(layer.accounting.pulses).toBe(5);
    expect(layer.accounting.weightsProgrammed).toBe(3);
    expect(layer.accounting.fractionProgrammedPerUpdate).toBeCloseTo(0.75, 9);
    const w = scheme.weights(layer);
    [0, 0.01, -0.02, 0.02].forEach((v, i) => expect(w[i]).toBeCloseTo(v, 6));
  });
});
