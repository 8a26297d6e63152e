import { conv2d, depthwise2d } from '@cosearch/core';
import { canonicalShape, cimTileParams, evaluate, getHardwarePreset, losslessAdcBits, mapToCrossbars } from './index';
import { computeBoundConfig } from './testing';

const geom = { rows: 128, cols: 128, cellBits: 2, differential: true };

describe('CIM crossbars', () => {
  it('crossbar count by hand: ⌈C·R·S/rows⌉·⌈K·⌈b_w/b_cell⌉·2/cols⌉', () => {
    const l = conv2d({ name: 'c', inChannels: 64, outChannels: 128, inHeight: 8, inWidth: 8, kernel: 3 });
    const m = mapToCrossbars(canonicalShape(l)!, geom);
    // rows 576 → 5 blocks; cols 128·4·2 = 1024 → 8 blocks.
    expect(m.rowBlocks).toBe(5);
    expect(m.colBlocks).toBe(8);
    expect(m.crossbars).toBe(40);
    expect(m.utilisation).toBeCloseTo((576 * 1024) / (40 * 128 * 128), 12);
    expect(mapToCrossbars(canonicalShape(l)!, { ...geom, differential: false, cellBits: 1 }).crossbars).toBe(5 * 8);
    expect(mapToCrossbars(canonicalShape(l)!, { ...geom, cellBits: 8 }).crossbars).toBe(5 * 2);
  });

  it('depthwise filters are packed block-diagonally', () => {
    const l = depthwise2d({ name: 'dw', channels: 100, inHeight: 8, inWidth: 8, kernel: 3 });
    const m = mapToCrossbars(canonicalShape(l)!, geom);
    // 9 rows × 8 cols per channel: ⌊128/9⌋ = 14 by rows, ⌊128/8⌋ = 16 by cols → 14 per crossbar.
    expect(m.groupsPerXbar).toBe(14);
    expect(m.crossbars).toBe(Math.ceil(100 / 14));
  });

  it('ADC conversions, DAC drives and latency by hand', () => {
    const l = conv2d({ name: 'c', inChannels: 64, outChannels: 128, inHeight: 8, inWidth: 8, kernel: 3 });
    const hw = computeBoundConfig('edge-npu-cim-v1', (h) => { h.mapping.scheme = 'cim-only'; h.cim!.tiles = 40; });
    const r = evaluate([l], hw).perLayer[0];
    const mvms = 64; // 8×8 outputs
    const slices = 8; // 8-bit inputs, 1-bit DAC
    expect(r.crossbars).toBe(40);
    expect(r.adcConversions).toBe(mvms * slices * 5 * 1024);
    const sliceS = hw.cim!.readPulseS + (8 * 5) / hw.dvfs.cim.frequencyHz;
    expect(r.latencyS).toBeCloseTo(mvms * slices * sliceS, 15);
    expect(r.energy.adc).toBeGreaterThan(0);
  });

  it('lossless ADC bits (ISAAC): 128 rows, 1-bit DAC, 2-bit cells → 9 bits', () => {
    expect(losslessAdcBits(128, 1, 2)).toBe(9);
    expect(losslessAdcBits(256, 2, 2)).toBe(12);
  });

  it('weights that do not fit are reprogrammed each inference (write energy and time)', () => {
    const l = conv2d({ name: 'c', inChannels: 64, outChannels: 128, inHeight: 8, inWidth: 8, kernel: 3 });
    const fit = evaluate([l], computeBoundConfig('edge-npu-cim-v1', (h) => { h.mapping.scheme = 'cim-only'; h.cim!.tiles = 40; }));
    const tight = evaluate([l], computeBoundConfig('edge-npu-cim-v1', (h) => { h.mapping.scheme = 'cim-only'; h.cim!.tiles = 20; }));
    expect(fit.cim.weightsResident).toBe(true);
    expect(fit.breakdown.cimWrite.energyJ).toBe(0);
    expect(tight.cim.weightsResident).toBe(false);
    // every used cell written: 576 × 1024 cells
    expect(tight.breakdown.cimWrite.energyJ).toBeCloseTo(576 * 1024 * 10e-12, 15);
    expect(tight.latencyS).toBeGreaterThan(2 * fit.latencyS);
  });

  it('spare tiles replicate the weights and divide the MVM time', () => {
    const l = conv2d({ name: 'c', inChannels: 64, outChannels: 128, inHeight: 8, inWidth: 8, kernel: 3 });
    const one = evaluate([l], computeBoundConfig('edge-npu-cim-v1', (h) => { h.mapping.scheme = 'cim-only'; h.cim!.tiles = 40; }));
    const four = evaluate([l], computeBoundConfig('edge-npu-cim-v1', (h) => { h.mapping.scheme = 'cim-only'; h.cim!.tiles = 160; }));
    expect(four.cim.replication).toBe(4);
    expect(one.latencyS / four.latencyS).toBeCloseTo(4, 9);
  });
});

describe('cimTileParams', () => {
  it('exposes the shared tile fields of the config', () => {
    const hw = getHardwarePreset('edge-npu-cim-v1');
    expect(cimTileParams(hw)).toEqual({ rows: 128, cols: 128, cellBits: 2, adcBits: 5, dacBits: 1, columnsPerAdc: 8, gMinSiemens: 1 / 1.7e6, gMaxSiemens: 1e-5, readVoltageV: 0.55, readPulseS: 2e-9, differential: true });
    expect(cimTileParams(getHardwarePreset('tpu-like-v1'))).toBeNull();
  });
});
