import { Rng } from '@cosearch/core';
import { checkDeviceModel } from './conformance';
import { constantStepModel } from './constant-step';
import { aNormFromNl, curve, neurosimNonlinearModel } from './neurosim-nonlinear';
import { applyPulses, nominalDevices, sampleDevices } from './population';
import { devicePresets } from './presets';
import { deviceModelRegistry, getDeviceModel } from './registry';
import { softBoundsModel } from './soft-bounds';
import type { DeviceParams } from './types';

const base = (over: Partial<DeviceParams>): DeviceParams => ({ ...devicePresets.create('idealized-v1', {}), ...over });

describe('device conformance suite', () => {
  for (const preset of devicePresets.names()) {
    it(`${preset}: closed-form n pulses = n single pulses, bounds, monotonicity, granularity`, () => {
      const p = devicePresets.create(preset, {});
      expect(checkDeviceModel(getDeviceModel(p.model), p)).toEqual([]);
    });
  }
  it('every registered model conforms with generic parameters', () => {
    for (const name of deviceModelRegistry.names()) {
      const p = base({ model: name, dgMin: 1 / 50, levels: 50, nlLtp: 2.4, nlLtd: 4.88, upDownAsymmetry: 0.2 });
      expect(checkDeviceModel(getDeviceModel(name), p)).toEqual([]);
    }
  });
  it('catches a model whose n-pulse form is wrong', () => {
    const broken = { ...constantStepModel, update: (g: Float32Array, n: ArrayLike<number>) => g.forEach((v, i) => (g[i] = Math.min(1, Math.max(0, v + 0.01 * Math.sign(n[i]))))) };
    expect(checkDeviceModel(broken, base({ dgMin: 0.01 })).length).toBeGreaterThan(0);
  });
});

describe('device models against hand calculations', () => {
  it('constant step: 3 pulses of 0.01 from 0.5 → 0.53; clipped at the bound', () => {
    const p = base({ dgMin: 0.01 });
    const g = new Float32Array([0.5, 0.99]);
    constantStepModel.update(g, [3, 5], nominalDevices(p, 2), p);
    expect(g[0]).toBeCloseTo(0.53, 6);
    expect(g[1]).toBe(1);
  });
  it('soft bounds: step 0.1 at mid-range, 2 pulses from 0.5 → 1 − 0.5·0.8² = 0.68', () => {
    const p = base({ model: 'soft-bounds-v1', dgMin: 0.1 });
    const g = new Float32Array([0.5, 0.5]);
    softBoundsModel.update(g, [2, -1], nominalDevices(p, 2), p);
    expect(g[0]).toBeCloseTo(0.68, 6);
    expect(g[1]).toBeCloseTo(0.4, 6);
  });
  it('NeuroSim: A_norm table and the LTP curve (P=100, NL 2.4 → A=50: 10 pulses from G_min → 0.20964)', () => {
    expect(aNormFromNl(0.5)).toBeCloseTo(2.52, 6);
    expect(aNormFromNl(2.4)).toBeCloseTo(0.5, 6);
    expect(aNormFromNl(-4.88)).toBeCloseTo(0.2, 6);
    expect(aNormFromNl(9)).toBeCloseTo(0.023, 6);
    expect(aNormFromNl(0)).toBe(Infinity);
    expect(curve(10, 100, 50)).toBeCloseTo((1 - Math.exp(-0.2)) / (1 - Math.exp(-2)), 6);
    const p = base({ model: 'neurosim-nonlinear-v1', dgMin: 1 / 100, levels: 100, nlLtp: 2.4, nlLtd: 2.4 });
    const g = new Float32Array([0, 1]);
    neurosimNonlinearModel.update(g, [10, -10], nominalDevices(p, 2), p);
    expect(g[0]).toBeCloseTo(0.20964, 4);
    expect(g[1]).toBeCloseTo(1 - 0.20964, 4); // LTD mirrors LTP from G_max
  });
  it('a strongly nonlinear device takes big steps near G_min and small ones near G_max', () => {
    const p = devicePresets.create('agasi-neurosim-v1', {});
    const g = new Float32Array([0.02, 0.95]);
    neurosimNonlinearModel.update(g, [1, 1], nominalDevices(p, 2), p);
    expect(g[0] - 0.02).toBeGreaterThan(5 * (g[1] - 0.95));
  });
});

describe('noise and variation statistics', () => {
  it('cycle-to-cycle noise: mean = 4·dg, std = σ·√4 over many writes', () => {
    const p = base({ dgMin: 0.01, c2cStd: 0.02 });
    const m = 20000;
    const g = new Float32Array(m).fill(0.5);
    applyPulses(constantStepModel, p, g, new Int32Array(m).fill(4), nominalDevices(p, m), new Rng(5));
    const mean = g.reduce((s, v) => s + v, 0) / m;
    const sd = Math.sqrt(g.reduce((s, v) => s + (v - mean) ** 2, 0) / (m - 1));
    expect(mean).toBeCloseTo(0.54, 3);
    expect(sd).toBeGreaterThan(0.04 * 0.97);
    expect(sd).toBeLessThan(0.04 * 1.03);
  });
  it('device-to-device spread and stuck fractions match their parameters; same seed → same chip', () => {
    const p = base({ dgMin: 0.01, dgStdD2d: 0.3, boundsStdD2d: 0.05, stuckAtMinProb: 0.02, stuckAtMaxProb: 0.03 });
    const m = 20000;
    const d = sampleDevices(p, m, new Rng(7));
    const rel = Array.from(d.dgUp, (v) => v / 0.01);
    const mean = rel.reduce((s, v) => s + v, 0) / m;
    const sd = Math.sqrt(rel.reduce((s, v) => s + (v - mean) ** 2, 0) / m);
    expect(mean).toBeCloseTo(1, 1);
    expect(sd).toBeGreaterThan(0.27);
    expect(sd).toBeLessThan(0.31);
    const loSd = Math.sqrt(d.gLo.reduce((s, v) => s + v * v, 0) / m);
    expect(loSd).toBeCloseTo(0.05, 2);
    expect(d.stuck.filter((s) => s === -1).length / m).toBeCloseTo(0.02, 2);
    expect(d.stuck.filter((s) => s === 1).length / m).toBeCloseTo(0.03, 2);
    const again = sampleDevices(p, m, new Rng(7));
    expect(Array.from(again.dgUp)).toEqual(Array.from(d.dgUp));
    expect(Array.from(again.stuck)).toEqual(Array.from(d.stuck));
  });
  it('stuck devices do not move', () => {
    const p = base({ dgMin: 0.01, stuckAtMaxProb: 1 });
    const d = sampleDevices(p, 4, new Rng(1));
    const g = new Float32Array(4).fill(1);
    applyPulses(constantStepModel, p, g, [-5, -5, -5, -5], d, new Rng(1));
    expect(Array.from(g)).toEqual([1, 1, 1, 1]);
  });
  it('presets validate and cite a source', () => {
    for (const e of devicePresets.list()) expect(String((e.defaults as { citation: string }).citation).length).toBeGreaterThan(10);
  });
});
