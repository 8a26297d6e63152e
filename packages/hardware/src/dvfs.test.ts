import { ConfigError, conv2d } from '@cosearch/core';
import { evaluate, maxFrequencyHz, validateHardwareConfig } from './index';
import { computeBoundConfig } from './testing';
import { leakagePowerScale } from './dvfs';

describe('DVFS', () => {
  it('alpha-power law: f_max ratios 0.48/0.64/0.78/0.89 at 0.6/0.7/0.8/0.9 V (REFERENCES §4)', () => {
    const f = (v: number) => maxFrequencyHz(v, 1.0, 0.35, 1.3, 1);
    const expected: [number, number][] = [[0.6, 0.48], [0.7, 0.64], [0.8, 0.78], [0.9, 0.89]];
    // Published to two decimals (0.775 is quoted as 0.78): allow half a unit in the last place + rounding.
    for (const [v, ratio] of expected) expect(Math.abs(f(v) - ratio)).toBeLessThan(0.006);
    expect(f(0.35)).toBe(0);
  });

  it('dynamic energy ratios follow V² (leakage off), independent of frequency', () => {
    const l = conv2d({ name: 'c', inChannels: 16, outChannels: 32, inHeight: 16, inWidth: 16, kernel: 3 });
    const at = (v: number, fHz: number) => {
      const hw = computeBoundConfig('edge-npu-cim-v1', (h) => { h.mapping.scheme = 'npu-only'; h.dram.energyJPerBit = 0; h.dvfs.npu = { voltageV: v, frequencyHz: fHz }; h.dvfs.noc = { voltageV: v, frequencyHz: fHz }; });
      return evaluate([l], hw).energyJ;
    };
    expect(at(0.6, 200e6) / at(1.0, 200e6)).toBeCloseTo(0.36, 9);
    expect(at(0.8, 200e6) / at(1.0, 200e6)).toBeCloseTo(0.64, 9);
    expect(at(0.8, 600e6) / at(0.8, 200e6)).toBeCloseTo(1, 9);
  });

  it('leakage power grows with V; leakage energy per inference grows at low f', () => {
    expect(leakagePowerScale(0.6, 1)).toBeLessThan(leakagePowerScale(0.8, 1));
    expect(leakagePowerScale(1, 1)).toBe(1);
    const l = conv2d({ name: 'c', inChannels: 16, outChannels: 32, inHeight: 16, inWidth: 16, kernel: 3 });
    const at = (fHz: number) => {
      const hw = computeBoundConfig('edge-npu-cim-v1', (h) => { h.mapping.scheme = 'npu-only'; h.technology.leakageWPerMm2 = 0.01; h.dvfs.npu.frequencyHz = fHz; });
      return evaluate([l], hw).breakdown.leakage.energyJ;
    };
    expect(at(200e6)).toBeGreaterThan(at(800e6));
  });

  it('rejects a V/f pair above f_max(V) with an error naming the field', () => {
    const hw = computeBoundConfig();
    hw.dvfs.npu = { voltageV: 0.6, frequencyHz: 800e6 };
    expect(() => validateHardwareConfig(hw)).toThrow(ConfigError);
    expect(() => validateHardwareConfig(hw)).toThrow(/dvfs\.npu\.frequencyHz.*f_max\(0\.6 V\) = 481 MHz/);
  });
});
