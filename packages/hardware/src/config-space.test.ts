import { ConfigError } from '@cosearch/core';
import { validateHardwareSpace } from './config-space';
import { getHardwarePreset } from './presets';
import { hardwareSpace } from './space';

/**
 * hardware.space lists are checked against the model's own limits before a run. Figures by hand
 * for edge-npu-cim-v1 (128×128 crossbars, 2-bit cells, 1-bit DACs; alpha-power DVFS with
 * V_nom 1.0 V, V_th 0.35 V, α 1.3, f_max(1.0 V) = 1 GHz):
 *   lossless ADC bits of a 256-row column (the largest default crossbar), 2-bit cells, 1-bit DACs
 *   = ⌈log2 256⌉ + 1 + 2 − 1 = 10; of a 64-row column = 6 + 1 + 2 − 1 = 8;
 *   f_max(0.8 V) = 1 GHz · ((0.45^1.3)/0.8) / ((0.65^1.3)/1.0) = 775.0 MHz.
 */
const base = getHardwarePreset('edge-npu-cim-v1');
const v = (space: unknown) => validateHardwareSpace(space, base);
const fails = (space: unknown, message: RegExp) => {
  expect(() => v(space)).toThrow(ConfigError);
  expect(() => v(space)).toThrow(message);
};

describe('validateHardwareSpace', () => {
  it('accepts the defaults and every list of the example experiments', () => {
    expect(v({})).toEqual({});
    expect(v({ cellBits: [1, 2, 3, 4] })).toEqual({ cellBits: [1, 2, 3, 4] });
    expect(v({ blocks: ['stem', 's1.b1'], maxAreaMm2: 12 })).toEqual({ blocks: ['stem', 's1.b1'], maxAreaMm2: 12 });
    const ok = v({ dataflows: ['row-stationary-v1'], mappings: ['auto'], voltagesV: [0.6, 0.8], frequenciesHz: [2e8, 7.7e8], adcBits: [4, 10], xbarSize: [64, 256] });
    expect(hardwareSpace({ ...ok, base }).cardinality()).toBeGreaterThan(0);
  });

  it('names, ranges and limits, one line each naming the field', () => {
    fails({ dataflows: ['bogus-v1'] }, /^invalid hardware\.space\.dataflows\[0\]: got "bogus-v1", expected one of .*"row-stationary-v1"/);
    fails({ mappings: ['nope'] }, /^invalid hardware\.space\.mappings\[0\]: got "nope", expected one of .*"auto"/);
    fails({ voltagesV: [5] }, /^invalid hardware\.space\.voltagesV\[0\]: got 5, expected a supply in the DVFS range \(0\.35, 2\] V/);
    fails({ voltagesV: [0.3] }, /voltagesV\[0\]: got 0\.3/);
    fails({ adcBits: [4, 99] }, /^invalid hardware\.space\.adcBits\[1\]: got 99, expected an integer in 1 … 10 \(the lossless resolution of a 256-row column/);
    fails({ adcBits: [4, 9], xbarSize: [64] }, /adcBits\[1\]: got 9, expected an integer in 1 … 8 \(the lossless resolution of a 64-row column/);
    fails({ adcBits: [0] }, /adcBits\[0\]: got 0/);
    fails({ frequenciesHz: [9e12] }, /^invalid hardware\.space\.frequenciesHz\[0\]: got 9000000000000, expected a clock in \(0, 1\.000e\+9\] Hz: f_max at the highest voltage of the default voltages \(1 V/);
    fails({ voltagesV: [0.6, 0.8], frequenciesHz: [2e8, 7.8e8] }, /frequenciesHz\[1\]: got 780000000, expected a clock in \(0, 7\.750e\+8\] Hz: f_max at the highest voltage of hardware\.space\.voltagesV \(0\.8 V/);
    fails({ peRows: [8, -4] }, /^invalid hardware\.space\.peRows\[1\]: got -4, expected an integer in 1 … 1024/);
    fails({ glbKiB: [32.5] }, /glbKiB\[0\]: got 32\.5/);
    fails({ peRows: [] }, /^invalid hardware\.space\.peRows: got \[\], expected a non-empty list/);
    fails({ peRows: [8, 8] }, /peRows\[1\]: got 8, expected a choice not already in the list/);
    fails({ peRows: Array.from({ length: 1000 }, (_, i) => i + 1) }, /peRows: got "a list of 1000", expected at most 64 choices/);
    fails({ topologies: ['hypercube'] }, /topologies\[0\]: got "hypercube", expected one of "mesh", "torus", "ring"/);
    fails({ columnsPerAdc: [512] }, /columnsPerAdc\[0\]: got 512/);
    fails({ peRow: [8] }, /hardware\.space/);
    fails({ maxAreaMm2: -1 }, /hardware\.space\.maxAreaMm2/);
  });

  it('lists of an engine the base does not have are refused', () => {
    const npuOnly = getHardwarePreset('eyeriss-65nm-v1');
    expect(() => validateHardwareSpace({ adcBits: [4] }, npuOnly)).toThrow(/hardware\.space\.adcBits: .* has no CIM engine/);
    expect(() => validateHardwareSpace({ schemes: ['cim-only'] }, npuOnly)).toThrow(/schemes\[0\]: got "cim-only", expected one of "npu-only"/);
  });
});
